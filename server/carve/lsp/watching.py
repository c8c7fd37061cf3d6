"""Keeping up with the world: files changed by other tools (git checkout, renames),
configuration files edited, editor settings changed; all without a restart."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from carve.lsp import logs
from carve.lsp.server import path_of
from carve.lsp.settings import parse_settings

if TYPE_CHECKING:
    from carve.lsp.server import CarveServer

log = logging.getLogger(__name__)
WATCHED = ("**/*.py", "**/pyproject.toml", "**/carve.toml")
CONFIG_FILES = ("pyproject.toml", "carve.toml")
_SETTLE = 0.1  # seconds: a checkout touches many files; rebuild once after them


async def register_watchers(ls: CarveServer) -> None:
    workspace = ls.client_capabilities.workspace
    watched = workspace.did_change_watched_files if workspace else None
    if not (watched and watched.dynamic_registration):
        log.info(
            "the client cannot watch files for carve: changes outside the editor need a restart"
        )
        return
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern=g) for g in WATCHED]
    )
    registration = types.Registration(
        id="carve-watched-files",
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=options,
    )
    try:
        await ls.client_register_capability_async(types.RegistrationParams([registration]))
    except Exception as exc:
        log.warning("file watching registration refused: %s", exc)


async def pull_configuration(ls: CarveServer) -> None:
    """Ask for the "carve" settings section when the client offers it."""
    workspace = ls.client_capabilities.workspace
    if not (workspace and workspace.configuration):
        return
    try:
        result = await ls.workspace_configuration_async(
            types.ConfigurationParams(items=[types.ConfigurationItem(section="carve")])
        )
    except Exception as exc:
        log.warning("workspace/configuration failed: %s", exc)
        return
    if result and isinstance(result[0], dict) and result[0]:
        apply_settings(ls, result[0])


def apply_settings(ls: CarveServer, raw: Any) -> bool:
    """Adopt editor settings; True when rule-affecting settings changed."""
    settings, problems = parse_settings(raw)
    for problem in problems:
        log.warning("settings: %s", problem)
    previous = ls.session.settings
    ls.session.settings = settings
    logs.set_level(ls, settings.logging_level)
    editor_only = ("log_level", "diagnostics_on_change", "diagnostics_delay")
    return any(
        getattr(previous, name) != getattr(settings, name)
        for name in settings.__dataclass_fields__
        if name not in editor_only
    )


class Rebuilds:
    """Debounced full rebuilds (cache first), then diagnostics for every open document."""

    def __init__(self, server: CarveServer) -> None:
        self.server = server
        self._folders: set[Path] | None = set()
        self._reload = False
        self._task: asyncio.Task[None] | None = None

    def schedule(self, folders: set[Path] | None, reload: bool) -> None:
        if folders is None or self._folders is None:
            self._folders = None
        else:
            self._folders |= folders
        self._reload = self._reload or reload
        if self._task is None or self._task.done():
            self._task = self.server.background(self._run(), "rebuild")

    async def _run(self) -> None:
        await asyncio.sleep(_SETTLE)
        await self.server.session.ready.wait()
        while self._folders is None or self._folders:
            folders, reload = self._folders, self._reload
            self._folders, self._reload = set(), False
            session = self.server.session
            await session.run(session.rebuild, folders, self.server.snapshot(), reload)
            for state in session.projects.values():
                if state.config_error and reload:
                    self.server.show_error(f"carve: {state.config_error}")
            if not any(s.error for s in session.projects.values()):  # else said already
                log.info(
                    "re-indexed after file changes (%s)",
                    "all" if folders is None else len(folders),
                )
            self.server.diagnostics.schedule_all(0)


def register(server: CarveServer) -> None:
    rebuilds = server.rebuilds = Rebuilds(server)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files(ls: CarveServer, params: types.DidChangeWatchedFilesParams) -> None:
        folders: set[Path] = set()
        reload = False
        for change in params.changes:
            path = path_of(change.uri)
            if path is None:
                continue
            config = path.name in CONFIG_FILES
            if path.suffix != ".py" and not config:
                continue
            if (
                not config
                and change.type == types.FileChangeType.Changed
                and ls.is_open(change.uri)
            ):
                continue  # an open buffer is authoritative (e.g. the save we just saw)
            reload = reload or config
            owners = [
                f for f, s in ls.session.projects.items() if s.owns(path) or f in path.parents
            ]
            folders.update(owners)
        if folders:
            rebuilds.schedule(folders, reload)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def configuration_changed(
        ls: CarveServer, params: types.DidChangeConfigurationParams
    ) -> None:
        raw = params.settings
        if not (isinstance(raw, dict) and isinstance(raw.get("carve"), dict)):
            # The pull model: the notification only says "ask me".
            await pull_configuration(ls)
            rebuilds.schedule(None, reload=True)
            return
        if apply_settings(ls, raw["carve"]):
            rebuilds.schedule(None, reload=True)
