"""The server's state across edits: what each keystroke leaves behind."""

from __future__ import annotations

import asyncio
import gc
import threading
import weakref
from pathlib import Path

from carve.lsp.session import Document, Session, Snapshot


def test_indexes_replaced_by_edits_are_freed_after_code_actions(tmp_path: Path) -> None:
    """A code action builds a fix verifier for the current index; it must not keep the
    index alive once an edit replaced it (one index per keystroke would pile up)."""
    (tmp_path / "carve.toml").write_text("", encoding="utf-8")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("", encoding="utf-8")
    path = tmp_path / "app" / "models.py"
    path.write_text("class Invoice:\n    pass\n", encoding="utf-8")
    session = Session()
    try:
        session.set_folders([tmp_path])
        session.build_all(Snapshot())
        replaced = []
        for version in range(1, 5):
            text = f"class Invoice:\n    pass\n\n\nX{version} = 1\n"
            document = Document(path.as_uri(), path, version, text)
            snapshot = Snapshot({path: document})
            session.check(snapshot, {path})
            assert session.fix_context(path, snapshot) is not None
            state = session.project_for(path)
            assert state is not None and state.index is not None
            replaced.append(weakref.ref(state.index))
        gc.collect()
        assert [r() is not None for r in replaced] == [False, False, False, True]
    finally:
        session.close()


async def test_a_whole_workspace_check_goes_after_document_checks() -> None:
    """Woken together (the index became ready), the workspace pull lets the document
    pulls submit first and waits for them: an editor shows its file's diagnostics
    before a whole-workspace check (seconds on a big tree) runs."""
    session = Session()
    order: list[str] = []
    ready = asyncio.Event()
    release = threading.Event()

    async def workspace_pull() -> None:
        await ready.wait()
        await session.when_idle()
        await session.run(order.append, "workspace")

    async def document_pull() -> None:
        await ready.wait()
        await session.run(lambda: (release.wait(5), order.append("document")))

    try:
        pulls = [asyncio.ensure_future(workspace_pull()), asyncio.ensure_future(document_pull())]
        await asyncio.sleep(0)
        ready.set()
        await asyncio.sleep(0.05)
        assert order == []  # the workspace check waits while the document check runs
        release.set()
        await asyncio.gather(*pulls)
        assert order == ["document", "workspace"]
    finally:
        session.close()
