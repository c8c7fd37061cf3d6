"""End-to-end fixtures: `editor` starts `python -m carve serve` over stdio per test and
drives it with a pytest-lsp client (VS Code's capabilities by default)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from .lsp_helpers import SERVER, Editor, close, make_client

# asyncio_mode = "auto" comes from pyproject.toml; every test (and this fixture) runs
# in its own function-scoped event loop with its own server process, so no state
# leaks between tests. (pytest_lsp.fixture yields the bare client, and we want the
# scripted Editor around it, hence a plain async fixture.)


@pytest.fixture
async def editor(tmp_path: Path) -> AsyncIterator[Editor]:
    client = make_client()
    await client.start_io(*SERVER)
    try:
        yield Editor(client, tmp_path)
    finally:
        await close(client)
