"""What a move is asked to do, and why it may refuse."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path


class ImporterMode(str, enum.Enum):
    """How importers of a moved name are rewritten."""

    KEEP = "keep"  # leave every importer as it is (the hub keeps them working)
    HUB = "hub"  # importers read the name through the hub that re-exports it
    DIRECT = "direct"  # importers read the name from its new home


@dataclass(frozen=True, slots=True)
class MoveRequest:
    """Move top-level `names` of module `source` to module `destination`.

    `destination` None picks the feature-file convention; `importers` None follows the
    package's import policy (via-hub → HUB, direct → DIRECT). Definitions both the moved
    code and code staying in the source need are extracted to `shared_to` (None: the
    convention, `base_models.py`) unless `extract` is False, which refuses instead.
    """

    source: str
    names: tuple[str, ...]
    destination: str | None = None
    importers: ImporterMode | None = None
    extract: bool = True
    shared_to: str | None = None


class MoveError(Exception):
    """A refusal: the move cannot be done safely. Nothing has been written."""

    def __init__(self, message: str, path: Path | None = None, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"
