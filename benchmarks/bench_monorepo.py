"""Issue 10's table in one run: every row against its target, tach alongside.

- cold `carve check` on the Django 5.1.4 sdist (tests included) and on a 1M-line
  synthetic tree (2 % PEP 695 files), each next to `tach check` on the same tree;
- warm 1M; `--format json` over text, cold and warm; a one-file edit then a check;
- `carve serve` on the 1M tree: index ready (cold, cached), `didChange` →
  `publishDiagnostics` (median, p95), server peak RSS; CLI peak RSS.

Medians of `--runs` (load average printed: the machine may be shared). Usage:
python -m benchmarks.bench_monorepo [--runs 3] [--lsp-runs 30] [--skip-tach] [--skip-lsp]
[--only-lsp]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import statistics
import sys
from pathlib import Path

from benchmarks.bench_check import CARVE, clear_cache, one_edit, timed
from benchmarks.corpus import CORPUS_DIR, ensure_sdist
from benchmarks.synth import generate

SYNTH = CORPUS_DIR / "synth-1000000-pep695"
SYNTH_EDITED = "apps/accounts/models.py"


def django_sdist() -> Path:
    """A scratch copy of the sdist (docs, tests and all) as its own carve project."""
    tree = CORPUS_DIR / "django-sdist-bench"
    if not tree.exists():
        source = ensure_sdist("Django", "5.1.4")  # corpus_check's download
        shutil.copytree(source, tree, ignore=shutil.ignore_patterns(".carve_cache"))
    (tree / "carve.toml").write_text("", encoding="utf-8")
    return tree


def synthetic() -> Path:
    if not (SYNTH / ".synth").exists():
        generate(SYNTH, 1_000_000)
    (SYNTH / "carve.toml").write_text("", encoding="utf-8")
    return SYNTH


def median_run(command: list[str], tree: Path, runs: int, cold: bool) -> tuple[float, int]:
    """Median wall seconds and peak RSS (MB) of `runs` checks, cache cleared before each
    when `cold`, else filled first."""
    results = []
    if not cold:
        timed(command, tree)
    for _ in range(runs):
        if cold:
            clear_cache(tree)
        results.append(timed(command, tree))
    # Each run as it happens, on stderr: a run cut short on a busy machine still tells.
    label = f"{tree.name} {'cold' if cold else 'warm'} {' '.join(command[3:])}"
    print(label, [f"{r[0]:.2f} s" for r in results], file=sys.stderr, flush=True)
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def ratio(json_s: float, text_s: float) -> str:
    return f"{json_s / text_s:.2f}x ({json_s:.2f} / {text_s:.2f} s)"


def cli_rows(runs: int, skip_tach: bool) -> list[tuple[str, str, str, str]]:
    json = [*CARVE, "--format", "json", "."]
    text = [*CARVE, "."]
    django, synth = django_sdist(), synthetic()
    tach_d = tach_synth = "-"
    if not skip_tach:
        from benchmarks.peers import run_tach

        tach_d = f"tach {run_tach(django):.2f} s"
        tach_synth = f"tach {run_tach(synth):.2f} s"
    d_cold, _ = median_run(text, django, runs, cold=True)
    d_json_cold, _ = median_run(json, django, runs, cold=True)
    d_warm, _ = median_run(text, django, runs, cold=False)
    d_json_warm, _ = median_run(json, django, runs, cold=False)
    s_cold, s_rss = median_run(text, synth, runs, cold=True)
    s_warm, s_warm_rss = median_run(text, synth, max(runs, 5), cold=False)
    s_json_cold, _ = median_run(json, synth, 1, cold=True)
    s_json_warm, _ = median_run(json, synth, 1, cold=False)
    s_edit = one_edit(synth, SYNTH_EDITED, max(runs, 5))
    files = sum(1 for _ in django.rglob("*.py"))
    return [
        (
            f"cold `carve check`, Django sdist ({files} files)",
            f"{d_cold:.2f} s",
            "≤ 3 s",
            tach_d,
        ),
        ("cold, 1M-line synthetic (2 % PEP 695)", f"{s_cold:.2f} s", "≤ 5 s", tach_synth),
        ("warm, 1M lines", f"{s_warm:.2f} s", "≤ 0.3 s", tach_synth),
        ("`--format json` / text, Django, cold", ratio(d_json_cold, d_cold), "≤ 1.2x", ""),
        ("`--format json` / text, Django, warm", ratio(d_json_warm, d_warm), "≤ 1.2x", ""),
        ("`--format json` / text, 1M, cold", ratio(s_json_cold, s_cold), "≤ 1.2x", ""),
        ("`--format json` / text, 1M, warm", ratio(s_json_warm, s_warm), "≤ 1.2x", ""),
        ("one-file edit then `carve check`, 1M", f"{s_edit:.2f} s", "≤ 0.5 s", ""),
        ("peak RSS, 1M, CLI cold / warm", f"{s_rss} / {s_warm_rss} MB", "≤ 400 MB", ""),
    ]


async def lsp_rows(runs: int) -> list[tuple[str, str, str, str]]:
    from benchmarks.bench_lsp import (
        cold_then_cached,
        did_change_latency,
        rss_mb,
        stop,
        workspace_pulls,
    )

    tree = synthetic()
    client, cold, starts = await cold_then_cached(tree, 3)
    cached = statistics.median(starts)
    print("LSP index ready, cached", [f"{s:.2f} s" for s in starts], file=sys.stderr, flush=True)
    pull_first, pull_again = await workspace_pulls(client)
    times = await did_change_latency(client, tree, runs, SYNTH_EDITED, line=3, pad_to=0)
    _, peak = rss_mb(client)
    await stop(client)
    times.sort()
    p95 = times[max(int(len(times) * 0.95) - 1, 0)]
    median = statistics.median(times)
    return [
        (
            "LSP didChange → publishDiagnostics, 1M, median / p95",
            f"{median * 1000:.0f} / {p95 * 1000:.0f} ms",
            "≤ 100 / ≤ 250 ms",
            "",
        ),
        ("LSP index ready, 1M, cold / cached", f"{cold:.2f} / {cached:.2f} s", "≤ 6 / ≤ 1 s", ""),
        (
            "LSP workspace pull, 1M, first / again unchanged",
            f"{pull_first:.2f} / {pull_again:.2f} s",
            "",
            "",
        ),
        ("peak RSS, 1M, LSP server", f"{peak:.0f} MB", "≤ 600 MB", ""),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lsp-runs", type=int, default=30)
    parser.add_argument("--skip-tach", action="store_true")
    parser.add_argument("--skip-lsp", action="store_true")
    parser.add_argument("--only-lsp", action="store_true", help="the LSP rows alone")
    args = parser.parse_args(argv)
    before = os.getloadavg()
    rows = [] if args.only_lsp else cli_rows(args.runs, args.skip_tach)
    if args.only_lsp or not args.skip_lsp:
        rows += asyncio.run(lsp_rows(args.lsp_runs))
    after = os.getloadavg()
    print(
        f"# issue 10 on {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}; load average {before[0]:.1f} before, "
        f"{after[0]:.1f} after; medians of {args.runs} runs"
    )
    print("| measure | carve | target | peer (same tree, same run) |")
    print("| --- | --- | --- | --- |")
    for name, value, target, peer in rows:
        print(f"| {name} | {value} | {target} | {peer} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
