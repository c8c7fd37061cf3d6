"""The JSON-RPC layer under carve's handlers: every request is answered, and every
failure is logged as what it is.

- A message whose params do not deserialize: a request is answered `InvalidParams`
  naming the bad fields (stock pygls 2.1 logs it and never replies, so the client waits
  until it times out); a notification is dropped with one warning line (no one to
  answer, but the editor's and the server's views may now differ).
- An expected refusal (`InvalidParams`, `ContentModified`, `RequestFailed`) is the
  answer, not a bug: one info line. Anything else keeps pygls' path: `InternalError`
  and the traceback at ERROR.
- A request after `shutdown` is answered `InvalidRequest` (pygls drops it).
- A `didChange` for a document never opened (pygls would raise KeyError): adopted
  when it carries the whole text, else ignored with one info line.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Generator
from typing import Any
from urllib.parse import unquote

import cattrs
from lsprotocol import types
from pygls.exceptions import (
    JsonRpcContentModified,
    JsonRpcException,
    JsonRpcInternalError,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
)
from pygls.protocol import JsonRPCNotification, JsonRPCRequestMessage, LanguageServerProtocol
from pygls.protocol.language_server import lsp_method

log = logging.getLogger(__name__)
REQUEST_FAILED = -32803
EXPECTED = {
    JsonRpcInvalidParams.CODE: "InvalidParams",
    JsonRpcContentModified.CODE: "ContentModified",
    REQUEST_FAILED: "RequestFailed",
}
_UNREADABLE = object()  # a message already dealt with while deserializing it


class CarveProtocol(LanguageServerProtocol):
    _handled = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._labels: dict[Any, str] = {}  # request id → what it asked, for log lines

    # -- deserializing -------------------------------------------------------------------
    def structure_message(self, data: Any) -> Any:
        # json.loads calls this for every object, innermost first: only whole messages
        # (requests and notifications) are structured here, the rest as pygls does.
        if not (isinstance(data, dict) and "jsonrpc" in data and "method" in data):
            return super().structure_message(data)
        fallback = JsonRPCRequestMessage if "id" in data else JsonRPCNotification
        message_type = self.get_message_type(data["method"]) or fallback
        try:
            return self._converter.structure(data, message_type)
        except Exception as exc:
            self._unreadable(data, exc)
            return _UNREADABLE

    def _unreadable(self, data: dict[str, Any], exc: Exception) -> None:
        label = _label(data["method"], data.get("params"))
        if "id" not in data:
            log.warning("%s dropped: its params do not deserialize: %s", label, _reason(exc))
            return
        if isinstance(exc, cattrs.BaseValidationError):
            error: JsonRpcException = JsonRpcInvalidParams.of(_reason(exc))
            log.info("%s answered InvalidParams: %s", label, _one_line(error.message))
        else:  # not the client's fault: a converter bug
            trace = traceback.format_tb(exc.__traceback__)
            error = JsonRpcInternalError(_reason(exc), data={"traceback": trace})
            log.error("%s: cannot read its params", label, exc_info=exc)
        self._send_response(data["id"], error=error.to_response_error())

    # -- dispatching -----------------------------------------------------------------------
    def handle_message(self, message: Any) -> None:
        if message is _UNREADABLE:
            return
        method = getattr(message, "method", None)
        if self._shutdown and method and getattr(message, "id", None) is not None:
            # The spec answers a request after `shutdown` with InvalidRequest; pygls drops it.
            label = _label(method, getattr(message, "params", None))
            log.info("%s answered InvalidRequest: the server is shutting down", label)
            error = JsonRpcInvalidRequest("carve: the server is shutting down")
            self._send_response(message.id, error=error.to_response_error())
            return
        super().handle_message(message)
        self._handled += 1
        if self._handled % 256 == 0:
            self._forget_finished()

    def _handle_request(self, msg_id: Any, method_name: str, params: Any) -> None:
        if method_name in self.fm.builtin_features or method_name in self.fm.features:
            # Only methods with a handler: their result always comes back through
            # _send_handler_result, which forgets the label.
            self._labels[msg_id] = _label(method_name, params)
        super()._handle_request(msg_id, method_name, params)

    def _send_handler_result(self, future: Any, *, msg_id: Any) -> None:
        label = self._labels.pop(msg_id, f"request {msg_id}")
        error = None if future.cancelled() else future.exception()
        name = EXPECTED.get(error.code) if isinstance(error, JsonRpcException) else None
        if error is None or name is None:
            super()._send_handler_result(future, msg_id=msg_id)  # a bug: traceback at ERROR
            return
        self._request_futures.pop(msg_id, None)
        log.info("%s answered %s: %s", label, name, _one_line(error.message))
        self._send_response(msg_id, error=error.to_response_error())

    def _forget_finished(self) -> None:
        """pygls 2.1 files every notification's handler future in `_request_futures`
        and never removes it: one leaked future per keystroke. Drop finished ones (a
        finished request's own callback no longer needs its entry)."""
        finished = [key for key, future in self._request_futures.items() if future.done()]
        for key in finished:
            del self._request_futures[key]

    # -- documents -----------------------------------------------------------------------
    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(
        self, params: types.DidChangeTextDocumentParams
    ) -> Generator[Any, Any, Any]:
        if self._known(params):
            yield from super().lsp_text_document__did_change(params)

    def _known(self, params: types.DidChangeTextDocumentParams) -> bool:
        """Whether the document is open, adopting it from a whole-text change if not
        (the client then sees it as open; its later changes apply to that text)."""
        uri = params.text_document.uri
        if unquote(uri) in self.workspace.text_documents:
            return True
        changes = list(params.content_changes)
        wholes = [
            i
            for i, c in enumerate(changes)
            if isinstance(c, types.TextDocumentContentChangeWholeDocument)
        ]
        if not wholes:
            log.info("didChange for %s, which was never opened: ignored", uri)
            return False
        log.info("didChange for %s, which was never opened: adopting its whole text", uri)
        self.workspace.put_text_document(
            types.TextDocumentItem(
                uri=uri,
                language_id="python" if uri.endswith(".py") else "plaintext",
                version=params.text_document.version,
                text=changes[wholes[-1]].text,
            )
        )
        params.content_changes = changes[wholes[-1] + 1 :]
        return True


def _label(method: str, params: Any) -> str:
    """`workspace/executeCommand carve.moveSymbol`, `codeAction/resolve`, …"""
    if isinstance(params, dict):
        command = params.get("command")
    else:
        command = getattr(params, "command", None)
    if method == types.WORKSPACE_EXECUTE_COMMAND and isinstance(command, str):
        return f"{method} {command}"
    return method


def _reason(exc: Exception) -> str:
    if isinstance(exc, cattrs.BaseValidationError):
        return "; ".join(cattrs.transform_error(exc))
    return f"{type(exc).__name__}: {exc}"


def _one_line(text: str) -> str:
    return " ".join(text.split())
