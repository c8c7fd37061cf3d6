"""`carve serve`: the language server. Features live in their own modules, each with
a `register(server)`; this module wires them together and starts the transport."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Callable, Coroutine, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import FeatureNotificationError, FeatureRequestError
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from carve import __version__
from carve.lsp.convert import uri_of
from carve.lsp.protocol import CarveProtocol
from carve.lsp.session import Document, Session, Snapshot

if TYPE_CHECKING:
    from carve.lsp.diagnostics import Diagnostics
    from carve.lsp.watching import Rebuilds

log = logging.getLogger(__name__)


class CarveServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("carve", __version__, protocol_cls=CarveProtocol, max_workers=4)
        self.session = Session()
        self.log_handlers: tuple[logging.Handler, ...] = ()
        self.diagnostics: Diagnostics  # set by diagnostics.register
        self.rebuilds: Rebuilds  # set by watching.register
        self._tasks: set[asyncio.Task[Any]] = set()

    def background(self, coroutine: Coroutine[Any, Any, Any], what: str) -> asyncio.Task[Any]:
        """Run `coroutine` as a task whose failure is logged, never lost."""
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)

        def done(finished: asyncio.Task[Any]) -> None:
            self._tasks.discard(finished)
            error = None if finished.cancelled() else finished.exception()
            if error is not None:
                log.error("%s failed", what, exc_info=error)

        task.add_done_callback(done)
        return task

    def refresh_pulled_diagnostics(self) -> None:
        workspace = self.client_capabilities.workspace
        diagnostics = workspace.diagnostics if workspace else None
        if diagnostics and diagnostics.refresh_support:
            self.background(self.workspace_diagnostic_refresh_async(None), "diagnostic refresh")

    def show_error(self, message: str) -> None:
        self.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Error, message=message)
        )

    @property
    def encoding(self) -> str:
        encoding = self.workspace.position_encoding
        return str(getattr(encoding, "value", encoding) or types.PositionEncodingKind.Utf16.value)

    def snapshot(self) -> Snapshot:
        """The open Python buffers, now."""
        documents: dict[Path, Document] = {}
        for uri, doc in list(self.workspace.text_documents.items()):
            path = path_of(uri)
            if path is None or path.suffix != ".py":
                continue
            documents[path] = Document(uri, path, doc.version, doc.source)
        return Snapshot(documents)

    def set_folders(self, named: list[Path]) -> None:
        """Adopt the workspace folders as the client names them: the session indexes
        their resolved paths, and paths go back to the client under the names it used."""
        resolved = [resolve(folder) for folder in named]
        FOLDERS.adopt(zip(named, resolved, strict=True))
        self.session.set_folders(resolved)

    def uri_for(self, path: Path, snapshot: Snapshot | None = None) -> str:
        """The URI the client knows `path` (an index path) by: the open document's own,
        else the file under the workspace folder as the client named it."""
        if snapshot is not None and (doc := snapshot.documents.get(path)) is not None:
            return doc.uri
        return uri_of(FOLDERS.to_client(path))

    def uris(self, snapshot: Snapshot | None = None) -> Callable[[Path], str]:
        return lambda path: self.uri_for(path, snapshot)

    def current_version(self, uri: str) -> int | None:
        doc = self.workspace.text_documents.get(uri)
        return doc.version if doc is not None else None

    def is_open(self, uri: str) -> bool:
        return uri in self.workspace.text_documents

    def report_server_error(self, error: Exception, source: Any) -> None:
        """pygls' last word on a failure it caught. A failing request's traceback is
        already logged (by pygls, at ERROR) and the client has its error answer; a
        failing notification has no one to answer, so the user is told."""
        if source is FeatureRequestError:
            return
        trace = ""
        data = getattr(error, "data", None)
        if isinstance(data, dict) and isinstance(data.get("traceback"), list):
            trace = "\n" + "".join(data["traceback"])
        log.error("%s%s", error, trace)
        if source is FeatureNotificationError:
            self.show_error(f"carve: internal error: {error}")


class FolderAliases:
    """Workspace folders the client named through a symlink (`~/work` for
    `/mnt/disk/work`): the index holds paths under the resolved folder (walked from it,
    so a directory linked inside the workspace keeps its link's name), the client
    speaks of the named one. Only that prefix is translated, both ways."""

    def __init__(self) -> None:
        self._pairs: list[tuple[Path, Path]] = []  # (named, resolved), deepest first

    def adopt(self, pairs: Iterable[tuple[Path, Path]]) -> None:
        found = [(named, real) for named, real in pairs if named != real]
        self._pairs = sorted(found, key=lambda pair: -len(pair[0].parts))

    def to_index(self, path: Path) -> Path:
        return _moved(path, self._pairs)

    def to_client(self, path: Path) -> Path:
        by_real = sorted(((r, n) for n, r in self._pairs), key=lambda p: -len(p[0].parts))
        return _moved(path, by_real)


def _moved(path: Path, prefixes: list[tuple[Path, Path]]) -> Path:
    for old, new in prefixes:
        if path == old or old in path.parents:
            return new / path.relative_to(old)
    return path


FOLDERS = FolderAliases()  # one server per process


def path_of(uri: str) -> Path | None:
    """The file `uri` names, as the index knows it (under a workspace folder the client
    named through a symlink: under the resolved folder)."""
    path = client_path(uri)
    return FOLDERS.to_index(path) if path is not None else None


def client_path(uri: str) -> Path | None:
    """The file `uri` names, as the client spelled it."""
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return Path(path) if path else None


def resolve(path: Path) -> Path:
    """`path` with symlinks resolved as far as it exists (a new, unsaved file keeps its
    name under its resolved directory); unchanged when it cannot be resolved."""
    try:
        return Path(os.path.realpath(path))
    except (OSError, ValueError):  # a symlink loop, an embedded NUL
        return path


def create_server() -> CarveServer:
    from carve.lsp import code_actions, commands, diagnostics, lifecycle, logs, watching

    server = CarveServer()
    logs.install(server)
    lifecycle.register(server)
    diagnostics.register(server)
    code_actions.register(server)
    commands.register(server)
    watching.register(server)
    return server


def serve(tcp: str | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)  # never stdout: it is the wire
    server = create_server()
    if tcp:
        host, _, port = tcp.rpartition(":")
        if not port.isdigit():
            print(f"carve serve: --tcp expects HOST:PORT, got {tcp!r}", file=sys.stderr)
            return 2
        server.start_tcp(host or "127.0.0.1", int(port))
    else:
        server.start_io()
    return 0
