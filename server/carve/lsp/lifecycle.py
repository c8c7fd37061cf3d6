"""initialize → initialized (watchers, settings, background indexing) → shutdown,
and workspace folders coming and going."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from carve.lsp import logs, watching
from carve.lsp.progress import WorkDone
from carve.lsp.server import client_path
from carve.lsp.settings import parse_settings

if TYPE_CHECKING:
    from carve.lsp.server import CarveServer

log = logging.getLogger(__name__)


def register(server: CarveServer) -> None:
    @server.feature(types.INITIALIZE)
    def initialize(ls: CarveServer, params: types.InitializeParams) -> None:
        loop = asyncio.get_running_loop()
        logs.bind_loop(ls, loop)

        def index_error(message: str) -> None:
            # Once per failure (the project remembers it); retries that fail alike are quiet.
            text = f"carve: {message} (carve.status has the details; saving retries)"
            loop.call_soon_threadsafe(ls.show_error, text)

        ls.session.on_index_error = index_error
        settings, problems = parse_settings(params.initialization_options)
        ls.session.settings = settings
        logs.set_level(ls, settings.logging_level)
        for problem in problems:
            log.warning("initializationOptions: %s", problem)
        ls.set_folders(_folders(params))
        log.info("carve %s: folders %s", ls.version, [str(f) for f in ls.session.folders])

    @server.feature(types.INITIALIZED)
    async def initialized(ls: CarveServer, params: types.InitializedParams) -> None:
        await watching.register_watchers(ls)
        await watching.pull_configuration(ls)
        ls.background(index_workspace(ls), "indexing")

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: CarveServer, params: None) -> None:
        ls.diagnostics.close()
        ls.session.close()

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def folders_changed(ls: CarveServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
        folders = [p for f in ls.workspace.folders.values() if (p := client_path(f.uri))]
        ls.set_folders(folders)
        ls.background(index_workspace(ls), "indexing")


def _folders(params: types.InitializeParams) -> list[Path]:
    """The workspace folders as the client names them (resolved by the session)."""
    folders = [p for f in params.workspace_folders or () if (p := client_path(f.uri))]
    if not folders and params.root_uri:
        root = client_path(params.root_uri)
        folders = [root] if root else []
    if not folders and params.root_path:
        folders = [Path(params.root_path)]
    return [f.absolute() for f in folders]


async def index_workspace(ls: CarveServer) -> None:
    """Index every folder in the background, reporting files done as $/progress;
    requests are answered meanwhile, and open documents get diagnostics after."""
    session = ls.session
    session.indexing = True
    progress = WorkDone(ls, "carve: indexing")
    await progress.begin("discovering files")
    started = time.perf_counter()
    message = "failed"
    try:
        await session.run(session.build_all, ls.snapshot(), progress.callback)
        errors = [s.error for s in session.projects.values() if s.error]
        modules = sum(len(s.index.by_path) for s in session.projects.values() if s.index)
        message = f"{modules} modules in {time.perf_counter() - started:.2f}s"
        if errors:
            message = f"failed: {errors[0]}"  # logged and shown by the project
        else:
            log.info("indexed %s", message)
        for state in session.projects.values():
            if state.config_error:
                ls.show_error(f"carve: {state.config_error}")
    finally:
        session.indexing = False
        session.ready.set()
        progress.end(message)
        ls.diagnostics.schedule_all(0)  # even after a failure: buffers get their answer
        ls.background(_save_caches(ls), "saving the summary cache")


async def _save_caches(ls: CarveServer) -> None:
    """After the open documents' diagnostics: the editor waits for those, not for this."""
    session = ls.session
    await session.when_idle()
    await session.run(session.save_caches)
