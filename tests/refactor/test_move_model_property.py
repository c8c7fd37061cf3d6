"""Properties of moves out of generated model modules (issue 11): a `Base` whose
`__init_subclass__` registers into a module-level `REGISTRY`, mixins, models, functions,
constants and set-up statements. Any accepted move yields files that parse, import
alone in a fresh interpreter, behave the same, and add no `import-cycle`,
`unresolved-import` or `broken-reexport`; a move for which a cycle-free layout exists
(no staying code reads the moved code) is accepted."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from model_harness import import_each
from move_harness import apply, assert_all_parse, make_project, plan, problems, run_python

from carve.core.refactor.request import MoveError

HEADER = """\
import os

REGISTRY = []
PREFIX = os.environ.get("PKG_PREFIX", "p")


class Base:
    prefix = PREFIX

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        REGISTRY.append(cls.__name__)
"""

BEHAVIOUR = """
    import pkg.user as user
    from pkg.models import REGISTRY

    def norm(value, depth=0):
        if depth > 3:
            return getattr(value, "__name__", type(value).__name__)
        if isinstance(value, list):  # REGISTRY: its order follows the import order
            return sorted((norm(v, depth + 1) for v in value), key=repr)
        if isinstance(value, tuple):
            return [norm(v, depth + 1) for v in value]
        if isinstance(value, type):
            return [value.__name__, [b.__name__ for b in value.__mro__],
                    norm(getattr(value, "ref", None), depth + 1),
                    norm(value().run(), depth + 1) if hasattr(value, "run") else None]
        if callable(value):
            return [value.__name__, norm(value(), depth + 1)]
        return repr(value)

    print(sorted(REGISTRY), norm(user.everything()))
"""


@dataclass
class Generated:
    text: str
    public: list[str]
    models: list[str]
    moved: list[str] = field(default_factory=list)


def _refs(draw: st.DrawFn, candidates: list[str], most: int = 2) -> str:
    if not candidates:
        return "None"
    chosen = draw(st.lists(st.sampled_from(candidates), max_size=most, unique=True))
    return "(" + "".join(f"{name}, " for name in chosen) + ")"


PREFIXES = {"model": "Model", "mixin": "Mixin", "func": "f", "const": "K", "setup": "_"}


@st.composite
def model_modules(draw: st.DrawFn, resolvable: bool = False) -> Generated:
    """`resolvable`: a model is moved, and no staying code names moved code."""
    kinds = draw(st.lists(st.sampled_from(sorted(PREFIXES)), min_size=3, max_size=8))
    kinds[draw(st.integers(0, len(kinds) - 1))] = "model"
    items = [(kind, PREFIXES[kind] + str(i)) for i, kind in enumerate(kinds)]
    models = [name for kind, name in items if kind == "model"]
    moved = draw(st.lists(st.sampled_from(models), min_size=1, max_size=2, unique=True))
    later = [name for kind, name in items if kind in ("mixin", "func", "const")]
    parts = [HEADER]
    if draw(st.booleans()):
        parts.append('REGISTRY.append("start")\n')
    for i, (kind, name) in enumerate(items):
        earlier = [n for k, n in items[:i] if k != "setup"]
        if resolvable and name not in moved:
            earlier = [n for n in earlier if n not in moved]
        parts.append("\n\n" + _item(draw, kind, name, earlier, later))
    public = ["Base", "REGISTRY", "PREFIX", *(n for k, n in items if k != "setup")]
    return Generated("".join(parts), public, models, moved if resolvable else [])


def _item(draw: st.DrawFn, kind: str, name: str, earlier: list[str], later: list[str]) -> str:
    """One definition; `earlier` may be read when it runs, `later` only when called."""
    runtime = sorted({*later, *earlier})
    if kind == "model":
        parents = [n for n in earlier if n.startswith(("Mixin", "Model"))]
        bases = draw(st.lists(st.sampled_from(parents), max_size=1)) if parents else []
        base = ", ".join([*bases, "Base"] if not bases or bases[0].startswith("Mixin") else bases)
        return (
            f"class {name}({base}):\n    ref = {_refs(draw, earlier)}\n\n"
            f"    def run(self):\n        return [self.prefix, {_refs(draw, runtime)}]\n"
        )
    if kind == "mixin":
        return f"class {name}:\n    tag = {_refs(draw, [n for n in earlier if n[0] == 'K'])}\n"
    if kind == "func":
        return f"def {name}():\n    return {_refs(draw, runtime)}\n"
    if kind == "const":
        return f"{name} = {_refs(draw, earlier)}\n"
    target = draw(st.sampled_from([n for n in earlier if n.startswith("Model")] or ["Base"]))
    return f'REGISTRY.append({target}.__name__ + "!")\n'


def _project(tmp: str, module: Generated) -> Path:
    imported = ", ".join(module.public)
    user = f"from pkg.models import {imported}\n\n\ndef everything():\n    return [{imported}]\n"
    files = {"pkg/__init__.py": "", "pkg/user.py": user}
    root = make_project(Path(tmp), files)
    (root / "pkg/models.py").write_text(module.text, encoding="utf-8")
    return root


def _move_keeps_everything(
    root: Path, names: tuple[str, ...], importers: str, may_refuse: bool = True
) -> None:
    """Plan and apply the move (a refusal is fine if `may_refuse`); assert the bar."""
    try:
        changes = plan(root, "pkg.models", names, "pkg.moved_models", importers)
    except MoveError:
        if may_refuse:
            return
        raise
    broken_before = problems(root)
    behaviour = run_python(root, BEHAVIOUR)
    apply(root, changes)
    assert_all_parse(root)
    assert import_each(root, []) == []
    assert run_python(root, BEHAVIOUR) == behaviour
    assert problems(root) <= broken_before


SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
IMPORTERS = st.sampled_from(["keep", "hub", "direct"])


@SETTINGS
@given(model_modules(), st.data(), IMPORTERS)
def test_any_accepted_move_imports_and_behaves(
    module: Generated, data: st.DataObject, importers: str
) -> None:
    movable = [n for n in module.public if n not in {"REGISTRY", "PREFIX"}]
    names = data.draw(st.lists(st.sampled_from(movable), min_size=1, max_size=2, unique=True))
    with tempfile.TemporaryDirectory() as tmp:
        _move_keeps_everything(_project(tmp, module), tuple(names), importers)


@SETTINGS
@given(model_modules(resolvable=True), IMPORTERS)
def test_a_move_with_a_cycle_free_layout_is_accepted(module: Generated, importers: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        note(module.text)
        _move_keeps_everything(_project(tmp, module), tuple(module.moved), importers, False)
