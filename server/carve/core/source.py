"""Reading Python source files: PEP 263 decoding, hashing, line counts."""

from __future__ import annotations

import hashlib
import io
import re
import tokenize

_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=]", re.MULTILINE)


class SourceError(Exception):
    """A file that cannot be read as Python text (binary, bad encoding, unreadable)."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def content_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def decode(data: bytes) -> str:
    """Decode as Python does: BOM, then a PEP 263 coding cookie, else UTF-8."""
    if b"\x00" in data:
        raise SourceError("file contains NUL bytes; it is not Python source (binary?)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        if _COOKIE.search(b"\n".join(data.split(b"\n", 2)[:2])):
            raise SourceError(f"invalid encoding declaration: {exc.msg}", 1) from None
        encoding = "utf-8"  # no cookie: the first lines are simply not UTF-8
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceError(
            f"cannot decode as {encoding}: {exc.reason} (byte 0x{data[exc.start]:02x}); "
            "declare the encoding with a `# -*- coding: ... -*-` line (PEP 263)",
            line,
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def line_count(text: str) -> int:
    if not text:
        return 0
    return text.count("\n") + (0 if text.endswith("\n") else 1)
