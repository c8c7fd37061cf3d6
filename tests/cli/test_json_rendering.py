"""`--format json` is written without json's (pure-Python) indenting encoder: it must
stay byte-identical to `json.dumps(payload, indent=2, ensure_ascii=False)`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from carve.cli.formats import JSON_VERSION, finding_to_json, pretty_json, render_json
from carve.core.check import check_project
from carve.core.config import load_config
from carve.core.project import Project

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "shop"

VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=40,
)


@settings(max_examples=300)
@given(VALUES)
def test_pretty_json_is_json_dumps_indent_2(value: object) -> None:
    assert pretty_json(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_render_json_is_json_dumps_of_the_findings(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    shutil.copytree(EXAMPLE, root)
    unicode = root / "apps/orders/ünïcode.py"
    unicode.write_text("from apps.orders.models import Nowhére\n", encoding="utf-8")
    project = Project(load_config(root), use_cache=False, jobs=1)
    findings = check_project(project, [root], with_fixes=True).findings
    assert any(f.fix is not None for f in findings) and len(findings) > 5
    payload = {"version": JSON_VERSION, "findings": [finding_to_json(f, root) for f in findings]}
    assert render_json(findings, root) == json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    assert render_json([], root) == json.dumps({"version": 1, "findings": []}, indent=2) + "\n"
