"""Whatever carve reuses between checks (the `.carve_cache/` summaries and results of an
earlier `carve check`; the language server's per-file index updates), random edits to a
synthetic project must leave findings identical to a `--no-cache` check from scratch."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carve.core.cache import FileStamps
from carve.core.check import CheckOptions, check_project, run_checks
from carve.core.config import load_config
from carve.core.findings import Finding
from carve.core.project import Project

ROOT = Path(__file__).resolve().parents[2]

# Edits that change each kind of rule input: nothing (a comment), imports (added,
# removed, bypassing a hub, unresolvable, closing cycles), definitions, `__all__`,
# syntax errors, PEP 695 syntax, files created and deleted; and edits that keep every
# interface (positions shifted, bodies changed, the file rewritten unchanged or with
# its old size and mtime), which the result cache answers by re-checking that file.
EDITS = [
    "comment",
    "shift",
    "body",
    "touch",
    "same-size",
    "import-hub",
    "import-feature",
    "import-missing",
    "drop-first-import",
    "drop-class",
    "drop-all-entry",
    "syntax-error",
    "modern",
    "new-file",
    "delete-file",
]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(ROOT))  # the benchmarks' generator writes the tree
    try:
        from benchmarks.synth import generate
    finally:
        sys.path.remove(str(ROOT))
    tree = tmp_path_factory.mktemp("synthetic") / "tree"
    generate(tree, 2500)
    return tree


def findings_of(project_findings: list[Finding], root: Path) -> list[tuple[object, ...]]:
    return [
        (f.rule, f.path.relative_to(root).as_posix(), f.span, f.message, f.symbol, f.severity)
        for f in project_findings
    ]


def full_recheck(root: Path) -> list[tuple[object, ...]]:
    config = load_config(root)
    index = Project(config, use_cache=False).build()
    return findings_of(run_checks(index, config, CheckOptions()).findings, root)


def cached_check(root: Path) -> list[tuple[object, ...]]:
    project = Project(load_config(root), jobs=1)
    return findings_of(check_project(project, [root]).findings, root)


def apply_edit(root: Path, edit: str, pick: int) -> dict[Path, str | None]:
    """Apply one edit to the `pick`-th module; returns {path: new text or None}."""
    files = sorted(p for p in root.rglob("*.py") if ".carve_cache" not in p.parts)
    path = files[pick % len(files)]
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    apps = sorted(p.name for p in (root / "apps").iterdir() if p.is_dir())
    app = apps[pick % len(apps)]
    feature = sorted((root / "apps" / app).glob("*_models.py"))[0].stem
    if edit == "delete-file":
        path.unlink()
        return {path: None}
    if edit == "new-file":
        path = root / "apps" / app / f"extra{pick}_models.py"
        text = f"from apps.{app}.{feature} import *\n\n\nclass Extra{pick}:\n    pass\n"
    elif edit == "comment":
        text += "# an edit\n"
    elif edit == "shift":  # every position moves, the interface stays
        text = "# carve: ignore[hub-bypass] a shifted suppression\n\n" + text
    elif edit == "body":
        text = text.replace("    pass\n", "    x = 1\n", 1)
    elif edit == "touch":
        os.utime(path)
    elif edit == "same-size":  # same size, old mtime: only ctime tells
        before = path.stat()
        path.write_text(text.replace("class ", "class_", 1), encoding="utf-8")
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        return {path: path.read_text(encoding="utf-8")}
    elif edit == "import-hub":
        text = f"from apps.{app}.models import *\n" + text
    elif edit == "import-feature":
        text = f"from apps.{app} import {feature}\nfrom apps.{app}.views import *\n" + text
    elif edit == "import-missing":
        text = f"from apps.{app}.models import Nowhere{pick}\n" + text
    elif edit == "drop-first-import":
        found = [i for i, line in enumerate(lines) if line.startswith(("from ", "import "))]
        if found:
            del lines[found[0]]
        text = "".join(lines)
    elif edit == "drop-class":
        found = [i for i, line in enumerate(lines) if line.startswith("class ")]
        if found:
            lines[found[0]] = lines[found[0]].replace("class ", "class Renamed", 1)
        text = "".join(lines)
    elif edit == "drop-all-entry":
        text = text.replace('    "', "    # ", 1)
    elif edit == "syntax-error":
        text += "def broken(:\n"
    elif edit == "modern":
        text += "\n\ntype Alias = int\n\n\ndef generic[T](x: T) -> T:\n    return x\n"
    path.write_text(text, encoding="utf-8")
    return {path: text}


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    edits=st.lists(
        st.tuples(st.sampled_from(EDITS), st.integers(min_value=0, max_value=10_000)),
        min_size=1,
        max_size=4,
    )
)
def test_cached_and_incremental_checks_equal_a_full_recheck(
    synthetic: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    edits: list[tuple[str, int]],
) -> None:
    # Trust stat stamps at once (edits here follow a check within milliseconds; each
    # still changes mtime and ctime), so unchanged files are never read again.
    monkeypatch.setattr(FileStamps, "RACY_NS", 0)
    root = tmp_path_factory.mktemp("edited") / "tree"
    shutil.copytree(synthetic, root)
    cached_check(root)  # fills .carve_cache/ (summaries and results)
    server = Project(load_config(root), use_cache=False, jobs=1)
    server.build()  # the language server's index, then updated file by file
    changed: dict[Path, str | None] = {}
    for edit, pick in edits:
        changed.update(apply_edit(root, edit, pick))
    expected = full_recheck(root)
    assert cached_check(root) == expected
    if any(text is None for text in changed.values()):
        updated = server.build()  # a deleted file: the server re-indexes (watching.py)
    else:
        updated = server.update_many(changed)
    lsp = run_checks(updated, server.config, CheckOptions()).findings
    assert findings_of(lsp, root) == expected
