"""A progress bar on stderr for long runs on a terminal; silent otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO

_MIN_FILES = 300  # small runs finish before a bar would be readable


class ProgressBar:
    def __init__(self, stream: TextIO | None = None, label: str = "indexing") -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.label = label
        self._last = 0.0
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < _MIN_FILES:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total} files")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
