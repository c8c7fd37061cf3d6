"""Python logging → `window/logMessage`, at the level the editor asks for.

Records are formatted with their traceback (a failing request's stack reaches the
client's output channel) and sent from the event loop thread whatever thread logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from lsprotocol import types

if TYPE_CHECKING:
    from carve.lsp.server import CarveServer

_TYPES = (
    (logging.ERROR, types.MessageType.Error),
    (logging.WARNING, types.MessageType.Warning),
    (logging.INFO, types.MessageType.Info),
)
# pygls' own chatter about failing to send would loop back into a send.
_SEND_FAILURES = ("Error sending data", "Unable to send data")


class ClientLogHandler(logging.Handler):
    def __init__(self, server: CarveServer, level: int = logging.INFO) -> None:
        super().__init__(level)
        self.server = server
        self.loop: asyncio.AbstractEventLoop | None = None
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        if self.loop is None or self.loop.is_closed():
            return
        if isinstance(record.msg, str) and record.msg.startswith(_SEND_FAILURES):
            return
        try:
            message = self.format(record)
        except Exception:  # a broken log call must not break the server
            return
        kind = next((t for level, t in _TYPES if record.levelno >= level), types.MessageType.Log)
        params = types.LogMessageParams(type=kind, message=message)
        self.loop.call_soon_threadsafe(self._send, params)

    def _send(self, params: types.LogMessageParams) -> None:
        with contextlib.suppress(Exception):  # the client is gone: nothing left to tell
            self.server.window_log_message(params)


def install(server: CarveServer) -> ClientLogHandler:
    """Attach the handler to carve's loggers (at the editor's level) and to pygls'
    (errors only: a request handler's traceback)."""
    handler = ClientLogHandler(server)
    carve = logging.getLogger("carve")
    carve.setLevel(logging.DEBUG)
    carve.addHandler(handler)
    carve.propagate = False  # stderr gets warnings only (below), the client the rest
    stderr = logging.StreamHandler()
    stderr.setLevel(logging.WARNING)
    carve.addHandler(stderr)
    errors = ClientLogHandler(server, logging.ERROR)
    logging.getLogger("pygls").addHandler(errors)
    server.log_handlers = (handler, errors)
    return handler


def set_level(server: CarveServer, level: int) -> None:
    if server.log_handlers:
        server.log_handlers[0].setLevel(level)


def bind_loop(server: CarveServer, loop: asyncio.AbstractEventLoop) -> None:
    for handler in server.log_handlers:
        if isinstance(handler, ClientLogHandler):
            handler.loop = loop
