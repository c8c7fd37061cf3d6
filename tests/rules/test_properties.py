"""Property tests: every name a hub re-exports from a definition resolves to it, and
deleting a definition breaks exactly the re-exports of it."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from carve.core.index import Outcome

from conftest import build_index, check, make_project

FORMS = ("as", "all", "implicit")


@dataclass(frozen=True)
class Layout:
    features: tuple[tuple[str, ...], ...]  # class names per feature file
    hub_forms: dict[str, str]  # name → how models.py re-exports it
    init_reexports: tuple[str, ...]  # names pkg/__init__.py re-exports from models.py
    absolute: bool  # `from pkg.x_models import` instead of `from .x_models import`

    def files(self, drop: str | None = None) -> dict[str, str]:
        files = {
            "pkg/__init__.py": "".join(
                f"from .models import {n} as {n}\n" for n in self.init_reexports
            )
        }
        lines: list[str] = []
        listed: list[str] = []
        for number, classes in enumerate(self.features):
            module = f"f{number}_models"
            body = "".join(f"class {c}:\n    pass\n\n\n" for c in classes if c != drop)
            files[f"pkg/{module}.py"] = body or "VALUE = 1\n"
            source = f"pkg.{module}" if self.absolute else f".{module}"
            for name in classes:
                form = self.hub_forms.get(name)
                if form is None:
                    continue
                alias = f" as {name}" if form == "as" else ""
                lines.append(f"from {source} import {name}{alias}\n")
                if form == "all":
                    listed.append(name)
        all_line = f"__all__ = {listed!r}\n" if listed else ""
        files["pkg/models.py"] = "".join(lines) + all_line
        return files

    def reexports_of(self, name: str) -> int:
        return (name in self.hub_forms) + (name in self.init_reexports)


@st.composite
def layouts(draw: st.DrawFn) -> Layout:
    count = draw(st.integers(1, 3))
    names = iter(f"Model{i}" for i in range(100))
    features = tuple(
        tuple(next(names) for _ in range(draw(st.integers(1, 3)))) for _ in range(count)
    )
    everything = [n for classes in features for n in classes]
    exported = draw(st.lists(st.sampled_from(everything), min_size=1, unique=True))
    # Without `__all__` a bare import keeps the `as`-less form implicit; with one, it must
    # be listed: both are re-exports of a `models.py` hub.
    hub_forms = {name: draw(st.sampled_from(FORMS)) for name in exported}
    init = draw(st.lists(st.sampled_from(exported), unique=True))
    return Layout(features, hub_forms, tuple(init), draw(st.booleans()))


@settings(max_examples=60, deadline=None)
@given(layouts())
def test_every_reexported_definition_resolves(layout: Layout) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = make_project(Path(directory), layout.files())
        index = build_index(root)
        for name in layout.hub_forms:
            result = index.resolve("pkg.models", name)
            assert (result.outcome, result.name) == (Outcome.DEFINED, name)
            assert result.module.startswith("pkg.f")
        for name in layout.init_reexports:
            assert index.resolve("pkg", name).outcome is Outcome.DEFINED
        assert check(root, ["broken-reexport", "unresolved-import"]) == []


@settings(max_examples=60, deadline=None)
@given(layouts(), st.data())
def test_deleting_a_definition_breaks_each_reexport_once(
    layout: Layout, data: st.DataObject
) -> None:
    victim = data.draw(st.sampled_from(sorted(layout.hub_forms)))
    with tempfile.TemporaryDirectory() as directory:
        root = make_project(Path(directory), layout.files(drop=victim))
        findings = check(root, ["broken-reexport"])
        assert len(findings) == layout.reexports_of(victim)
        assert all(f.data["name"] == victim for f in findings)
        paths = sorted(f.path.relative_to(root).as_posix() for f in findings)
        expected = ["pkg/__init__.py"] * (victim in layout.init_reexports) + ["pkg/models.py"]
        assert paths == expected
