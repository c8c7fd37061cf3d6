"""`carve split` timings: the 1,200-line SQLAlchemy models module of bench_move (25
models, 100 importers) and Django's `django/utils/functional.py`, plan + write with a
warm cache, from the CLI and in process; the ORM schema compared before and after.

Usage: python -m benchmarks.bench_split [models] [django]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.bench_move import CORPUS_DIR, models_dump, write_models_tree
from benchmarks.corpus import ensure_sdist

MODELS_SOURCE = "shared.database.models"


def cli_split(tree: Path, source: str) -> tuple[float, str]:
    """(plan + write s with a warm cache, stderr) for `carve split SOURCE --write`."""
    carve = Path(sys.executable).with_name("carve")
    subprocess.run([str(carve), "check", "--exit-zero"], cwd=tree, check=True, capture_output=True)
    start = time.perf_counter()
    proc = subprocess.run(
        [str(carve), "split", source, "--write"], cwd=tree, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"carve split failed:\n{proc.stderr}")
    return elapsed, proc.stderr


def in_process(tree: Path, source: str) -> dict[str, object]:
    from carve.core.config import load_config
    from carve.core.project import Project
    from carve.core.refactor.edits.apply import write_change_set
    from carve.core.refactor.split.plan import propose_split
    from carve.core.refactor.split.planner import SplitModule

    config = load_config(tree)
    Project(config).build()  # warm the cache
    start = time.perf_counter()
    index = Project(config).build()
    built = time.perf_counter()
    plan = propose_split(index, source)
    proposed = time.perf_counter()
    changes = SplitModule(index, plan).plan()
    planned = time.perf_counter()
    write_change_set(changes, config.root / ".carve_cache")
    written = time.perf_counter()
    return {
        "files": {p.module: len(p.names) for p in plan.files},
        "left_in_hub": plan.hub,
        "files_changed": len(changes.changes),
        "index_warm_s": round(built - start, 3),
        "propose_s": round(proposed - built, 3),
        "plan_s": round(planned - proposed, 3),
        "write_s": round(written - planned, 3),
        "plan_and_write_s": round(written - built, 3),
    }


def bench_models() -> dict[str, object]:
    out = CORPUS_DIR / "models-split"
    lines = write_models_tree(out)
    before = models_dump(out)
    elapsed, _stderr = cli_split(out, MODELS_SOURCE)
    same = before is not None and before == models_dump(out)
    write_models_tree(out)
    return {
        "models_module_lines": lines,
        "cli_plan_write_warm_s": round(elapsed, 3),
        "same_schema_and_behaviour": same,
        "in_process": in_process(out, MODELS_SOURCE),
    }


def bench_django() -> dict[str, object]:
    tree = ensure_sdist("django", "5.1.4")
    out = CORPUS_DIR / "django-split"
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(tree, out, ignore=shutil.ignore_patterns("__pycache__", ".carve_cache"))
    elapsed, _stderr = cli_split(out, "django.utils.functional")
    shutil.rmtree(out)
    shutil.copytree(tree, out, ignore=shutil.ignore_patterns("__pycache__", ".carve_cache"))
    return {
        "cli_plan_write_warm_s": round(elapsed, 3),
        **in_process(out, "django.utils.functional"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", help="models, django (default: both)")
    cases = parser.parse_args(argv).cases or ["models", "django"]
    report: dict[str, object] = {}
    if "models" in cases:
        report["models"] = bench_models()
    if "django" in cases:
        report["django"] = bench_django()
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
