"""Diagnostics: pushed (`textDocument/publishDiagnostics`, debounced, versioned) or
pulled (`textDocument/diagnostic`, `workspace/diagnostic`) as the client prefers.

Every round re-checks all open documents against one snapshot, so an edit that
breaks other files (a class removed from a feature file breaks its hub and the
hub's importers) re-publishes them too. A round whose document moved on while it
ran is dropped: the next round, already scheduled, publishes the newer version.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from carve.core.findings import Finding
from carve.lsp.convert import diagnostic
from carve.lsp.positions import LineIndex
from carve.lsp.server import path_of

if TYPE_CHECKING:
    from carve.lsp.server import CarveServer

log = logging.getLogger(__name__)
IDENTIFIER = "carve"


class Diagnostics:
    def __init__(self, server: CarveServer) -> None:
        self.server = server
        self._pending: set[Path] = set()
        self._recheck = False
        self._task: asyncio.Task[None] | None = None
        self._published: dict[str, list[types.Diagnostic]] = {}

    @property
    def pull(self) -> bool:
        """The client pulls diagnostics: pushing too would show them twice."""
        text_document = self.server.client_capabilities.text_document
        return bool(text_document and text_document.diagnostic)

    # -- push ------------------------------------------------------------------------------
    def schedule(self, changed: Iterable[Path], delay: float) -> None:
        """Re-check every open document after `delay`; publish `changed` ones (their
        version moved) and any whose diagnostics differ from the last published."""
        if self.pull:
            return  # the client asks when it wants them
        self._pending.update(changed)
        self._recheck = True
        if self._task is None or self._task.done():
            self._task = self.server.background(self._drain(delay), "diagnostics")

    def schedule_all(self, delay: float) -> None:
        self.schedule(self.server.snapshot().documents, delay)
        if self.pull:
            self.server.refresh_pulled_diagnostics()

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _drain(self, delay: float) -> None:
        await asyncio.sleep(delay)
        await self.server.session.ready.wait()
        while self._recheck:
            changed, self._pending, self._recheck = self._pending, set(), False
            await self._round(changed)

    async def _round(self, changed: set[Path]) -> None:
        server = self.server
        snapshot = server.snapshot()
        if not snapshot.documents:
            return
        session = server.session
        findings = await session.run(session.check, snapshot, set(snapshot.documents))
        for path, doc in snapshot.documents.items():
            if server.current_version(doc.uri) != doc.version:
                continue  # stale: the next round checks the newer text
            items = findings.get(path, [])
            session.findings[path] = (doc.version, items)
            if self.pull:
                continue
            converted = convert(items, doc.text, server.encoding)
            if path in changed or self._published.get(doc.uri) != converted:
                self.publish(doc.uri, doc.version, converted)

    def publish(self, uri: str, version: int | None, items: list[types.Diagnostic]) -> None:
        self._published[uri] = items
        self.server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=items)
        )

    def clear(self, uri: str) -> None:
        if not self.pull:
            self.publish(uri, None, [])
        self._published.pop(uri, None)

    # -- pull ------------------------------------------------------------------------------
    async def document(
        self, params: types.DocumentDiagnosticParams
    ) -> types.DocumentDiagnosticReport:
        server = self.server
        path = path_of(params.text_document.uri)
        await server.session.ready.wait()
        if path is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        snapshot = server.snapshot()
        findings = await server.session.run(server.session.check, snapshot, {path})
        doc = snapshot.documents.get(path)
        text = doc.text if doc is not None else _read(path)
        items = convert(findings.get(path, []), text, server.encoding)
        result_id = _result_id(items)
        if params.previous_result_id == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        return types.RelatedFullDocumentDiagnosticReport(items=items, result_id=result_id)

    async def workspace(
        self, params: types.WorkspaceDiagnosticParams
    ) -> types.WorkspaceDiagnosticReport:
        server = self.server
        await server.session.ready.wait()
        snapshot = server.snapshot()
        findings = await server.session.run(server.session.check, snapshot, None)
        previous = {p.uri: p.value for p in params.previous_result_ids}
        reports: list[types.WorkspaceDocumentDiagnosticReport] = []
        paths = set(findings) | {p for uri in previous if (p := path_of(uri))}
        for path in sorted(paths):
            doc = snapshot.documents.get(path)
            uri = server.uri_for(path, snapshot)
            version = doc.version if doc else None
            text = doc.text if doc else _read(path)
            items = convert(findings.get(path, []), text, server.encoding)
            result_id = _result_id(items)
            if previous.get(uri) == result_id:
                reports.append(
                    types.WorkspaceUnchangedDocumentDiagnosticReport(
                        uri=uri, version=version, result_id=result_id
                    )
                )
            else:
                reports.append(
                    types.WorkspaceFullDocumentDiagnosticReport(
                        uri=uri, version=version, items=items, result_id=result_id
                    )
                )
        return types.WorkspaceDiagnosticReport(items=reports)


def convert(findings: list[Finding], text: str, encoding: str) -> list[types.Diagnostic]:
    if not findings:
        return []
    lines = LineIndex(text, encoding)
    return [diagnostic(f, lines) for f in findings]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _result_id(items: list[types.Diagnostic]) -> str:
    digest = hashlib.blake2b(digest_size=8)
    for item in items:
        digest.update(repr((item.code, item.message, item.range, item.severity)).encode())
    return digest.hexdigest()


def register(server: CarveServer) -> None:
    diagnostics = server.diagnostics = Diagnostics(server)

    def delay() -> float:
        return server.session.settings.diagnostics_delay / 1000

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: CarveServer, params: types.DidOpenTextDocumentParams) -> None:
        if (path := path_of(params.text_document.uri)) is not None:
            diagnostics.schedule([path], 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: CarveServer, params: types.DidChangeTextDocumentParams) -> None:
        path = path_of(params.text_document.uri)
        if path is not None and ls.session.settings.diagnostics_on_change:
            diagnostics.schedule([path], delay())

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: CarveServer, params: types.DidSaveTextDocumentParams) -> None:
        if (path := path_of(params.text_document.uri)) is not None:
            diagnostics.schedule([path], 0)
        # A project whose rebuild failed serves its last index: a save retries the build
        # (one without any index is retried by every check).
        failed = {f for f, s in ls.session.projects.items() if s.error and s.index is not None}
        if failed:
            ls.rebuilds.schedule(failed, reload=False)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: CarveServer, params: types.DidCloseTextDocumentParams) -> None:
        path = path_of(params.text_document.uri)
        diagnostics.clear(params.text_document.uri)
        if path is not None:
            ls.session.findings.pop(path, None)
            diagnostics.schedule([], 0)  # its buffer reverts to disk: others may change

    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(
            identifier=IDENTIFIER, inter_file_dependencies=True, workspace_diagnostics=True
        ),
    )
    async def pull_document(
        ls: CarveServer, params: types.DocumentDiagnosticParams
    ) -> types.DocumentDiagnosticReport:
        return await diagnostics.document(params)

    @server.feature(types.WORKSPACE_DIAGNOSTIC)
    async def pull_workspace(
        ls: CarveServer, params: types.WorkspaceDiagnosticParams
    ) -> types.WorkspaceDiagnosticReport:
        return await diagnostics.workspace(params)
