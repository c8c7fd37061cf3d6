"""Benchmark `carve move`: plan + write with a warm cache, against rope in the same run.

Usage: python benchmarks/bench_move.py [django] [synth] [models] [--no-rope]

django: move `django.utils.functional.cached_property` (imported by ~83 modules) to a
new module with `--importers direct` on a scratch copy of Django; then check the result
with `python -c "import django.db.models, django.forms, django.contrib.admin.options"`
(Django's runtime dependencies live in benchmarks/.venv-django/, created once), and
run rope's MoveGlobal on another copy. synth: a class imported by 200+ files of a
synthetic Django-shaped project. models: two SQLAlchemy models out of a 1,200-line
`models.py` (25 models, 100 importers) whose `Base` and mixins stay behind, so the move
extracts them (issue 11); prints "refused" while carve refuses it. Prints the figures;
never asserts on time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
import venv
from pathlib import Path
from types import ModuleType

if __package__:
    from .corpus import CORPUS_DIR, ensure_django
    from .peers import run_rope_move
    from .synth import generate
else:  # run as a script: benchmarks/ is sys.path[0]
    from corpus import CORPUS_DIR, ensure_django  # type: ignore[no-redef]
    from peers import run_rope_move  # type: ignore[no-redef]
    from synth import generate  # type: ignore[no-redef]

HERE = Path(__file__).resolve().parent
DJANGO_VENV = HERE / ".venv-django"
DJANGO_CHECK = "import django.db.models, django.forms, django.contrib.admin.options"
DJANGO_SYMBOL = "django.utils.functional.cached_property"
SYNTH_SYMBOL = "core.base.BaseService"
MODELS_SYMBOLS = [
    "shared.database.models.SourcePrice",
    "shared.database.models.PricingHistory",
]
MODELS_DESTINATION = "shared.database.pricing_models"
MODELS_LINES, MODELS_IMPORTERS = 1200, 100


def carve_move(tree: Path, symbol: str, *extra: str) -> tuple[float, float, str]:
    """(cold-ish index build s, plan+write s with a warm cache, stderr) for one move."""
    carve = Path(sys.executable).with_name("carve")
    start = time.perf_counter()
    subprocess.run([str(carve), "check", "--exit-zero"], cwd=tree, check=True, capture_output=True)
    warm = time.perf_counter() - start
    start = time.perf_counter()
    proc = subprocess.run(
        [str(carve), "move", symbol, *extra, "--write"], cwd=tree, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"carve move failed:\n{proc.stderr}")
    return warm, elapsed, proc.stderr


def scratch(tree: Path, name: str) -> Path:
    dest = CORPUS_DIR / name
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(tree, dest, ignore=shutil.ignore_patterns("__pycache__", ".carve_cache"))
    if not (dest / "carve.toml").exists() and not (dest / "pyproject.toml").exists():
        (dest / "carve.toml").write_text("", encoding="utf-8")  # its own project
    return dest


def in_process(tree: Path, symbols: list[str], destination: str | None) -> dict[str, object]:
    """Where the time goes, warm cache: index load, plan, write (no interpreter start)."""
    from carve.cli.move_command import split_symbols
    from carve.core.config import load_config
    from carve.core.project import Project
    from carve.core.refactor.edits.apply import write_change_set
    from carve.core.refactor.move.planner import MoveSymbol
    from carve.core.refactor.request import ImporterMode, MoveError, MoveRequest

    config = load_config(tree)
    Project(config).build()  # warm the cache
    start = time.perf_counter()
    index = Project(config).build()
    built = time.perf_counter()
    source, names = split_symbols(index, symbols)
    request = MoveRequest(source, names, destination, ImporterMode.DIRECT)
    try:
        changes = MoveSymbol(index, request).plan()
    except MoveError as refusal:
        refused_s = round(time.perf_counter() - built, 3)
        return {"refused": str(refusal).splitlines()[0][:300], "refused_after_s": refused_s}
    planned = time.perf_counter()
    write_change_set(changes, config.root / ".carve_cache")
    written = time.perf_counter()
    return {
        "title": changes.title,
        "files_changed": len(changes.changes),
        "index_warm_s": round(built - start, 3),
        "plan_s": round(planned - built, 3),
        "write_s": round(written - planned, 3),
        "total_s": round(written - start, 3),
    }


def django_python() -> Path:
    """A venv with Django's runtime dependencies (not Django: the tree is on PYTHONPATH)."""
    python = DJANGO_VENV / "bin" / "python"
    marker = DJANGO_VENV / ".installed"
    if not marker.exists():
        venv.create(DJANGO_VENV, with_pip=True, clear=True)
        pip = [str(python), "-m", "pip", "install", "--quiet", "asgiref", "sqlparse"]
        subprocess.run(pip, check=True)
        marker.touch()
    return python


def imports_cleanly(tree: Path, code: str) -> bool:
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        [str(django_python()), "-c", code], env=env, capture_output=True, text=True, cwd=tree
    )
    if proc.returncode != 0:
        print(proc.stderr[-2000:], file=sys.stderr)
    return proc.returncode == 0


def bench_django(with_rope: bool) -> dict[str, object]:
    tree = ensure_django()
    copy = scratch(tree, f"{tree.name}-carve-move")
    before_ok = imports_cleanly(copy, DJANGO_CHECK)
    index_s, move_s, stderr = carve_move(copy, DJANGO_SYMBOL, "--importers", "direct")
    result: dict[str, object] = {
        "symbol": DJANGO_SYMBOL,
        "carve_index_cold_s": round(index_s, 3),
        "carve_plan_write_warm_s": round(move_s, 3),
        "carve_summary": stderr.strip().splitlines()[-1],
        "imports_before": before_ok,
        "imports_after": imports_cleanly(copy, DJANGO_CHECK),
        "carve_in_process": in_process(
            scratch(tree, f"{tree.name}-carve-move2"), [DJANGO_SYMBOL], None
        ),
    }
    if with_rope:
        rope = run_rope_move(tree)
        rope_tree = CORPUS_DIR / f"{tree.name}-rope"
        rope["imports_after"] = imports_cleanly(rope_tree, DJANGO_CHECK)
        result["rope"] = rope
    return result


def bench_synth(lines: int = 100_000) -> dict[str, object]:
    out = CORPUS_DIR / f"synth-{lines // 1000}k-move"
    generate(out, lines)
    importers = sum(
        1
        for p in out.rglob("*.py")
        if "from core.base import" in p.read_text(encoding="utf-8")
        and "BaseService" in p.read_text(encoding="utf-8")
    )
    index_s, move_s, stderr = carve_move(out, SYNTH_SYMBOL, "--importers", "direct")
    check = "import importlib, pathlib\n" + (
        "for p in pathlib.Path('apps').rglob('*.py'):\n"
        "    importlib.import_module('.'.join(p.with_suffix('').parts).removesuffix('.__init__'))\n"
    )
    return {
        "symbol": SYNTH_SYMBOL,
        "importers": importers,
        "carve_index_cold_s": round(index_s, 3),
        "carve_plan_write_warm_s": round(move_s, 3),
        "carve_summary": stderr.strip().splitlines()[-1],
        "imports_after": imports_cleanly(out, check),
    }


def model_projects() -> ModuleType:
    """The SQLAlchemy project builder the tests use (tests/refactor/model_projects.py)."""
    sys.path.insert(0, str(HERE.parent / "tests" / "refactor"))
    import model_projects

    return model_projects


def write_models_tree(out: Path) -> int:
    """A SQLAlchemy project: a 1,200-line models module, 25 models, 100 importers."""
    projects = model_projects()
    if out.exists():
        shutil.rmtree(out)
    files = dict(projects.SQLA_IMPORTERS)
    methods = 0
    while True:
        text = projects.sqlalchemy_models("function", extra=1, methods=methods)
        if len(text.splitlines()) >= MODELS_LINES:
            break
        methods += 1
    files["shared/database/models.py"] = text + projects.PRICE_LABEL
    forms = [
        "from shared.database.models import PricingHistory, SourcePrice\n\n"
        "USES = [PricingHistory, SourcePrice]\n",
        "from shared.database.models import Base, Source\n\nUSES = [Base, Source]\n",
        "from shared.database import models\n\nUSES = [models.SourcePrice, models.Product]\n",
        "from shared.database.models import Product, TimestampMixin\n\n"
        "USES = [Product, TimestampMixin]\n",
    ]
    files["shared/features/__init__.py"] = ""
    for i in range(MODELS_IMPORTERS):
        files[f"shared/features/feature_{i}.py"] = forms[i % len(forms)]
    (out / "pyproject.toml").parent.mkdir(parents=True)
    (out / "pyproject.toml").write_text("[tool.carve]\n", encoding="utf-8")
    for relative, content in files.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return len(text.splitlines())


def models_dump(tree: Path) -> str | None:
    """The canonical schema + behaviour dump of the tests (None if it fails)."""
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
    script = textwrap.dedent(model_projects().SQLA_DUMP)
    proc = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, cwd=tree
    )
    if proc.returncode != 0:
        print(proc.stderr[-2000:], file=sys.stderr)
        return None
    return proc.stdout


def bench_models() -> dict[str, object]:
    """The extraction move, and for comparison a move that needs none (`price_label`
    reads the models only in annotations) on the same tree."""
    result: dict[str, object] = {"importers": MODELS_IMPORTERS}
    cases = {
        "extraction": (MODELS_SYMBOLS, MODELS_DESTINATION),
        "no_extraction": (["shared.database.models.price_label"], "shared.database.price_labels"),
    }
    for case, (symbols, destination) in cases.items():
        out = CORPUS_DIR / f"models-move-{case}"
        result["models_module_lines"] = write_models_tree(out)
        result[case] = models_move(out, symbols, destination)
    return result


def models_move(out: Path, symbols: list[str], destination: str) -> dict[str, object]:
    result: dict[str, object] = {"symbols": symbols}
    before = models_dump(out)
    try:
        index_s, move_s, stderr = carve_move(
            out, *symbols, "--to", destination, "--importers", "direct"
        )
    except RuntimeError as refusal:
        result["carve"] = "refused"
        result["refusal"] = str(refusal).splitlines()[1][:300]
    else:
        result["carve_index_cold_s"] = round(index_s, 3)
        result["carve_plan_write_warm_s"] = round(move_s, 3)
        result["carve_summary"] = stderr.strip().splitlines()[-1] if stderr.strip() else ""
        result["same_schema_and_behaviour"] = before is not None and before == models_dump(out)
    write_models_tree(out)
    result["carve_in_process"] = in_process(out, symbols, destination)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", help="django, synth, models (default: all)")
    parser.add_argument("--no-rope", action="store_true", help="skip the rope comparison")
    args = parser.parse_args(argv)
    cases = args.cases or ["django", "synth", "models"]
    report: dict[str, object] = {}
    if "django" in cases:
        report["django"] = bench_django(not args.no_rope)
    if "synth" in cases:
        report["synth"] = bench_synth()
    if "models" in cases:
        report["models"] = bench_models()
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
