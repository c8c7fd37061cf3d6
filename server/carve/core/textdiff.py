"""The smallest replacements turning one text into another: whole-file rewrites never
reach an editor or a JSON report. Offsets are code points (as `str` indexes)."""

from __future__ import annotations

import difflib

from carve.core.fixes.text import Replacement


def diff_replacements(old: str, new: str) -> list[Replacement]:
    """One replacement per differing stretch of lines, trimmed to the changed characters."""
    if old == new:
        return []
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    head = 0
    while head < min(len(old_lines), len(new_lines)) and old_lines[head] == new_lines[head]:
        head += 1
    tail = 0
    limit = min(len(old_lines), len(new_lines)) - head
    while tail < limit and old_lines[-1 - tail] == new_lines[-1 - tail]:
        tail += 1
    old_middle = old_lines[head : len(old_lines) - tail]
    new_middle = new_lines[head : len(new_lines) - tail]
    starts = [sum(len(line) for line in old_lines[:head])]
    for line in old_middle:
        starts.append(starts[-1] + len(line))
    matcher = difflib.SequenceMatcher(None, old_middle, new_middle, autojunk=False)
    replacements = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            start, end = starts[i1], starts[i2]
            replacements.append(_trimmed(old[start:end], "".join(new_middle[j1:j2]), start))
    return replacements


def _trimmed(old: str, new: str, start: int) -> Replacement:
    """Replace `old` (at `start`) by `new`, minus their common ends."""
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return Replacement(start + prefix, start + len(old) - suffix, new[prefix : len(new) - suffix])
