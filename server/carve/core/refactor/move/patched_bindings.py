"""Strings that name an importer's binding: `mock.patch("pkg.db.schema.timezone")`,
`monkeypatch.setattr("pkg.db.schema.timezone.now", …)`, `patch.object(schema,
"timezone")`. A rewrite that took the binding away (or stopped reading through it)
would break the patch, so such a binding is kept (Django's schema tests patch
`django.db.backends.base.schema.timezone`)."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

from carve.core.index import Module
from carve.core.refactor.move.context import MoveContext

# Only files using a patching mechanism are read for its strings.
_PATCHING = (b"patch", b"setattr")
_DOTTED = re.compile(r"""["']([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)["']""")
_BY_OBJECT = re.compile(r"""(?:patch\.object|setattr)\(\s*([\w.]+)\s*,\s*["'](\w+)["']""")


class PatchedBindings:
    def __init__(self, ctx: MoveContext) -> None:
        self.ctx = ctx

    def find(self, module: Module, binding: str) -> list[str]:
        """`path:line` of each string that patches `module.binding` (or an attribute
        of it)."""
        found = list(self._dotted.get(f"{module.name}.{binding}", []))
        for path, offset, target in self._by_object.get(binding, []):
            if self._names_module(path, target, module):
                found.append((path, offset))
        lines = {(p, self._texts[p].count("\n", 0, at) + 1) for p, at in found}
        return [f"{self.ctx.relative_path(p)}:{n}" for p, n in sorted(lines)]

    @cached_property
    def _texts(self) -> dict[Path, str]:
        texts: dict[Path, str] = {}
        for module in self.ctx.index.modules():
            data = self.ctx.edits.raw(module.path)
            if any(word in data for word in _PATCHING):
                texts[module.path] = data.decode("utf-8", "replace")  # offsets only
        return texts

    @cached_property
    def _dotted(self) -> dict[str, list[tuple[Path, int]]]:
        """Every dotted string (and its dotted prefixes) in a patching file, with its
        offset (lines are counted only for the few that are reported)."""
        found: dict[str, list[tuple[Path, int]]] = {}
        for path, text in self._texts.items():
            for match in _DOTTED.finditer(text):
                parts = match.group(1).split(".")
                for end in range(2, len(parts) + 1):
                    found.setdefault(".".join(parts[:end]), []).append((path, match.start()))
        return found

    @cached_property
    def _by_object(self) -> dict[str, list[tuple[Path, int, str]]]:
        found: dict[str, list[tuple[Path, int, str]]] = {}
        for path, text in self._texts.items():
            for match in _BY_OBJECT.finditer(text):
                found.setdefault(match.group(2), []).append((path, match.start(), match.group(1)))
        return found

    def _names_module(self, path: Path, target: str, module: Module) -> bool:
        """Whether `target` (`schema`, `base.schema`) spells `module` in that file: the
        file imports the module under that name."""
        importer = self.ctx.index.by_path.get(path)
        if importer is None:
            return False
        head = target.split(".")[0]
        for statement in importer.summary.imports:
            for imported in statement.names:
                if imported.bound != head:
                    continue
                if statement.from_import:
                    origin = self.ctx.index.absolute(importer, statement)
                    spelled = f"{origin}.{imported.name}"
                else:
                    spelled = imported.name if imported.alias else head
                full = ".".join([spelled, *target.split(".")[1:]])
                if full == module.name:
                    return True
        return False
