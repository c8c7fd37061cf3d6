"""carve values → LSP values: findings → diagnostics, change sets → workspace edits.

Edits are minimal: each changed file is diffed old → new and only the differing
stretches become TextEdits, never a whole-file replacement.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path

from carve.core.changeset import ChangeSet
from carve.core.findings import Finding, Severity
from carve.core.rules.registry import RULES
from carve.lsp.positions import LineIndex

SOURCE = "carve"
_SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def uri_of(path: Path) -> str:
    return from_fs_path(str(path)) or path.as_uri()


def diagnostic(finding: Finding, lines: LineIndex) -> types.Diagnostic:
    rule = RULES.get(finding.rule)
    return types.Diagnostic(
        range=lines.range(finding.span),
        message=finding.message,
        severity=_SEVERITIES.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.rule,
        code_description=types.CodeDescription(href=rule.url) if rule else None,
        source=SOURCE,
        data={"symbol": finding.symbol} if finding.symbol else None,
    )


# -- edits -------------------------------------------------------------------------------
def minimal_edits(old: str, new: str, lines: LineIndex | None = None) -> list[types.TextEdit]:
    """The smallest TextEdits (per differing stretch) turning `old` into `new`."""
    if old == new:
        return []
    lines = lines if lines is not None and lines.text == old else LineIndex(old)
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
    old_offset = sum(len(line) for line in old_lines[:head])
    matcher = difflib.SequenceMatcher(None, old_middle, new_middle, autojunk=False)
    edits: list[types.TextEdit] = []
    starts = _offsets(old_middle, old_offset)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        start, end = starts[i1], starts[i2]
        edits.append(_trimmed(lines, old[start:end], "".join(new_middle[j1:j2]), start))
    return edits


def _offsets(lines: list[str], base: int) -> list[int]:
    offsets = [base]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    return offsets


def _trimmed(lines: LineIndex, old: str, new: str, start: int) -> types.TextEdit:
    """An edit replacing `old` (at `start`) by `new`, minus their common ends."""
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    begin, finish = start + prefix, start + len(old) - suffix
    return types.TextEdit(
        range=types.Range(start=lines.position_at(begin), end=lines.position_at(finish)),
        new_text=new[prefix : len(new) - suffix],
    )


@dataclass(frozen=True, slots=True)
class EditSupport:
    """What the client's `workspace.workspaceEdit` capability allows."""

    document_changes: bool = False
    create: bool = False
    delete: bool = False
    annotations: bool = False
    snippets: bool = False

    @classmethod
    def of(cls, capabilities: types.ClientCapabilities | None) -> EditSupport:
        workspace = capabilities.workspace if capabilities else None
        edit = workspace.workspace_edit if workspace else None
        if edit is None:
            return cls()
        operations = [str(getattr(op, "value", op)) for op in edit.resource_operations or ()]
        return cls(
            document_changes=bool(edit.document_changes),
            create="create" in operations,
            delete="delete" in operations,
            annotations=edit.change_annotation_support is not None,
            snippets=bool(getattr(edit, "snippet_edit_support", False)),
        )


class UnsupportedEdit(Exception):
    """The client cannot apply this change set (e.g. it cannot create or delete files)."""


ANNOTATION_ID = "carve.refactor"


def workspace_edit(
    changes: ChangeSet,
    support: EditSupport,
    versions: Mapping[Path, int | None],
    encoding: str,
    confirm: bool = False,
) -> types.WorkspaceEdit:
    """`changes` as one WorkspaceEdit. `versions`: open documents' versions (the edit
    applies to exactly those); `confirm`: ask the client to show a preview first.
    Order: file creations (each followed by its text), edits, then deletions."""
    annotate = confirm and support.annotations and support.document_changes
    annotation = ANNOTATION_ID if annotate else None
    if not support.document_changes:
        return _plain_changes(changes, encoding)
    document_changes: list[types.TextDocumentEdit | types.CreateFile | types.DeleteFile] = []
    order = sorted(changes.changes, key=lambda c: (c.is_deletion, not c.is_creation, str(c.path)))
    for change in order:
        uri = uri_of(change.path)
        if change.is_deletion:
            document_changes.append(_delete(uri, support, annotation))
            continue
        if change.is_creation:
            document_changes.append(_create(uri, support, annotation))
        old = change.old_text or ""
        edits = minimal_edits(old, change.new_text, LineIndex(old, encoding))
        identifier = types.OptionalVersionedTextDocumentIdentifier(
            uri=uri, version=None if change.is_creation else versions.get(change.path)
        )
        document_changes.append(
            types.TextDocumentEdit(text_document=identifier, edits=_annotated(edits, annotation))
        )
    annotations = {ANNOTATION_ID: _annotation(changes)} if annotation else None
    return types.WorkspaceEdit(
        document_changes=document_changes,
        change_annotations=annotations,
    )


def _create(uri: str, support: EditSupport, annotation: str | None) -> types.CreateFile:
    if not support.create:
        raise UnsupportedEdit("the editor cannot create files (no resourceOperations)")
    options = types.CreateFileOptions(overwrite=False, ignore_if_exists=False)
    return types.CreateFile(uri=uri, options=options, annotation_id=annotation)


def _delete(uri: str, support: EditSupport, annotation: str | None) -> types.DeleteFile:
    if not support.delete:
        raise UnsupportedEdit("the editor cannot delete files (no resourceOperations)")
    options = types.DeleteFileOptions(recursive=False, ignore_if_not_exists=False)
    return types.DeleteFile(uri=uri, options=options, annotation_id=annotation)


def _plain_changes(changes: ChangeSet, encoding: str) -> types.WorkspaceEdit:
    """The `changes` map for clients without documentChanges (no versions, no files)."""
    if any(c.is_creation or c.is_deletion for c in changes.changes):
        raise UnsupportedEdit(
            "the editor cannot create or delete files (no documentChanges support)"
        )
    edits: dict[str, list[types.TextEdit]] = {}
    for change in changes.changes:
        old = change.old_text or ""
        edits[uri_of(change.path)] = minimal_edits(old, change.new_text, LineIndex(old, encoding))
    return types.WorkspaceEdit(changes=edits)


def _annotation(changes: ChangeSet) -> types.ChangeAnnotation:
    return types.ChangeAnnotation(
        label=changes.title, needs_confirmation=True, description=_describe(changes)
    )


def _annotated(
    edits: list[types.TextEdit], annotation: str | None
) -> list[types.TextEdit | types.AnnotatedTextEdit | types.SnippetTextEdit]:
    if annotation is None:
        return list(edits)
    return [
        types.AnnotatedTextEdit(annotation_id=annotation, range=e.range, new_text=e.new_text)
        for e in edits
    ]


def _describe(changes: ChangeSet) -> str:
    created = sum(1 for c in changes.changes if c.is_creation)
    deleted = sum(1 for c in changes.changes if c.is_deletion)
    modified = len(changes.changes) - created - deleted
    parts = [f"{modified} file(s) modified"] + ([f"{created} created"] if created else [])
    return ", ".join(parts + ([f"{deleted} deleted"] if deleted else []))


def snippet_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("$", "\\$").replace("}", "\\}")
