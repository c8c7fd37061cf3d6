"""Writing a change set: every file or none, never a half-written file."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from move_harness import snapshot

from carve.core.changeset import ChangeSet
from carve.core.refactor.edits.apply import StaleFileError, recover, write_change_set


def project(tmp_path: Path) -> tuple[Path, ChangeSet]:
    (tmp_path / "a.py").write_text("A = 1\n", encoding="utf-8")
    (tmp_path / "b.py").write_bytes("# -*- coding: latin-1 -*-\nB = 'é'\n".encode("latin-1"))
    (tmp_path / "gone.py").write_text("G = 1\n", encoding="utf-8")
    changes = ChangeSet("test")
    changes.add(tmp_path / "a.py", "A = 1\n", "A = 2\n")
    changes.add(
        tmp_path / "b.py",
        "# -*- coding: latin-1 -*-\nB = 'é'\n",
        "# -*- coding: latin-1 -*-\nB = 'è'\n",
    )
    changes.add(tmp_path / "new/pkg/c.py", None, "C = 3\n")
    changes.delete(tmp_path / "gone.py", "G = 1\n")
    return tmp_path, changes


def test_writes_every_file(tmp_path: Path) -> None:
    root, changes = project(tmp_path)
    write_change_set(changes, root / ".carve_cache")
    assert (root / "a.py").read_text() == "A = 2\n"
    assert (root / "b.py").read_bytes() == "# -*- coding: latin-1 -*-\nB = 'è'\n".encode("latin-1")
    assert (root / "new/pkg/c.py").read_text() == "C = 3\n"
    assert not (root / "gone.py").exists()
    assert sorted(snapshot(root)) == ["a.py", "b.py", "new/pkg/c.py"]  # no temp files left


def test_refuses_when_a_file_changed_since_planning(tmp_path: Path) -> None:
    root, changes = project(tmp_path)
    (root / "b.py").write_text("B = 'changed'\n", encoding="utf-8")
    before = snapshot(root)
    with pytest.raises(StaleFileError, match=r"b\.py: was modified"):
        write_change_set(changes, root / ".carve_cache")
    assert snapshot(root) == before
    assert not (root / "new").exists()


def test_refuses_when_a_created_file_appeared(tmp_path: Path) -> None:
    root, changes = project(tmp_path)
    (root / "new/pkg").mkdir(parents=True)
    (root / "new/pkg/c.py").write_text("mine\n", encoding="utf-8")
    with pytest.raises(StaleFileError, match="was created"):
        write_change_set(changes, root / ".carve_cache")
    assert (root / "a.py").read_text() == "A = 1\n"


def test_rolls_back_when_a_replace_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, changes = project(tmp_path)
    before = snapshot(root)
    real_replace, calls = os.replace, []

    def failing(src: object, dst: object) -> None:
        calls.append(dst)
        if len(calls) == 3:  # journal, first file … then the disk fills up
            raise OSError(28, "No space left on device")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OSError, match="No space"):
        write_change_set(changes, root / ".carve_cache")
    monkeypatch.setattr(os, "replace", real_replace)
    assert snapshot(root) == before


def test_recovers_after_being_killed_mid_write(tmp_path: Path) -> None:
    root, _ = project(tmp_path)
    before = snapshot(root)
    script = textwrap.dedent(
        f"""
        import os
        from pathlib import Path
        from carve.core.changeset import ChangeSet
        from carve.core.refactor.edits.apply import write_change_set
        root = Path({str(root)!r})
        changes = ChangeSet("t")
        changes.add(root / "a.py", "A = 1\\n", "A = 2\\n")
        changes.add(root / "new/pkg/c.py", None, "C = 3\\n")
        changes.delete(root / "gone.py", "G = 1\\n")
        real, count = os.replace, [0]
        def dying(src, dst):
            count[0] += 1
            real(src, dst)
            if count[0] == 2:  # the journal, then a.py: killed before the rest
                os._exit(9)
        os.replace = dying
        write_change_set(changes, root / ".carve_cache")
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert proc.returncode == 9
    assert (root / "a.py").read_text() == "A = 2\n"  # half applied on disk…
    restored = recover(root / ".carve_cache")
    assert root / "a.py" in restored
    assert snapshot(root) == before  # … and rolled back by the next run
    assert recover(root / ".carve_cache") == []
