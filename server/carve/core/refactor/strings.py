"""Text that names a moved symbol by its old dotted path (`mock.patch("apps.billing.
models.Invoice")`, settings strings, comments): reported, never rewritten."""

from __future__ import annotations

import io
import re
import tokenize

from carve.core.refactor.context import MoveContext

_TEXT_TOKENS = {tokenize.STRING, tokenize.COMMENT, getattr(tokenize, "FSTRING_MIDDLE", -1)}


def string_references(ctx: MoveContext) -> list[str]:
    old = ctx.source.name
    names = "|".join(re.escape(n) for n in sorted(ctx.requested, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w.]){re.escape(old)}\.({names})(?!\w)")
    needle = old.encode()
    found: list[str] = []
    for module in sorted(ctx.index.modules(), key=lambda m: m.path):
        try:
            if needle not in module.path.read_bytes() and not ctx.edits.touched(module.path):
                continue
        except OSError:
            continue
        text = ctx.edits.text(module.path)
        matches = list(pattern.finditer(text))
        if not matches:
            continue
        lines = _text_token_lines(text)
        for match in matches:
            line = text.count("\n", 0, match.start()) + 1
            if lines is not None and line not in lines:
                continue  # code (`apps.billing.models.Invoice` attribute access)
            found.append(
                f"{ctx.relative_path(module.path)}:{line}: `{old}.{match.group(1)}` is named "
                f"in a string or comment; it still resolves through the re-export, but "
                f"`mock.patch` and the like must now target `{ctx.destination}.{match.group(1)}`"
            )
    return found


def _text_token_lines(text: str) -> set[int] | None:
    """Lines covered by strings and comments (None when the file does not tokenize)."""
    lines: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in _TEXT_TOKENS:
                lines.update(range(token.start[0], token.end[0] + 1))
    except (tokenize.TokenError, SyntaxError):
        return None
    return lines
