"""`# carve: ignore[rule] reason` comments: add one for a finding, remove an unused one."""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass

from carve.core.fixes.text import Replacement, SourceLines

# The same shape `carve.core.parse` reads.
SUPPRESSION = re.compile(r"#\s*carve:\s*ignore(?:\[(?P<rules>[^\]]*)\])?(?P<reason>[^#]*)")
DEFAULT_REASON = "TODO: say why"


@dataclass(frozen=True, slots=True)
class SuppressionEdit:
    """`replacement` inserts the comment; the reason placeholder sits at
    replacement.text[reason_start:reason_start + len(reason)] (reason_start is None when
    an existing comment's reason is kept)."""

    replacement: Replacement
    reason_start: int | None
    reason: str


def suppression_edit(
    text: str, line: int, rule: str, reason: str = DEFAULT_REASON
) -> SuppressionEdit | None:
    """The edit suppressing `rule` on 1-based `line`; None if already suppressed."""
    lines = SourceLines(text)
    line = min(max(line, 1), lines.line_count)
    content = lines.line_text(line)
    existing = SUPPRESSION.search(content)
    if existing is not None:
        return _extend(lines, line, existing, rule)
    comment = f"# carve: ignore[{rule}] "
    string_start = _string_spanning_end_of(text, line)
    if string_start is not None:  # the line ends inside a string: comment on a line above
        offset = lines.line_start(string_start)
        indent = lines.indentation(string_start)
        insert = f"{indent}{comment}{reason}{lines.newline()}"
        return SuppressionEdit(Replacement(offset, offset, insert), len(indent + comment), reason)
    code = content.rstrip()
    offset = lines.line_start(line) + len(code)
    separator = "  " if code.strip() else ""
    insert = f"{separator}{comment}{reason}"
    replacement = Replacement(offset, lines.line_end(line), insert)  # trailing blanks go
    return SuppressionEdit(replacement, len(separator + comment), reason)


def _extend(
    lines: SourceLines, line: int, existing: re.Match[str], rule: str
) -> SuppressionEdit | None:
    rules_text = existing.group("rules")
    if rules_text is None:
        return None  # a blanket `carve: ignore` already covers every rule
    rules = [r.strip() for r in rules_text.split(",") if r.strip()]
    if rule in rules:
        return None
    offset = lines.line_start(line) + existing.end("rules")
    insert = f", {rule}" if rules else rule
    return SuppressionEdit(Replacement(offset, offset, insert), None, "")


def removal_edit(text: str, line: int) -> Replacement | None:
    """Remove the `carve: ignore` comment on `line` (the whole line if nothing else is on it)."""
    lines = SourceLines(text)
    content = lines.line_text(line)
    match = SUPPRESSION.search(content)
    if match is None:
        return None
    before = content[: match.start()].rstrip()
    after = content[match.end() :]
    start = lines.line_start(line)
    if not before.strip() and not after.strip():
        return Replacement(start, lines.next_line_start(line), "")
    if after.strip():  # another comment follows: keep it
        return Replacement(start + match.start(), start + match.end(), "")
    return Replacement(start + len(before), start + len(content), "")


def _string_spanning_end_of(text: str, line: int) -> int | None:
    """The first line of a multi-line string token that covers the end of `line`."""
    readline = io.StringIO(text).readline
    try:
        for token in tokenize.generate_tokens(readline):
            if token.start[0] > line:
                return None
            if token.type == tokenize.STRING and token.start[0] <= line < token.end[0]:
                return token.start[0]
    except (tokenize.TokenError, SyntaxError):
        return None
    return None
