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
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from carve.core.findings import Finding
from carve.core.index import WorkspaceIndex
from carve.lsp.convert import diagnostic
from carve.lsp.positions import LineIndex
from carve.lsp.server import path_of

if TYPE_CHECKING:
    from carve.lsp.server import CarveServer
    from carve.lsp.session import Session, Snapshot

log = logging.getLogger(__name__)
IDENTIFIER = "carve"


class Diagnostics:
    def __init__(self, server: CarveServer) -> None:
        self.server = server
        self._pending: set[Path] = set()
        self._recheck = False
        self._task: asyncio.Task[None] | None = None
        self._published: dict[str, list[types.Diagnostic]] = {}
        # Workspace pulls: the last whole-workspace check, and a change counter that
        # held (long-poll) pulls wait on.
        self._workspace: _Workspace | None = None
        self._generation = 0
        self._touched = asyncio.Event()
        self._closing = False
        self.workspace_checks = 0  # whole-workspace checks run for pulls (carve.status)

    @property
    def pull(self) -> bool:
        """The client pulls diagnostics: pushing too would show them twice."""
        text_document = self.server.client_capabilities.text_document
        return bool(text_document and text_document.diagnostic)

    # -- push ------------------------------------------------------------------------------
    def schedule(self, changed: Iterable[Path], delay: float) -> None:
        """Re-check every open document after `delay`; publish `changed` ones (their
        version moved) and any whose diagnostics differ from the last published."""
        self.touch()
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
        """The whole workspace's reports, from the last whole-workspace check while
        nothing changed since (VS Code re-pulls every 2 s). A client that passes a
        partial result token (VS Code does) gets a long poll: changed reports as
        partial results, then the request is held until something changes again."""
        server = self.server
        await server.session.ready.wait()
        known = {p.uri: p.value for p in params.previous_result_ids}
        token = params.partial_result_token
        if token is None:
            reports = await self._workspace_reports()
            return types.WorkspaceDiagnosticReport(items=_answer(reports, known))
        first = True
        while not self._closing:
            seen = self._generation
            reports = await self._workspace_reports()
            items = _answer(reports, known, changed_only=not first)
            if items or first:  # the first partial result is the report itself
                self._send_partial(token, items)
                first = False
            known = {uri: report.result_id for uri, report in reports.items()}
            await self._settled(seen)
        return types.WorkspaceDiagnosticReport(items=[])  # all went as partial results

    def touch(self) -> None:
        """Something findings depend on may have changed (a buffer, the index, settings):
        the next workspace pull re-checks, and held pulls wake up."""
        self._generation += 1
        self._touched.set()

    async def _settled(self, seen: int) -> None:
        """Wait for a change after generation `seen`, then for typing to pause."""
        while self._generation == seen and not self._closing:
            self._touched.clear()
            await self._touched.wait()
        while not self._closing:
            seen = self._generation
            await asyncio.sleep(_WORKSPACE_SETTLE)
            if self._generation == seen:
                return

    async def _workspace_reports(self) -> dict[str, _Report]:
        """The reports of the last whole-workspace check, re-checked when the buffers,
        an index or the settings moved on since."""
        server = self.server
        session = server.session
        snapshot = server.snapshot()
        held = self._workspace
        if held is not None and held.still_valid(session, snapshot):
            return held.reports
        self.workspace_checks += 1
        await session.when_idle()  # document checks first: the editor waits for those
        snapshot = server.snapshot()  # the buffers may have moved on while it waited
        findings, state = await session.run(_check_workspace, session, snapshot)
        reports: dict[str, _Report] = {}
        for path in sorted(set(findings) | set(snapshot.documents)):  # open ones: versioned
            doc = snapshot.documents.get(path)
            uri = server.uri_for(path, snapshot)
            text = doc.text if doc else _read(path)
            items = convert(findings.get(path, []), text, server.encoding)
            version = doc.version if doc else None
            reports[uri] = _Report(uri, version, _result_id(items), items)
        self._workspace = _Workspace(state, reports)
        return reports

    def _send_partial(
        self, token: types.ProgressToken, items: list[types.WorkspaceDocumentDiagnosticReport]
    ) -> None:
        value = self.server.protocol._converter.unstructure(
            types.WorkspaceDiagnosticReportPartialResult(items=items)
        )
        self.server.protocol.notify(types.PROGRESS, types.ProgressParams(token=token, value=value))

    def close(self) -> None:
        """Shutting down: held workspace pulls are answered (empty), tasks cancelled."""
        self._closing = True
        self._touched.set()
        self.cancel()


_WORKSPACE_SETTLE = 2.0  # seconds without a change before a held workspace pull re-checks
# (the client's own re-pull cadence: typing never queues whole-workspace checks ahead of
# the keystrokes' own document checks)


@dataclass(frozen=True, slots=True)
class _Report:
    uri: str
    version: int | None
    result_id: str
    items: list[types.Diagnostic]


class _State:
    """What a whole-workspace check saw: the open buffers' versions, each project's
    index and configuration (replaced, never mutated, by every build and buffer
    update) and the settings. The same again means the same findings."""

    def __init__(self, session: Session, snapshot: Snapshot) -> None:
        self.versions = {doc.uri: doc.version for doc in snapshot.documents.values()}
        self.settings = session.settings
        self.projects = [
            (folder, state, _weak(state.index), state.config)
            for folder, state in session.projects.items()
        ]

    def matches(self, session: Session, snapshot: Snapshot) -> bool:
        versions = {doc.uri: doc.version for doc in snapshot.documents.values()}
        if versions != self.versions or session.settings is not self.settings:
            return False
        if len(session.projects) != len(self.projects):
            return False
        for folder, state, index, config in self.projects:
            current = session.projects.get(folder)
            if current is not state or state.config is not config or state.error is not None:
                return False
            if index is None or index() is not state.index:
                return False
        return True


def _weak(index: WorkspaceIndex | None) -> weakref.ref[WorkspaceIndex] | None:
    return weakref.ref(index) if index is not None else None


@dataclass(frozen=True, slots=True)
class _Workspace:
    state: _State
    reports: dict[str, _Report]

    def still_valid(self, session: Session, snapshot: Snapshot) -> bool:
        return self.state.matches(session, snapshot)


def _check_workspace(
    session: Session, snapshot: Snapshot
) -> tuple[dict[Path, list[Finding]], _State]:
    """On the analysis thread: the whole workspace's findings, and what they saw (after
    the check brought the indexes up to date with the buffers)."""
    findings = session.check(snapshot, None)
    return findings, _State(session, snapshot)


def _answer(
    reports: dict[str, _Report], known: dict[str, str], changed_only: bool = False
) -> list[types.WorkspaceDocumentDiagnosticReport]:
    """Reports for the client, which holds `known` result ids: a full report where ours
    differs, unchanged where it is the same (left out when `changed_only`), and an empty
    full report for a document it knows that has no findings any more."""
    answer: list[types.WorkspaceDocumentDiagnosticReport] = []
    for uri, report in reports.items():
        if known.get(uri) == report.result_id:
            if not changed_only:
                answer.append(
                    types.WorkspaceUnchangedDocumentDiagnosticReport(
                        uri=uri, version=report.version, result_id=report.result_id
                    )
                )
            continue
        answer.append(
            types.WorkspaceFullDocumentDiagnosticReport(
                uri=uri, version=report.version, items=report.items, result_id=report.result_id
            )
        )
    empty = _result_id([])
    for uri, result_id in known.items():
        if uri not in reports and result_id != empty:
            answer.append(
                types.WorkspaceFullDocumentDiagnosticReport(
                    uri=uri, version=None, items=[], result_id=empty
                )
            )
    return answer


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
        else:
            diagnostics.touch()

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
