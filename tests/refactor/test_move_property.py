"""Property: for generated modules, a move either refuses or yields files that parse and
that define, together, exactly the top-level names the source defined before."""

from __future__ import annotations

import ast
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from move_harness import make_project, plan

from carve.core.refactor.request import MoveError

IMPORTS = ["import os", "import json", "from decimal import Decimal", "from typing import Any"]
IMPORTED = {
    "import os": "os",
    "import json": "json",
    "from decimal import Decimal": "Decimal",
    "from typing import Any": "Any",
}


@st.composite
def modules(draw: st.DrawFn) -> tuple[str, list[str]]:
    count = draw(st.integers(2, 7))
    names = [draw(st.sampled_from(["_h", "", ""])) + f"n{i}" for i in range(count)]
    imports = draw(st.lists(st.sampled_from(IMPORTS), unique=True, max_size=3))
    parts = [line + "\n" for line in imports]
    for i, name in enumerate(names):
        uses = draw(st.lists(st.sampled_from(names[:i] or [name]), max_size=2, unique=True))
        uses += [IMPORTED[line] for line in imports if draw(st.booleans())]
        refs = ", ".join(u for u in uses if u != name) or "None"
        gap = "\n" * draw(st.integers(0, 2))
        comment = draw(st.sampled_from(["", "# about it\n"]))
        kind = draw(st.sampled_from(["def", "class", "const"]))
        if kind == "def":
            body = f"def {name}(x=1):\n    return [{refs}]\n"
        elif kind == "class":
            body = f"@staticmethod\nclass {name}:\n    attr = lambda: [{refs}]\n"
            body = body.replace("@staticmethod\n", "")
        else:
            body = f"{name} = lambda: [{refs}]\n"
        parts.append(gap + comment + body)
    return "".join(parts), names


def top_level(text: str) -> set[str]:
    names = set()
    for node in ast.parse(text).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules(), st.data())
def test_moves_keep_every_name_somewhere(
    module: tuple[str, list[str]], data: st.DataObject
) -> None:
    text, names = module
    public = [n for n in names if not n.startswith("_")] or names
    chosen = data.draw(st.lists(st.sampled_from(public), min_size=1, max_size=2, unique=True))
    with tempfile.TemporaryDirectory() as tmp:
        root = make_project(Path(tmp), {"pkg/__init__.py": ""})
        (root / "pkg/models.py").write_text(text, encoding="utf-8")
        try:
            changes = plan(root, "pkg.models", tuple(chosen), "pkg.moved_models")
        except MoveError:
            return  # a refusal is a fine outcome; a crash or a bad result is not
        source = changes.text_of(root / "pkg/models.py")
        destination = changes.text_of(root / "pkg/moved_models.py")
        assert source is not None and destination is not None
        moved = top_level(destination)
        shared = top_level(changes.text_of(root / "pkg/base_models.py") or "")
        assert top_level(source) | moved | shared == top_level(text)
        assert not top_level(source) & (moved | shared) and not moved & shared
        assert set(chosen) <= moved
        shutil.rmtree(root / "pkg")
