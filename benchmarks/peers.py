"""Peer tools for comparison: tach (import boundaries) and rope (move refactoring).

Usage: python benchmarks/peers.py [tach] [rope] [--tree DIR]   (default: both, on Django)

They live in their own venv (benchmarks/.venv-peers/) so their dependencies never mix
with carve's. Both run on scratch copies under benchmarks/.corpus/: tach needs a
tach.toml at the root and rope rewrites files, and the corpus must stay pristine.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

if __package__:
    from .corpus import CORPUS_DIR, ensure_django
else:  # run as a script: benchmarks/ is sys.path[0]
    from corpus import CORPUS_DIR, ensure_django  # type: ignore[no-redef]

HERE = Path(__file__).resolve().parent
PEERS_VENV = HERE / ".venv-peers"
PEERS = ("tach", "rope")


def ensure_peers() -> Path:
    """Create the peers venv with the latest tach and rope once; return its python."""
    python = PEERS_VENV / "bin" / "python"
    marker = PEERS_VENV / ".installed"  # written only after a successful install
    if marker.exists():
        return python
    venv.create(PEERS_VENV, with_pip=True, clear=True)
    cmd = [str(python), "-m", "pip", "install", "--quiet", "--upgrade", *PEERS]
    subprocess.run(cmd, check=True)
    marker.touch()
    return python


def versions() -> dict[str, str]:
    code = "import json, importlib.metadata as m; print(json.dumps({p: m.version(p) for p in %r}))"
    out = subprocess.run(
        [str(ensure_peers()), "-c", code % (PEERS,)], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout)


def scratch_copy(tree: Path, suffix: str) -> Path:
    """Fresh copy of `tree` at benchmarks/.corpus/<name>-<suffix> (recreated every call)."""
    dest = CORPUS_DIR / f"{tree.name}-{suffix}"
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(tree, dest, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    return dest


def tach_modules(tree: Path) -> list[str]:
    """One tach module per subpackage of each top-level package (the package if none).

    For Django that is django.db, django.utils, ...; for synth.py output apps.<app>,
    core and config. Boundaries this coarse still make tach read every first-party file.
    """
    modules = []
    for top in sorted(p.parent for p in tree.glob("*/__init__.py")):
        subs = sorted(p.parent.name for p in top.glob("*/__init__.py"))
        modules += [f"{top.name}.{s}" for s in subs] or [top.name]
    return modules


def tach_tree(tree: Path) -> Path:
    """Copy `tree` and give it a tach.toml whose depends_on match the code (`tach sync`).

    `tach init`/`tach mod` are interactive, so the module list is written directly and
    `tach sync` fills in the dependencies; `tach check` then passes and times a full,
    clean analysis rather than error reporting.
    """
    dest = scratch_copy(tree, "tach")
    body = ['source_roots = ["."]\nexclude = []\n']
    body += [f'\n[[modules]]\npath = "{m}"\ndepends_on = []\n' for m in tach_modules(dest)]
    (dest / "tach.toml").write_text("".join(body), encoding="utf-8")
    subprocess.run([str(tach_bin()), "sync"], cwd=dest, check=True, capture_output=True)
    return dest


def tach_bin() -> Path:
    return ensure_peers().with_name("tach")


def run_tach(tree: Path) -> float:
    """Seconds for `tach check` on a configured copy of `tree`, best of 3."""
    dest = tach_tree(tree)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        proc = subprocess.run([str(tach_bin()), "check"], cwd=dest, capture_output=True)
        best = min(best, time.perf_counter() - start)
        if proc.returncode != 0:  # a failing config would time error output, not analysis
            raise RuntimeError(f"tach check failed in {dest}:\n{proc.stdout.decode()}")
    return best


def run_rope_move(tree: Path) -> dict[str, object]:
    """Move cached_property with rope on a copy of a Django `tree`; return timings.

    Adds wall_s (the whole subprocess): rope's object graph takes seconds to tear down
    at interpreter exit, a cost a user of a CLI tool would see too.
    """
    dest = scratch_copy(tree, "rope")
    start = time.perf_counter()
    out = subprocess.run(
        [str(ensure_peers()), str(HERE / "rope_move.py"), str(dest)],
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(out.stdout)
    result["wall_s"] = round(time.perf_counter() - start, 3)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tools", nargs="*", help=f"subset of {list(PEERS)} (default: all)")
    parser.add_argument("--tree", type=Path, help="tree to analyse (default: Django corpus)")
    args = parser.parse_args(argv)
    unknown = set(args.tools) - set(PEERS)
    if unknown:
        parser.error(f"unknown tool: {', '.join(sorted(unknown))}")
    tree = (args.tree or ensure_django()).resolve()
    report: dict[str, object] = {"tree": str(tree), "versions": versions()}
    tools = args.tools or PEERS
    if "tach" in tools:
        report["tach_check_s"] = round(run_tach(tree), 3)
    if "rope" in tools:
        report["rope_move"] = run_rope_move(tree)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
