"""Work-done progress (`$/progress`) for indexing, fed from the analysis thread."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from typing import TYPE_CHECKING

from lsprotocol import types

if TYPE_CHECKING:
    from carve.lsp.server import CarveServer

log = logging.getLogger(__name__)
_INTERVAL = 0.1  # seconds between reports: enough for a progress bar


class WorkDone:
    def __init__(self, server: CarveServer, title: str) -> None:
        self.server = server
        self.title = title
        self.token = f"carve-{uuid.uuid4().hex[:12]}"
        window = server.client_capabilities.window
        self.enabled = bool(window and window.work_done_progress)
        self._loop = asyncio.get_running_loop()
        self._last = 0.0
        self._started = False

    async def begin(self, message: str = "") -> None:
        if not self.enabled:
            return
        try:
            await self.server.work_done_progress.create_async(self.token)
        except Exception as exc:  # the client refused: carry on without a bar
            log.debug("work done progress refused: %s", exc)
            self.enabled = False
            return
        self.server.work_done_progress.begin(
            self.token,
            types.WorkDoneProgressBegin(
                title=self.title, message=message, percentage=0, cancellable=False
            ),
        )
        self._started = True

    def callback(self, done: int, total: int) -> None:
        """Core's `progress(done, total)`; callable from any thread."""
        now = time.monotonic()
        if not self._started or (now - self._last < _INTERVAL and done < total):
            return
        self._last = now
        self._loop.call_soon_threadsafe(self._report, done, total)

    def _report(self, done: int, total: int) -> None:
        percentage = int(done * 100 / total) if total else 100
        self.server.work_done_progress.report(
            self.token,
            types.WorkDoneProgressReport(message=f"{done}/{total} files", percentage=percentage),
        )

    def end(self, message: str) -> None:
        if self._started:
            self.server.work_done_progress.end(
                self.token, types.WorkDoneProgressEnd(message=message)
            )
            self._started = False
