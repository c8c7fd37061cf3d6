"""`carve check` benchmarks: Django (cold, warm, one edit) against tach, and synthetic
projects of growing size (cold, warm, peak RSS) to show linear growth.

Usage: python -m benchmarks.bench_check [--sizes 125000,250000,500000,1000000] [--skip-tach]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.corpus import CORPUS_DIR, ensure_django
from benchmarks.synth import generate

CARVE = [sys.executable, "-m", "carve", "check", "--exit-zero"]  # default (text) format


def timed(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (MB, the carve process itself) of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{command} failed in {cwd}")
    return elapsed, usage.ru_maxrss // 1024


def best(command: list[str], cwd: Path, runs: int = 3, before=None) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    results = []
    for _ in range(runs):
        if before:
            before()
        results.append(timed(command, cwd))
    return min(r[0] for r in results), max(r[1] for r in results)


def clear_cache(tree: Path) -> None:
    shutil.rmtree(tree / ".carve_cache", ignore_errors=True)


def bench_django(skip_tach: bool) -> list[tuple[str, str, str]]:
    tree = ensure_django()
    rows = []
    cold, rss = best([*CARVE, "."], tree, before=lambda: clear_cache(tree))
    rows.append(("Django cold `carve check`", f"{cold:.2f} s", "≤ 1.5 s"))
    timed([*CARVE, "."], tree)  # fill the cache
    warm, warm_rss = best([*CARVE, "."], tree, runs=5)
    rows.append(("Django warm `carve check`", f"{warm:.2f} s", "≤ 0.3 s"))
    edit = one_edit(tree, "django/utils/functional.py", runs=5)
    rows.append(("Django re-check after one edit", f"{edit:.2f} s", "≤ 0.3 s"))
    rows.append(("Django peak RSS cold / warm", f"{rss} MB / {warm_rss} MB", ""))
    if not skip_tach:
        from benchmarks.peers import run_tach

        tach = run_tach(tree)
        rows.append(("tach check (same tree)", f"{tach:.2f} s", f"warm/tach = {warm / tach:.2f}"))
    return rows


def one_edit(tree: Path, relative: str, runs: int = 3) -> float:
    """Median wall time of a check after appending a comment to one file (summary cache
    for every other file; the result cache cannot answer)."""
    edited = tree / relative
    original = edited.read_bytes()
    timed([*CARVE, "."], tree)  # the cache holds the unedited tree
    times = []
    try:
        for i in range(runs):
            edited.write_bytes(original + f"\n# edit {i}\n".encode())
            times.append(timed([*CARVE, "."], tree)[0])
    finally:
        edited.write_bytes(original)
    return statistics.median(times)


def bench_synthetic(sizes: list[int]) -> list[tuple[str, str, str]]:
    rows = []
    for size in sizes:
        out = CORPUS_DIR / f"synth-{size}"
        if not (out / ".synth").exists():
            generate(out, size)
        (out / "carve.toml").touch()
        cold, cold_rss = best([*CARVE, "."], out, runs=2, before=lambda o=out: clear_cache(o))
        timed([*CARVE, "."], out)
        warm, warm_rss = best([*CARVE, "."], out, runs=3)
        edit = one_edit(out, "apps/accounts/models.py")
        rows.append(
            (
                f"synthetic {size:,} lines",
                f"cold {cold:.2f} s ({cold / size * 1e6:.1f} s/M) / warm {warm:.2f} s "
                f"/ one edit {edit:.2f} s",
                f"RSS {cold_rss} / {warm_rss} MB",
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="125000,250000,500000,1000000")
    parser.add_argument("--skip-tach", action="store_true")
    parser.add_argument("--skip-synthetic", action="store_true")
    args = parser.parse_args(argv)
    rows = bench_django(args.skip_tach)
    if not args.skip_synthetic:
        rows += bench_synthetic([int(s) for s in args.sizes.split(",") if s])
    print(f"# carve check on {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:<40} {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
