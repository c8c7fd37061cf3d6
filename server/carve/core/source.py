"""Reading Python source files: PEP 263 decoding, hashing, line counts."""

from __future__ import annotations

import hashlib
import io
import os
import re
import tokenize
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from carve.core.cache import FileStamps
    from carve.core.discovery import SourceFile

_POSIX = os.sep == "/"
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


class SourceBytes:
    """A file as read from disk: its digest and bytes, or why it could not be read.
    `data` None: not read, the digest comes from an unchanged stat stamp (FileStamps).

    Made from a path, its text, or the SourceFile it was discovered as (whose `path` it
    then shares); `path` is made on first use, so a run the result cache answers builds
    no Path for its 10k files."""

    __slots__ = ("_file", "_path", "data", "digest", "error", "text")

    def __init__(
        self,
        path: Path | str | SourceFile,
        digest: str = "",
        data: bytes | None = b"",
        error: str | None = None,
    ) -> None:
        self._path: Path | None = None
        self._file: SourceFile | None = None
        if isinstance(path, str):
            self.text = path
        elif isinstance(path, PurePath):
            self.text, self._path = str(path), path
        else:
            self.text, self._file = path.text, path
        self.digest = digest
        self.data = data
        self.error = error

    @property
    def path(self) -> Path:
        path = self._path
        if path is None:
            path = self._path = Path(self.text) if self._file is None else self._file.path
        return path

    @property
    def key(self) -> str:
        """The path with `/` separators (the caches' keys)."""
        return self.text if _POSIX else self.path.as_posix()

    def __repr__(self) -> str:
        return f"SourceBytes({self.text!r}, {self.digest!r}, error={self.error!r})"


def read_sources(paths: Sequence[Path]) -> list[SourceBytes]:
    sources = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:  # deleted mid-run, unreadable: report, keep going
            sources.append(SourceBytes(path, error=f"cannot read file: {exc.strerror or exc}"))
            continue
        sources.append(SourceBytes(path, content_digest(data), data))
    return sources


def stat_sources(
    paths: Sequence[Path] | Sequence[SourceFile], stamps: FileStamps
) -> list[SourceBytes]:
    """`read_sources`, except that a file whose stat stamp is unchanged since the last
    run is not read: its digest is the recorded one, its bytes are read on demand."""
    sources = []
    for path in paths:
        source = SourceBytes(path)
        text = source.text
        key = text if _POSIX else source.key
        try:
            stat = os.stat(text)
            stamp = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
            digest = stamps.digest(key, stamp)
            if digest is not None:
                source.digest, source.data = digest, None
                sources.append(source)
                continue
            with open(text, "rb") as handle:  # after the stat: a later write changes the stamp
                data = handle.read()
        except OSError as exc:
            source.data, source.error = b"", f"cannot read file: {exc.strerror or exc}"
            sources.append(source)
            continue
        source.digest, source.data = content_digest(data), data
        stamps.record(key, stamp, digest=source.digest)
        sources.append(source)
    return sources
