"""carve values → LSP values: findings → diagnostics, change sets → workspace edits.

Edits are minimal: each changed file is diffed old → new and only the differing
stretches become TextEdits, never a whole-file replacement.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path

from carve.core.changeset import ChangeSet
from carve.core.findings import Finding, Severity
from carve.core.rules.registry import RULES
from carve.core.textdiff import diff_replacements
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
    return [
        types.TextEdit(
            range=types.Range(start=lines.position_at(item.start), end=lines.position_at(item.end)),
            new_text=item.text,
        )
        for item in diff_replacements(old, new)
    ]


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
    uris: Callable[[Path], str] = uri_of,
) -> types.WorkspaceEdit:
    """`changes` as one WorkspaceEdit. `versions`: open documents' versions (the edit
    applies to exactly those); `confirm`: ask the client to show a preview first;
    `uris`: the URI the client knows each changed path by.
    Order: file creations (each followed by its text), edits, then deletions."""
    annotate = confirm and support.annotations and support.document_changes
    annotation = ANNOTATION_ID if annotate else None
    if not support.document_changes:
        return _plain_changes(changes, encoding, uris)
    document_changes: list[types.TextDocumentEdit | types.CreateFile | types.DeleteFile] = []
    order = sorted(changes.changes, key=lambda c: (c.is_deletion, not c.is_creation, str(c.path)))
    for change in order:
        uri = uris(change.path)
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


def _plain_changes(
    changes: ChangeSet, encoding: str, uris: Callable[[Path], str]
) -> types.WorkspaceEdit:
    """The `changes` map for clients without documentChanges (no versions, no files)."""
    if any(c.is_creation or c.is_deletion for c in changes.changes):
        raise UnsupportedEdit(
            "the editor cannot create or delete files (no documentChanges support)"
        )
    edits: dict[str, list[types.TextEdit]] = {}
    for change in changes.changes:
        old = change.old_text or ""
        edits[uris(change.path)] = minimal_edits(old, change.new_text, LineIndex(old, encoding))
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
