"""Turning files into summaries: cache hits first, then parallel parsing of the rest."""

from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from carve.core.cache import SummaryCache
from carve.core.parse import summarize_bytes, summarize_text
from carve.core.source import SourceBytes as SourceBytes  # re-exported: they lived here
from carve.core.source import content_digest
from carve.core.source import read_sources as read_sources
from carve.core.source import stat_sources as stat_sources
from carve.core.summary import ModuleSummary

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

Progress = Callable[[int, int], None]  # (done, total)
# How parse workers start. "fork" (the default where available) is the cheapest, but a
# fork of a multi-threaded process can deadlock on a lock another thread held (the
# language server's stdin reader): threaded callers use "forkserver" or "spawn".
StartMethod = Literal["fork", "forkserver", "spawn"]

# Below this many files to parse, forking workers costs more than it saves.
_PARALLEL_THRESHOLD = 48
# Batches per parse worker: enough that the last ones are short (a worker left alone
# with a long batch at the end idles the other cores), few enough to cost nothing.
_BATCHES_PER_WORKER = 16


def read_error_summary(message: str) -> ModuleSummary:
    summary = ModuleSummary()
    summary.parse_error = (1, 0, message)
    return summary


def summarize_source(source: SourceBytes) -> ModuleSummary:
    """One source's summary here and now: its read error, or its bytes (read now when
    an unchanged stat stamp left them unread) parsed."""
    if source.error is not None:
        return read_error_summary(source.error)
    data = source.data
    if data is None:
        try:
            data = source.path.read_bytes()
        except OSError as exc:
            return read_error_summary(f"cannot read file: {exc.strerror or exc}")
    return summarize_bytes(data)


def load_summaries(
    sources: list[SourceBytes],
    cache: SummaryCache,
    overlays: dict[Path, str] | None = None,
    progress: Progress | None = None,
    jobs: int | None = None,
    start_method: StartMethod | None = None,
) -> dict[Path, ModuleSummary]:
    """Summaries for `sources`; `overlays` are unsaved editor buffers that win over disk.
    `jobs` parse processes (None: one per CPU), started with `start_method` (None:
    "fork" where the platform has it, else "spawn")."""
    overlays = overlays or {}
    result: dict[Path, ModuleSummary] = {}
    misses: list[tuple[Path, str, bytes]] = []
    for source in sources:
        path = source.path
        if path in overlays:
            result[path] = summarize_text(overlays[path])
        elif source.error is not None:
            result[path] = read_error_summary(source.error)
        else:
            cached = cache.get(path, source.digest)
            if cached is not None:
                result[path] = cached
            elif source.data is not None:
                misses.append((path, source.digest, source.data))
            else:  # not read (an unchanged stamp), and no summary for it: read it now
                try:
                    data = path.read_bytes()
                except OSError as exc:
                    result[path] = read_error_summary(f"cannot read file: {exc.strerror or exc}")
                    continue
                misses.append((path, content_digest(data), data))
    total = len(sources)
    done = total - len(misses)
    if progress:
        progress(done, total)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # bulk allocation of small objects: 2-3x faster without the collector
    try:
        for path, digest, summary, pickled in summarize_pickled(misses, jobs, start_method):
            if not summary.internal_error:  # a carve without the bug must try again
                cache.put(path, digest, summary, pickled)
            result[path] = summary
            done += 1
            if progress and (done % 64 == 0 or done == total):
                progress(done, total)
    finally:
        if gc_was_enabled:
            gc.enable()
    cache.retain({s.path.as_posix() for s in sources})
    return result


def summarize_all(
    misses: list[tuple[Path, str, bytes]], jobs: int | None, start_method: StartMethod | None
) -> list[tuple[Path, str, ModuleSummary]]:
    return [(p, d, s) for p, d, s, _ in summarize_pickled(misses, jobs, start_method)]


# (path, digest, summary, the summary as its worker pickled it: None if parsed here)
Parsed = tuple[Path, str, ModuleSummary, bytes | None]
# A batch item: an index into `_forked_misses` (workers forked from this process have
# a copy: ~35 MB of source on a monorepo need not go through pipes), else the source.
BatchItem = int | tuple[Path, bytes]
_forked_misses: list[tuple[Path, str, bytes]] = []


def summarize_pickled(
    misses: list[tuple[Path, str, bytes]], jobs: int | None, start_method: StartMethod | None
) -> list[Parsed]:
    workers = jobs or os.cpu_count() or 1
    if workers <= 1 or len(misses) < _PARALLEL_THRESHOLD:
        return [(p, d, summarize_bytes(b), None) for p, d, b in misses]
    # Imported here: a re-check of a few files never starts a pool (~30 ms of imports).
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # Big files first so no worker is left with the largest one at the end; many small
    # batches (each a slice of every size) so workers that finish early take more, and
    # the summaries come back while the rest is parsed.
    order = sorted(range(len(misses)), key=lambda i: len(misses[i][2]), reverse=True)
    count = min(len(order), workers * _BATCHES_PER_WORKER)
    batches = [order[start::count] for start in range(count)]
    context = pool_context(start_method)
    global _forked_misses
    forked = context.get_start_method() == "fork"
    _forked_misses = misses if forked else []
    sent: list[list[BatchItem]] = [
        list(batch) if forked else [(misses[i][0], misses[i][2]) for i in batch]
        for batch in batches
    ]
    results: list[Parsed] = []
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            try:
                done = pool.map(_summarize_batch, sent)
                for batch, pickled in zip(batches, done, strict=True):
                    # Summaries come back pickled once, by the worker: the same bytes
                    # go into the summary cache.
                    for i, data in zip(batch, pickled, strict=True):
                        path, digest, _ = misses[i]
                        results.append((path, digest, pickle.loads(data), data))
            except BrokenProcessPool:
                # A worker died (killed for memory, a crash in native code): parse what
                # is left in this process rather than lose the whole run.
                finished = {path for path, _, _, _ in results}
                left = [(p, d, b) for p, d, b in misses if p not in finished]
                results.extend((p, d, summarize_bytes(b), None) for p, d, b in left)
    finally:
        _forked_misses = []
    return results


def batch_sources(batch: list[BatchItem]) -> list[tuple[Path, bytes]]:
    """A batch's (path, source) pairs, as a worker sees them."""
    return [
        (_forked_misses[item][0], _forked_misses[item][2]) if isinstance(item, int) else item
        for item in batch
    ]


def _summarize_batch(batch: list[BatchItem]) -> list[bytes]:
    gc.disable()
    return [
        pickle.dumps(summarize_bytes(data), protocol=pickle.HIGHEST_PROTOCOL)
        for _, data in batch_sources(batch)
    ]


def pool_context(start_method: StartMethod | None = None) -> BaseContext:
    """The multiprocessing context parse workers start from. A method the platform
    lacks ("fork", "forkserver" on Windows) falls back to "spawn"."""
    import multiprocessing

    available = multiprocessing.get_all_start_methods()
    method = start_method or ("fork" if "fork" in available else "spawn")
    if method not in available:
        method = "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        # The server process imports the parser once; each worker forks from it
        # ready to parse (set before the first pool starts the server; a hint after).
        context.set_forkserver_preload([__name__])
    return context
