"""Discovered files keep their paths as text until a Path is needed, then join each name
to its directory's one Path: either way, the Path a file gets is `Path(text)`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from carve.core import discovery
from carve.core.config import Config
from carve.core.discovery import Discovery, SourceFile, _describe


@pytest.mark.parametrize("join", ["cpython", "slash"])
def test_joined_paths_equal_paths_made_from_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, join: str
) -> None:
    if join == "slash":  # a Python without `Path._make_child_relpath`
        monkeypatch.setattr(discovery, "_child", Path.__truediv__)
    for relative in ("pkg/__init__.py", "pkg/a.py", "pkg/sub/__init__.py", "pkg/sub/b.py", "c.py"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("X = 1\n")
    files = Discovery(Config(root=tmp_path)).source_files([tmp_path])
    assert {f.module for f in files} == {"pkg", "pkg.a", "pkg.sub", "pkg.sub.b", "c"}
    for file in files:
        path = file.path
        assert path == Path(file.text) and str(path) == file.text
        assert hash(path) == hash(Path(file.text)) and path.parts == Path(file.text).parts
        assert file == SourceFile(Path(file.text), file.root, file.module, file.is_package)


def test_files_directly_in_a_file_system_root_are_not_joined() -> None:
    """`/x.py` sits in `/`, not in the directory "" (`C:\\x.py` in `C:\\`, not `C:`)."""
    root = Path(os.path.abspath(os.sep))
    texts = [str(root / "x.py"), str(root / "pkg" / "__init__.py"), str(root / "pkg" / "y.py")]
    files = _describe(texts, [root])
    assert [f.module for f in files] == ["x", "pkg", "pkg.y"]
    assert [f.path for f in files] == [Path(t) for t in texts]


def test_a_directory_path_sorts_before_a_file_of_the_same_stem(tmp_path: Path) -> None:
    """As Paths sort, part by part: `a/b/c.py` before `a/b.py` (not as strings)."""
    for relative in ("a/__init__.py", "a/b.py", "a/b/__init__.py", "a/b/c.py", "a/b_c.py"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("")
    files = Discovery(Config(root=tmp_path)).source_files([tmp_path])
    paths = [f.path for f in files]
    assert paths == sorted(paths)
