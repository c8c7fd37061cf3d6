"""Adapter unit tests: positions in every encoding, minimal edits, change set →
WorkspaceEdit under different client capabilities, and the layering rules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types

from carve.core.changeset import ChangeSet
from carve.core.findings import Span
from carve.lsp.convert import EditSupport, UnsupportedEdit, minimal_edits, workspace_edit
from carve.lsp.positions import UTF8, UTF16, UTF32, LineIndex

from .lsp_helpers import apply_text_edits, vscode

# One line mixing an emoji (1 code point, 2 UTF-16 units, 4 UTF-8 bytes) and CJK
# (1 code point, 1 UTF-16 unit, 3 UTF-8 bytes each).
LINE = "s = '😀漢字'; from a import Name\n"
NAME = LINE.index("Name")  # 25 code points


@pytest.mark.parametrize(
    ("encoding", "column"),
    [(UTF32, NAME), (UTF16, NAME + 1), (UTF8, NAME + 3 + 2 * 2)],
)
def test_emoji_and_cjk_on_one_line(encoding: str, column: int) -> None:
    lines = LineIndex("x = 1\n" + LINE, encoding)
    position = lines.position(2, NAME)
    assert position == types.Position(line=1, character=column)
    assert lines.location(position) == (2, NAME)
    assert lines.range(Span(2, NAME, 2, NAME + 4)).end.character == column + 4


def test_positions_inside_a_surrogate_pair_round_down() -> None:
    lines = LineIndex(LINE, UTF16)
    emoji = LINE.index("😀")
    assert lines.location(types.Position(line=0, character=emoji + 1)) == (1, emoji)


def test_positions_are_clamped() -> None:
    lines = LineIndex("ab\ncd", UTF16)
    assert lines.location(types.Position(line=9, character=9)) == (2, 2)
    assert lines.position(1, 99) == types.Position(line=0, character=2)
    assert lines.position(7, 0) == types.Position(line=1, character=2)


def test_crlf_and_lone_cr_break_lines() -> None:
    lines = LineIndex("a\r\nb\rc\n", UTF16)
    assert lines.position(3, 1) == types.Position(line=2, character=1)
    assert lines.offset(types.Position(line=2, character=0)) == 5


def test_minimal_edits_touch_only_what_changed() -> None:
    old = "".join(f"line {i}\n" for i in range(1000))
    new = old.replace("line 500\n", "line 500 changed\n").replace("line 3\n", "")
    edits = minimal_edits(old, new)
    assert len(edits) == 2
    assert [e.range.start.line for e in edits] == [3, 500]
    assert sum(len(e.new_text) for e in edits) == len(" changed")
    assert apply_text_edits(old, edits) == new


def test_minimal_edits_with_utf16_columns() -> None:
    old = LINE
    new = LINE.replace("Name", "Other as Name")
    (edit,) = minimal_edits(old, new, LineIndex(old, UTF16))
    assert edit.range.start.character == NAME + 1
    assert apply_text_edits(old, [edit]) == new


def _changes(tmp_path: Path) -> tuple[ChangeSet, Path, Path]:
    existing = tmp_path / "views.py"
    created = tmp_path / "feature.py"
    changes = ChangeSet("Move")
    changes.add(existing, "import a\nimport b\n", "import a\nimport c\n")
    changes.add(created, None, "class Feature:\n    pass\n")
    return changes, existing, created


def test_workspace_edit_with_document_changes_and_creation(tmp_path: Path) -> None:
    changes, existing, created = _changes(tmp_path)
    support = EditSupport.of(vscode())
    assert support == EditSupport(document_changes=True, create=True, delete=True, annotations=True)
    edit = workspace_edit(changes, support, {existing: 7}, UTF16, confirm=True)
    create, new_text, modify = edit.document_changes
    assert isinstance(create, types.CreateFile) and create.uri == created.as_uri()
    assert create.options.overwrite is False and create.options.ignore_if_exists is False
    assert new_text.text_document.version is None
    assert new_text.edits[0].new_text == "class Feature:\n    pass\n"
    assert modify.text_document == types.OptionalVersionedTextDocumentIdentifier(
        uri=existing.as_uri(), version=7
    )
    (change,) = modify.edits
    assert isinstance(change, types.AnnotatedTextEdit) and change.new_text == "c"
    assert edit.change_annotations["carve.refactor"].needs_confirmation is True


def test_workspace_edit_without_annotation_support_is_plain(tmp_path: Path) -> None:
    changes, _, _ = _changes(tmp_path)
    support = EditSupport(document_changes=True, create=True)
    edit = workspace_edit(changes, support, {}, UTF16, confirm=True)
    assert edit.change_annotations is None
    assert all(type(e) is types.TextEdit for e in edit.document_changes[-1].edits)
    assert edit.document_changes[-1].text_document.version is None  # not open


def test_creation_needs_resource_operations(tmp_path: Path) -> None:
    changes, _, _ = _changes(tmp_path)
    with pytest.raises(UnsupportedEdit):
        workspace_edit(changes, EditSupport(document_changes=True), {}, UTF16)
    with pytest.raises(UnsupportedEdit):
        workspace_edit(changes, EditSupport(), {}, UTF16)


def test_deletion_comes_last_as_delete_file(tmp_path: Path) -> None:
    """A move that empties a feature file nobody imports deletes it."""
    changes, _, _ = _changes(tmp_path)
    emptied = tmp_path / "invoice_models.py"
    changes.delete(emptied, "from .feature import Feature as Feature\n")
    support = EditSupport(document_changes=True, create=True, delete=True)
    edit = workspace_edit(changes, support, {emptied: 4}, UTF16)
    kinds = [type(c).__name__ for c in edit.document_changes]
    assert kinds == ["CreateFile", "TextDocumentEdit", "TextDocumentEdit", "DeleteFile"]
    delete = edit.document_changes[-1]
    assert delete.uri == emptied.as_uri() and delete.options.ignore_if_not_exists is False
    with pytest.raises(UnsupportedEdit, match="delete"):
        workspace_edit(changes, EditSupport(document_changes=True, create=True), {}, UTF16)
    with pytest.raises(UnsupportedEdit):
        workspace_edit(changes, EditSupport(), {}, UTF16)


def test_plain_changes_map_without_document_changes(tmp_path: Path) -> None:
    existing = tmp_path / "views.py"
    changes = ChangeSet("Fix")
    changes.add(existing, "import a\nimport b\n", "import a\nimport c\n")
    edit = workspace_edit(changes, EditSupport(), {existing: 3}, UTF16)
    assert edit.document_changes is None
    (only,) = edit.changes[existing.as_uri()]
    assert only.range.start == types.Position(line=1, character=7) and only.new_text == "c"


def test_core_never_imports_protocol_libraries() -> None:
    core = Path(__file__).resolve().parents[2] / "server" / "carve" / "core"
    offenders = [
        str(path.relative_to(core))
        for path in core.rglob("*.py")
        if any(
            line.lstrip().startswith((f"import {lib}", f"from {lib}"))
            for line in path.read_text(encoding="utf-8").splitlines()
            for lib in ("pygls", "lsprotocol", "carve.lsp")
        )
    ]
    assert offenders == []


def test_carve_check_does_not_import_pygls() -> None:
    code = (
        "import sys; from carve.cli.main import build_parser; "
        "import carve.cli.check_command, carve.core.fixes; "
        "assert not {'pygls', 'lsprotocol'} & set(sys.modules), sorted(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
