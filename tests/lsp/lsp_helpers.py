"""A scripted editor for end-to-end tests: a pytest-lsp client speaking real JSON-RPC
over stdio to `python -m carve serve`, with VS Code's client capabilities."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any, Union

from cattrs import Converter
from lsprotocol import types
from pygls.protocol import default_converter
from pygls.uris import to_fs_path
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features
from pytest_lsp.client import progress as work_done_progress

SERVER = [sys.executable, "-m", "carve", "serve"]
TIMEOUT = 10.0


# -- the client ------------------------------------------------------------------------------
def on_publish(client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.publishes.append(params)
    client.changed.set()


def on_progress(client: LanguageClient, params: types.ProgressParams) -> None:
    """Work-done progress as pytest-lsp records it; partial results (a value without a
    `kind`) in `client.partials[token]`."""
    value = params.value
    if isinstance(value, dict) and "kind" not in value:
        client.partials.setdefault(params.token, []).append(value)
        client.changed.set()
        return
    work_done_progress(client, params)


def on_register(client: LanguageClient, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)


async def on_apply_edit(
    client: LanguageClient, params: types.ApplyWorkspaceEditParams
) -> types.ApplyWorkspaceEditResult:
    client.applied_edits.append(params)
    client.changed.set()
    if client.hold_edits is not None:  # a user looking at the preview for a while
        await client.hold_edits.wait()
    return types.ApplyWorkspaceEditResult(applied=client.accept_edits)


def client_converter() -> Converter:
    """pygls' converter, except that a `textDocument/codeAction` result entry is a
    `Command` only when its `command` is a string (lsprotocol 2025.0 takes any entry
    with a `command` key for a Command, so a CodeAction carrying one reads wrong)."""
    converter = default_converter()

    def command_or_action(entry: Any, _: type) -> types.Command | types.CodeAction:
        if isinstance(entry.get("command"), str):
            return converter.structure(entry, types.Command)
        return converter.structure(entry, types.CodeAction)

    converter.register_structure_hook(
        Union[types.Command, types.CodeAction],  # noqa: UP007 (the registered type)
        command_or_action,
    )
    return converter


def make_client() -> LanguageClient:
    client = LanguageClient(converter_factory=client_converter)
    client.publishes = []
    client.registrations = []
    client.applied_edits = []
    client.accept_edits = True
    client.hold_edits = None
    client.partials = {}
    client.changed = asyncio.Event()
    features = {
        **DEFAULT_CLIENT_FEATURES,
        types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: on_publish,
        types.CLIENT_REGISTER_CAPABILITY: on_register,
        types.WORKSPACE_APPLY_EDIT: on_apply_edit,
        types.PROGRESS: on_progress,
    }
    register_lsp_features(client, features)
    return client


def vscode(**changes: Any) -> types.ClientCapabilities:
    """VS Code's capabilities, optionally with pull diagnostics or snippet edits."""
    capabilities = client_capabilities("visual-studio-code")
    if changes.get("pull"):
        capabilities.text_document.diagnostic = types.DiagnosticClientCapabilities(
            related_document_support=False
        )
        capabilities.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(
            refresh_support=True
        )
    if changes.get("snippets"):
        capabilities.workspace.workspace_edit.snippet_edit_support = True
    if changes.get("no_document_changes"):
        capabilities.workspace.workspace_edit.document_changes = False
    if changes.get("no_resolve"):
        capabilities.text_document.code_action.resolve_support = None
    return capabilities


# -- the editor --------------------------------------------------------------------------------
class Editor:
    def __init__(self, client: LanguageClient, root: Path) -> None:
        self.client = client
        self.root = root
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}

    async def start(
        self,
        files: dict[str, str],
        config: str = "",
        capabilities: types.ClientCapabilities | None = None,
        options: dict[str, Any] | None = None,
        wait: bool = True,
    ) -> types.InitializeResult:
        write_project(self.root, files, config)
        result = await self.client.initialize_session(
            types.InitializeParams(
                capabilities=capabilities or vscode(),
                root_uri=self.root.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=self.root.as_uri(), name="test")],
                initialization_options=options,
            )
        )
        if wait:
            await self.until(self.indexed)
        return result

    def indexed(self) -> bool:
        return any(
            isinstance(report, types.WorkDoneProgressEnd)
            for reports in self.client.progress_reports.values()
            for report in reports
        )

    async def until(self, predicate: Callable[[], Any], timeout: float = TIMEOUT) -> Any:
        async def poll() -> Any:
            while not (value := predicate()):
                self.client.changed.clear()
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self.client.changed.wait(), 0.05)
            return value

        return await asyncio.wait_for(poll(), timeout)

    def uri(self, relative: str) -> str:
        return (self.root / relative).as_uri()

    def open(self, relative_or_uri: str, text: str | None = None) -> str:
        uri = self._uri(relative_or_uri)
        if text is None:
            text = path_of(uri).read_text(encoding="utf-8")
        self.versions[uri] = 1
        self.texts[uri] = text
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="python", version=1, text=text
                )
            )
        )
        return uri

    def replace(self, relative_or_uri: str, text: str) -> int:
        """Replace the whole buffer (as one incremental change); returns the version."""
        uri = self._uri(relative_or_uri)
        old = self.texts[uri]
        lines = old.split("\n")
        end = types.Position(line=len(lines) - 1, character=utf16(lines[-1]))
        change = types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=0, character=0), end=end), text=text
        )
        return self._change(uri, text, [change])

    def type_text(self, relative_or_uri: str, line: int, character: int, text: str) -> int:
        """Insert `text` at a UTF-16 position, as a keystroke would."""
        uri = self._uri(relative_or_uri)
        position = types.Position(line=line, character=character)
        new = apply_text_edits(
            self.texts[uri],
            [types.TextEdit(range=types.Range(start=position, end=position), new_text=text)],
        )
        change = types.TextDocumentContentChangePartial(
            range=types.Range(start=position, end=position), text=text
        )
        return self._change(uri, new, [change])

    def _change(self, uri: str, text: str, changes: list[Any]) -> int:
        self.versions[uri] += 1
        self.texts[uri] = text
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=uri, version=self.versions[uri]
                ),
                content_changes=changes,
            )
        )
        return self.versions[uri]

    def save(self, relative_or_uri: str) -> None:
        uri = self._uri(relative_or_uri)
        path = path_of(uri)
        path.write_text(self.texts[uri], encoding="utf-8")
        self.client.text_document_did_save(
            types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )

    def close(self, relative_or_uri: str) -> None:
        uri = self._uri(relative_or_uri)
        self.versions.pop(uri)
        self.texts.pop(uri)
        self.client.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )

    def _uri(self, relative_or_uri: str) -> str:
        return relative_or_uri if relative_or_uri.startswith("file:") else self.uri(relative_or_uri)

    async def diagnostics(
        self, relative_or_uri: str, version: int | None = None
    ) -> list[types.Diagnostic]:
        """The diagnostics published for that document (at `version`, default: current)."""
        uri = self._uri(relative_or_uri)
        wanted = version if version is not None else self.versions.get(uri)

        def found() -> list[types.Diagnostic] | None:
            for params in reversed(self.client.publishes):
                if params.uri == uri and (wanted is None or params.version == wanted):
                    return list(params.diagnostics) or [_EMPTY]
            return None

        result = await self.until(found)
        return [] if result == [_EMPTY] else result

    async def code_actions(
        self, relative_or_uri: str, line: int, only: list[str] | None = None
    ) -> list[types.CodeAction]:
        uri = self._uri(relative_or_uri)
        position = types.Position(line=line, character=0)
        diagnostics = [
            d for d in self.client.diagnostics.get(uri, ()) if d.range.start.line == line
        ]
        result = await self.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=types.Range(start=position, end=position),
                context=types.CodeActionContext(diagnostics=diagnostics, only=only),
            )
        )
        return list(result or [])

    async def resolve_and_apply(self, action: types.CodeAction) -> types.CodeAction:
        resolved = await self.client.code_action_resolve_async(action)
        assert resolved.edit is not None, resolved
        self.apply(resolved.edit)
        return resolved

    def apply(self, edit: types.WorkspaceEdit) -> None:
        """Apply a WorkspaceEdit as an editor does: open buffers change (didChange);
        files not open are opened first; created files are created."""
        for change in edit.document_changes or ():
            if isinstance(change, types.CreateFile):
                path = path_of(change.uri)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text("", encoding="utf-8")
                self.open(change.uri, "")
                continue
            uri = change.text_document.uri
            if change.text_document.version is not None:
                assert self.versions.get(uri) == change.text_document.version, "stale edit"
            self._edit(uri, list(change.edits))
        for uri, edits in (edit.changes or {}).items():
            self._edit(uri, list(edits))

    def _edit(self, uri: str, edits: list[Any]) -> None:
        if uri not in self.texts:
            self.open(uri)
        self.replace(uri, apply_text_edits(self.texts[uri], edits))


_EMPTY = types.Diagnostic(
    range=types.Range(start=types.Position(0, 0), end=types.Position(0, 0)), message=""
)


def path_of(uri: str) -> Path:
    return Path(to_fs_path(uri) or uri)


# -- an independent oracle for applying edits -----------------------------------------------------
def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def offset_of(text: str, position: types.Position) -> int:
    lines = text.split("\n")
    offset = sum(len(line) + 1 for line in lines[: position.line])
    line = lines[position.line] if position.line < len(lines) else ""
    units = 0
    for index, ch in enumerate(line):
        if units >= position.character:
            return offset + index
        units += utf16(ch)
    return offset + len(line)


def apply_text_edits(text: str, edits: list[Any]) -> str:
    spans = []
    for edit in edits:
        new = edit.snippet.value if isinstance(edit, types.SnippetTextEdit) else edit.new_text
        spans.append((offset_of(text, edit.range.start), offset_of(text, edit.range.end), new))
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


async def close(client: LanguageClient) -> None:
    """Shut the server down politely; kill it if it does not go (never hang a test)."""
    with contextlib.suppress(Exception):
        if client.capabilities is not None and client.error is None:
            await asyncio.wait_for(client.shutdown_session(), 10)
    server = client._server
    if server is not None and server.returncode is None:
        try:
            await asyncio.wait_for(server.wait(), 1)
        except asyncio.TimeoutError:
            server.kill()
    await asyncio.wait_for(client.stop(), 10)


def write_project(root: Path, files: dict[str, str], config: str = "") -> None:
    root.mkdir(parents=True, exist_ok=True)
    if "pyproject.toml" not in files and "carve.toml" not in files:
        pyproject = "[tool.carve]\n" + textwrap.dedent(config).strip() + "\n"
        (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
