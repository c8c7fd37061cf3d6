"""Import every module of a source tree, each in a fresh interpreter state, and compare runs.

Usage:
    python -m benchmarks.import_check TREE [--out after.json] [--before before.json]
        [--python PY] [--skip-tests] [--timeout S] [--workers N]

Each module is imported by a forked child of a pristine worker interpreter (nothing
imported but `site`), so every import starts from an empty `sys.modules`, as
`python -c "import M"` would, at the cost of a fork instead of an interpreter start-up.
A child that crashes or hangs past `--timeout` is recorded as failed; the worker goes on.
The tree's import roots (`src/` or `lib/` when they hold packages, then the tree itself)
come first on `sys.path`, `DJANGO_SETTINGS_MODULE` and `PYTHONPATH` are unset, the cwd is
an empty temporary directory; bytecode is cached in the tree's `__pycache__/` dirs.

With `--before`, only modules that imported in that run are imported again, and a module
is skipped (counted as still importing) when none of the tree files it loaded then has
changed: the same code runs. Prints the modules that imported before and fail now
("broken"), and exits 1 if there are any.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS_VENV = HERE / ".venv-corpus"
SKIP_DIRS = {"__pycache__", ".carve_cache", ".git", "build", "dist", "node_modules", "docs"}

# Runs in the worker interpreter: argv[1] is a JSON list of sys.path roots; stdin takes
# one module name per line, stdout answers one JSON object per line.
WORKER = r"""
import json, os, signal, sys
roots = json.loads(sys.argv[1])
timeout = int(sys.argv[2])
sys.path[:0] = roots
out = sys.stdout
for line in sys.stdin:
    name = line.strip()
    if not name:
        continue
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(rfd)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.alarm(timeout)
        try:
            __import__(name)
            res = {"ok": True}
        except BaseException as exc:
            msg = str(exc).splitlines()[0] if str(exc) else ""
            res = {"ok": False, "error": f"{type(exc).__name__}: {msg}"[:300]}
        files = []
        for mod in list(sys.modules.values()):
            f = getattr(mod, "__file__", None)
            if isinstance(f, str):
                for r in roots:
                    if f.startswith(r + os.sep):
                        files.append(os.path.abspath(f))
                        break
        res["files"] = sorted(set(files))
        data = json.dumps(res).encode()
        while data:
            data = data[os.write(wfd, data):]
        os._exit(0)
    os.close(wfd)
    chunks = []
    with os.fdopen(rfd, "rb") as r:
        chunks.append(r.read())
    _, status = os.waitpid(pid, 0)
    raw = b"".join(chunks)
    try:
        res = json.loads(raw) if raw else None
    except ValueError:
        res = None
    if res is None:
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            why = "timeout" if sig == signal.SIGALRM else f"killed by signal {sig}"
        else:
            why = f"exited {os.WEXITSTATUS(status)} during import"
        res = {"ok": False, "error": f"crash: {why}", "files": []}
    res["module"] = name
    out.write(json.dumps(res) + "\n")
    out.flush()
"""


def import_roots(tree: Path) -> list[Path]:
    """`src/` or `lib/` when they hold a package, then the tree itself."""
    roots = []
    for sub in ("src", "lib"):
        d = tree / sub
        if d.is_dir() and any((c / "__init__.py").exists() for c in d.iterdir() if c.is_dir()):
            roots.append(d)
    roots.append(tree)
    return roots


def _is_test_part(part: str) -> bool:
    return part in {"tests", "test", "testing"} or part.startswith("test_")


def enumerate_modules(tree: Path, skip_tests: bool = False) -> list[str]:
    """Dotted names of every module reachable through `__init__.py` packages from the
    import roots; top-level modules only in `src/`/`lib/` (never `setup.py` & co.)."""
    roots = import_roots(tree)
    names: set[str] = set()
    for root in roots:
        others = {r for r in roots if r != root}
        for child in sorted(root.iterdir()):
            if child in others or child.name in SKIP_DIRS:
                continue
            if child.is_file() and child.suffix == ".py" and root != tree:
                if child.stem.isidentifier():
                    names.add(child.stem)
            elif child.is_dir() and (child / "__init__.py").exists() and child.name.isidentifier():
                _walk_package(child, child.name, names, skip_tests)
    return sorted(n for n in names if not (skip_tests and any(map(_is_test_part, n.split(".")))))


def _walk_package(pkg: Path, dotted: str, names: set[str], skip_tests: bool) -> None:
    names.add(dotted)
    for child in sorted(pkg.iterdir()):
        if child.name in SKIP_DIRS:
            continue
        if child.is_file() and child.suffix == ".py" and child.name != "__init__.py":
            if child.stem.isidentifier() and child.stem != "__main__":
                names.add(f"{dotted}.{child.stem}")
        elif child.is_dir() and (child / "__init__.py").exists() and child.name.isidentifier():
            _walk_package(child, f"{dotted}.{child.name}", names, skip_tests)


def default_python() -> str:
    py = CORPUS_VENV / "bin" / "python"
    return str(py) if py.exists() else sys.executable


def _env(tree: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "PYTHONPATH"}}
    env.pop("PYTHONPYCACHEPREFIX", None)  # it would slow every stdlib import ~3x
    env["PYTHONWARNINGS"] = "ignore"
    env.pop("PYTHONSTARTUP", None)
    return env


def run_imports(
    tree: Path,
    modules: list[str],
    python: str | None = None,
    workers: int = 2,
    timeout: int = 60,
) -> dict[str, dict]:
    """{module: {"ok": bool, "error"?: str, "files": [tree-relative paths loaded]}}."""
    tree = tree.resolve()
    roots = [str(r.resolve()) for r in import_roots(tree)]
    todo: queue.Queue[str] = queue.Queue()
    for m in modules:
        todo.put(m)
    results: dict[str, dict] = {}
    lock = threading.Lock()

    def drive() -> None:
        with tempfile.TemporaryDirectory() as cwd:
            while True:
                proc = subprocess.Popen(
                    [python or default_python(), "-c", WORKER, json.dumps(roots), str(timeout)],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    cwd=cwd,
                    env=_env(tree),
                    text=True,
                    bufsize=1,
                )
                assert proc.stdin and proc.stdout
                try:
                    while True:
                        try:
                            name = todo.get_nowait()
                        except queue.Empty:
                            return
                        proc.stdin.write(name + "\n")
                        proc.stdin.flush()
                        line = proc.stdout.readline()
                        if not line:  # the worker itself died: record, restart
                            with lock:
                                results[name] = {"ok": False, "error": "worker died", "files": []}
                            break
                        res = json.loads(line)
                        res["files"] = [os.path.relpath(f, tree) for f in res.get("files", [])]
                        with lock:
                            results[res.pop("module")] = res
                finally:
                    if proc.stdin:
                        proc.stdin.close()
                    proc.kill()
                    proc.wait()

    threads = [threading.Thread(target=drive) for _ in range(max(1, workers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def file_hashes(tree: Path, rel_paths: set[str]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for rel in rel_paths:
        p = tree / rel
        out[rel] = hashlib.sha1(p.read_bytes()).hexdigest() if p.is_file() else None
    return out


def check_tree(
    tree: Path,
    before: dict | None = None,
    python: str | None = None,
    skip_tests: bool = False,
    workers: int = 2,
    timeout: int = 60,
) -> dict:
    """One run. Without `before`: every module. With it: re-import only modules that
    imported then and whose loaded files changed since. Returns a JSON-able report."""
    start = time.perf_counter()
    tree = tree.resolve()
    if before is None:
        modules = enumerate_modules(tree, skip_tests)
        results = run_imports(tree, modules, python, workers, timeout)
        loaded = {f for r in results.values() if r["ok"] for f in r["files"]}
        return {
            "tree": str(tree),
            "skip_tests": skip_tests,
            "modules": len(modules),
            "ok": sum(r["ok"] for r in results.values()),
            "results": results,
            "hashes": file_hashes(tree, loaded),
            "seconds": round(time.perf_counter() - start, 1),
        }
    old_ok = {m: r for m, r in before["results"].items() if r["ok"]}
    now = file_hashes(tree, set(before["hashes"]))
    changed = {f for f, h in now.items() if h != before["hashes"].get(f)}
    todo = sorted(m for m, r in old_ok.items() if changed & set(r["files"]))
    results = run_imports(tree, todo, python, workers, timeout)
    broken = {m: r.get("error", "") for m, r in sorted(results.items()) if not r["ok"]}
    return {
        "tree": str(tree),
        "ok_before": len(old_ok),
        "changed_files_loaded": len(changed),
        "reimported": len(todo),
        "broken": broken,
        "results": results,
        "seconds": round(time.perf_counter() - start, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", type=Path)
    parser.add_argument("--before", type=Path, help="a report of this script on the tree before")
    parser.add_argument("--out", type=Path, help="write the JSON report here")
    parser.add_argument("--python", help=f"interpreter (default: {CORPUS_VENV}/bin/python)")
    parser.add_argument("--skip-tests", action="store_true", help="skip tests/test_* modules")
    parser.add_argument("--timeout", type=int, default=60, help="per module, seconds")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    before = json.loads(args.before.read_text()) if args.before else None
    report = check_tree(args.tree, before, args.python, args.skip_tests, args.workers, args.timeout)
    if args.out:
        args.out.write_text(json.dumps(report, indent=1))
    if before is None:
        print(f"{report['ok']}/{report['modules']} modules import ({report['seconds']} s)")
        return 0
    print(
        f"{report['ok_before']} modules imported before; {report['reimported']} re-imported "
        f"(loaded a changed file); {len(report['broken'])} broken ({report['seconds']} s)"
    )
    for mod, err in report["broken"].items():
        print(f"  BROKEN {mod}: {err}")
    return 1 if report["broken"] else 0


if __name__ == "__main__":
    sys.exit(main())
