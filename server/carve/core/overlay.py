"""The index as it would be after a change set, built in memory (nothing is written)."""

from __future__ import annotations

from pathlib import Path

from carve.core.changeset import ChangeSet
from carve.core.discovery import Discovery
from carve.core.index import Module, WorkspaceIndex
from carve.core.loader import summarize_all
from carve.core.parse import summarize_text
from carve.core.source import content_digest
from carve.core.summary import ModuleSummary
from carve.core.summary_splice import spliced_summary


def overlay(
    index: WorkspaceIndex,
    changes: ChangeSet,
    memo: dict[str, ModuleSummary] | None = None,
    jobs: int | None = 1,
) -> WorkspaceIndex:
    """The index as it would be after `changes`: edited files re-summarised from their
    new text, created files named from the import roots, deleted files gone. Unchanged
    modules are shared (their cached bindings depend on themselves alone). `jobs`: parse
    processes for many new texts (1: in-process, as a threaded server must)."""
    memo = {} if memo is None else memo
    summaries = _summarise_new(index, changes, memo, jobs)
    modules: dict[Path, Module] = {module.path: module for module in index.modules()}
    roots = sorted({m.root for m in modules.values()}, key=lambda p: len(p.parts), reverse=True)
    for change in changes.changes:
        path = change.path
        if change.deleted:
            modules.pop(path, None)
            continue
        summary = summaries[path]
        existing = modules.get(path)
        if existing is not None:
            modules[path] = Module(existing.name, path, existing.root, existing.is_package, summary)
            continue
        described = Discovery(index.config).describe(path, roots)
        if described is not None:
            modules[path] = Module(
                described.module, path, described.root, described.is_package, summary
            )
    return WorkspaceIndex(index.config, modules.values())


def _summarise_new(
    index: WorkspaceIndex, changes: ChangeSet, memo: dict[str, ModuleSummary], jobs: int | None
) -> dict[Path, ModuleSummary]:
    """Summaries of the changes' new texts (by path): spliced into the old summary where
    the planner says which stretches it edited (see summary_splice), else parsed."""
    misses: dict[str, tuple[Path, str, bytes]] = {}
    digests: dict[Path, str] = {}
    for change in changes.changes:
        if change.deleted:
            continue
        digest = digests[change.path] = _digest(change.new_text)
        if digest in memo:
            continue
        old = index.by_path.get(change.path)
        if change.edits is not None and change.old_text is not None and old is not None:
            spliced = spliced_summary(old.summary, change.old_text, change.new_text, change.edits)
            if spliced is not None:
                memo[digest] = spliced
                continue
        data = change.new_text.encode("utf-8", "surrogatepass")
        misses[digest] = (change.path, digest, data)
    if jobs == 1:
        for _path, digest, data in misses.values():
            memo[digest] = summarize_text(data.decode("utf-8", "surrogatepass"))
    else:
        for _path, digest, summary in summarize_all(list(misses.values()), jobs, None):
            memo[digest] = summary
    return {path: memo[digest] for path, digest in digests.items()}


def _digest(text: str) -> str:
    return content_digest(text.encode("utf-8", "surrogatepass"))
