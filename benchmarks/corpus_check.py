"""Run carve on pinned real projects from PyPI and check that it never crashes or breaks code.

Usage:
    python -m benchmarks.corpus_check [--projects django,rich] [--skip-imports] [--skip-fix]
        [--json out.json] [--refresh-imports] [--timeout 600]

For each project (an sdist, unpacked once into benchmarks/.corpus/sdist/, an empty
`carve.toml` at its root): `carve check` (text, then json), `carve status`, each with
`--no-cache` and timed; `carve check --fix` on a scratch copy (the `--diff` first, kept
in benchmarks/.corpus/reports/), the import comparison of `import_check.py` (every module
that imported from the original tree must still import from the fixed copy), `carve check
--format json` on the fixed copy (no new `unresolved-import`, `broken-reexport`,
`import-cycle`), and one dry-run `carve move` of a class picked automatically. The
projects' runtime dependencies are installed once into benchmarks/.venv-corpus/ (the
projects themselves are shadowed there by the unpacked tree, first on `sys.path`).

A carve crash (exit code 2, a traceback on stderr, a timeout) is a row in the table,
never the end of the run. Prints the table as markdown; exits 1 if any project had an
internal error or a module broken by `--fix`.
"""

from __future__ import annotations

import argparse
import ast
import collections
import hashlib
import json
import re
import shutil
import subprocess
import sys
import time
import traceback
import venv
from dataclasses import dataclass, field
from pathlib import Path

if __package__:
    from .corpus import CORPUS_DIR, ensure_sdist
    from .import_check import CORPUS_VENV, check_tree, enumerate_modules, import_roots
else:  # run as a script: benchmarks/ is sys.path[0]
    from corpus import CORPUS_DIR, ensure_sdist  # type: ignore[no-redef]
    from import_check import (  # type: ignore[no-redef]
        CORPUS_VENV,
        check_tree,
        enumerate_modules,
        import_roots,
    )

REPORTS = CORPUS_DIR / "reports"
CARVE = Path(sys.executable).with_name("carve")
RESOLUTION_RULES = ("unresolved-import", "broken-reexport", "import-cycle")


@dataclass(frozen=True)
class Project:
    key: str  # --projects name
    dist: str  # PyPI name
    version: str
    skip_tests: bool = False  # import check: skip tests/test_* modules (time)


PROJECTS = [
    Project("django", "Django", "5.1.4"),
    Project("sqlalchemy", "SQLAlchemy", "2.0.36", skip_tests=True),
    Project("wagtail", "wagtail", "6.3.1"),
    Project("celery", "celery", "5.4.0"),
    Project("rich", "rich", "13.9.4"),
    Project("pydantic", "pydantic", "2.10.3"),
    Project("sympy", "sympy", "1.13.3", skip_tests=True),
    Project("black", "black", "24.10.0"),
    Project("pytest", "pytest", "8.3.4"),
    Project("requests", "requests", "2.32.3"),
    Project("attrs", "attrs", "24.2.0"),
    Project("flask", "flask", "3.1.0"),
    Project("httpx", "httpx", "0.28.1"),
    Project("click", "click", "8.1.7"),
    Project("poetry-core", "poetry-core", "1.9.1"),
    Project("jinja2", "jinja2", "3.1.4"),
    Project("starlette", "starlette", "0.41.3"),
    Project("fastapi", "fastapi", "0.115.6"),
]


@dataclass
class Run:
    """One carve invocation."""

    rc: int | None
    seconds: float
    stdout: str
    stderr: str

    @property
    def crash(self) -> str | None:
        """First line of the crash, or None."""
        if self.rc is None:
            return "timeout"
        if self.rc == 2 or "Traceback (most recent call last)" in self.stderr:
            lines = [ln for ln in self.stderr.strip().splitlines() if ln.strip()]
            # The exception line of a traceback is its last line; else the first line.
            tb = "Traceback (most recent call last)" in self.stderr
            return (lines[-1] if tb else lines[0]) if lines else f"exit {self.rc}"
        return None


def carve(args: list[str], cwd: Path, timeout: int) -> Run:
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [str(CARVE), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        return Run(None, time.perf_counter() - start, out, "")
    return Run(proc.returncode, time.perf_counter() - start, proc.stdout, proc.stderr)


@dataclass
class Row:
    project: str
    version: str
    files: int = 0
    t_text: float | None = None
    t_json: float | None = None
    t_status: float | None = None
    t_fix: float | None = None
    internal_errors: int = 0
    crashes: list[str] = field(default_factory=list)
    internal_details: list[str] = field(default_factory=list)
    rules: dict[str, int] = field(default_factory=dict)
    fixed_files: int | None = None
    imports_ok: int | None = None
    imports_total: int | None = None
    imports_note: str = ""
    broken: dict[str, str] = field(default_factory=dict)
    broken_files: dict[str, list[str]] = field(default_factory=dict)
    new_findings: int | None = None
    new_examples: list[str] = field(default_factory=list)
    move: str = ""
    move_detail: str = ""
    error: str = ""


# --------------------------------------------------------------------------- setup


def ensure_corpus_venv(projects: list[Project]) -> Path:
    """benchmarks/.venv-corpus with every project's pinned wheel (so its dependencies)."""
    py = CORPUS_VENV / "bin" / "python"
    marker = CORPUS_VENV / ".installed"
    wanted = sorted(f"{p.dist}=={p.version}" for p in projects)
    done = set(marker.read_text().split()) if marker.exists() else set()
    if not py.exists():
        venv.EnvBuilder(with_pip=True).create(CORPUS_VENV)
    missing = [w for w in wanted if w not in done]
    if missing:
        proc = subprocess.run([str(py), "-m", "pip", "install", "-q", *missing], check=False)
        if proc.returncode != 0:  # resolver conflict: install one by one, keep going
            for w in missing:
                subprocess.run([str(py), "-m", "pip", "install", "-q", w], check=False)
        marker.write_text("\n".join(sorted(done | set(missing))) + "\n")
    return py


def py_files(tree: Path) -> dict[str, str]:
    """{relative path: sha1} of every .py file (no caches)."""
    out = {}
    for p in tree.rglob("*.py"):
        rel = p.relative_to(tree)
        if "__pycache__" in rel.parts or ".carve_cache" in rel.parts:
            continue
        out[str(rel)] = hashlib.sha1(p.read_bytes()).hexdigest()
    return out


def scratch_copy(tree: Path, name: str) -> Path:
    dest = CORPUS_DIR / "fixed" / name  # name carries --tag: runs side by side stay apart
    if dest.exists():
        shutil.rmtree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(tree, dest, ignore=shutil.ignore_patterns("__pycache__", ".carve_cache"))
    return dest


# --------------------------------------------------------------------------- move pick


def pick_move_target(tree: Path) -> str | None:
    """A public class defined in a non-test module with ≥ 2 top-level classes that another
    module imports by name: of those, the one whose body uses the fewest other top-level
    names of its module (the likeliest to move), then by module name and source order."""
    roots = import_roots(tree)
    modules = enumerate_modules(tree, skip_tests=False)
    path_of: dict[str, Path] = {}
    for mod in modules:
        for root in roots:
            base = root.joinpath(*mod.split("."))
            for cand in (base.with_suffix(".py"), base / "__init__.py"):
                if cand.is_file():
                    path_of.setdefault(mod, cand)
    classes: dict[str, list[tuple[str, int]]] = {}
    imported: set[tuple[str, str, str]] = set()  # (from module, name, importer)
    for mod, path in path_of.items():
        try:
            tree_ast = ast.parse(path.read_bytes())
        except (SyntaxError, ValueError):
            continue
        is_pkg = path.name == "__init__.py"
        top = _top_level_names(tree_ast)
        classes[mod] = [
            (n.name, len(top & {x.id for x in ast.walk(n) if isinstance(x, ast.Name)} - {n.name}))
            for n in tree_ast.body
            if isinstance(n, ast.ClassDef) and not n.name.startswith("_")
        ]
        for node in ast.walk(tree_ast):
            if isinstance(node, ast.ImportFrom):
                src = _absolute(mod, is_pkg, node.module, node.level)
                if src:
                    for alias in node.names:
                        imported.add((src, alias.name, mod))
    importers = collections.defaultdict(set)
    for src, name, who in imported:
        if who != src:
            importers[(src, name)].add(who)
    best: tuple[int, str, int, str] | None = None
    for mod in sorted(classes):
        parts = mod.split(".")
        if mod.endswith("__init__") or any(
            p in {"tests", "test", "testing"} or p.startswith("test_") for p in parts
        ):
            continue
        if len(classes[mod]) < 2:
            continue
        for i, (cls, uses) in enumerate(classes[mod]):
            if importers.get((mod, cls)):
                cand = (uses, mod, i, cls)
                best = cand if best is None or cand < best else best
    return f"{best[1]}.{best[3]}" if best else None


def _top_level_names(module: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in module.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return names


def _absolute(mod: str, is_pkg: bool, target: str | None, level: int) -> str | None:
    if level == 0:
        return target
    base = mod.split(".") if is_pkg else mod.split(".")[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    if not base:
        return None
    return ".".join(base + ([target] if target else []))


# --------------------------------------------------------------------------- one project


def finding_key(f: dict) -> tuple[str, str, str, str]:
    return (f.get("rule", ""), f.get("path", ""), f.get("symbol") or "", f.get("message", ""))


def parse_json(run: Run) -> list[dict] | None:
    try:
        return json.loads(run.stdout)["findings"]
    except (ValueError, KeyError, TypeError):
        return None


def note_crash(row: Row, what: str, run: Run) -> None:
    crash = run.crash
    if crash:
        row.crashes.append(f"{what}: {crash}")


def check_project(p: Project, args: argparse.Namespace, py: Path | None) -> Row:
    row = Row(p.key, p.version)
    tree = ensure_sdist(p.dist, p.version)
    shutil.rmtree(tree / ".carve_cache", ignore_errors=True)
    before_files = py_files(tree)
    row.files = len(before_files)
    t = args.timeout

    text = carve(["check", "--no-cache", "--exit-zero"], tree, t)
    row.t_text = text.seconds
    note_crash(row, "check", text)
    m = re.search(r"in (\d+) files", text.stdout)
    if m:
        row.files = int(m.group(1))

    js = carve(["check", "--no-cache", "--exit-zero", "--format", "json"], tree, t)
    row.t_json = js.seconds
    note_crash(row, "check --format json", js)
    findings = parse_json(js)
    if findings is None and not js.crash:
        row.crashes.append(f"check --format json: unparsable output: {js.stdout[:100]!r}")
    findings = findings or []
    row.rules = dict(sorted(collections.Counter(f["rule"] for f in findings).items()))
    internal = [f for f in findings if f["rule"] == "internal-error"]
    row.internal_details = [f"{f['path']}: {f['message']}" for f in internal]

    status = carve(["status", "--no-cache"], tree, t)
    row.t_status = status.seconds
    note_crash(row, "status", status)

    if not args.skip_fix:
        _fix_and_compare(p, row, tree, findings, args, py)

    target = pick_move_target(tree)
    if target is None:
        row.move = "no candidate"
    else:
        mv = carve(["move", target, "--no-cache"], tree, t)
        note_crash(row, f"move {target}", mv)
        first = next((ln for ln in (mv.stderr + "\n" + mv.stdout).splitlines() if ln.strip()), "")
        if mv.rc == 0:
            changed = sum(1 for ln in mv.stdout.splitlines() if ln.startswith("+++ "))
            row.move = f"ok `{target}` ({changed} files)"
        else:
            row.move = f"refused `{target}`"
        row.move_detail = first.strip()[:300]
    row.internal_errors = len(internal) + len(row.crashes)
    shutil.rmtree(tree / ".carve_cache", ignore_errors=True)
    return row


def _fix_and_compare(
    p: Project, row: Row, tree: Path, findings: list[dict], args: argparse.Namespace, py
) -> None:
    t = args.timeout
    name = f"{p.key}-{p.version}"
    tagged = f"{name}-{args.tag}" if args.tag else name
    fixed = scratch_copy(tree, tagged)
    REPORTS.mkdir(parents=True, exist_ok=True)
    diff = carve(["check", "--no-cache", "--exit-zero", "--fix", "--diff"], fixed, t)
    note_crash(row, "check --fix --diff", diff)
    (REPORTS / f"{tagged}.fix.diff").write_text(diff.stdout)
    fix = carve(["check", "--no-cache", "--exit-zero", "--fix"], fixed, t)
    row.t_fix = fix.seconds
    note_crash(row, "check --fix", fix)
    (REPORTS / f"{tagged}.fix.out").write_text(fix.stdout + fix.stderr)
    before = py_files(tree)
    after = py_files(fixed)
    changed = sorted(f for f in set(before) | set(after) if before.get(f) != after.get(f))
    row.fixed_files = len(changed)

    if not args.skip_imports:
        cache = REPORTS / f"{name}.imports-before.json"
        if cache.exists() and not args.refresh_imports:
            imp_before = json.loads(cache.read_text())
            row.imports_note = "before: cached"
        else:
            imp_before = check_tree(tree, None, str(py), p.skip_tests, 2, 60)
            cache.write_text(json.dumps(imp_before))
            row.imports_note = f"before: {imp_before['seconds']} s"
        if p.skip_tests:
            row.imports_note += ", tests skipped"
        row.imports_ok = imp_before["ok"]
        row.imports_total = imp_before["modules"]
        imp_after = check_tree(fixed, imp_before, str(py), p.skip_tests, 2, 60)
        row.imports_note += f"; after: {imp_after['reimported']} re-imported, "
        row.imports_note += f"{imp_after['seconds']} s"
        (REPORTS / f"{tagged}.imports-after.json").write_text(json.dumps(imp_after))
        row.broken = imp_after["broken"]
        changed_set = set(changed)
        for mod in row.broken:
            loaded = imp_before["results"][mod]["files"]
            row.broken_files[mod] = sorted(changed_set & set(loaded))

    js = carve(["check", "--no-cache", "--exit-zero", "--format", "json"], fixed, t)
    note_crash(row, "check --format json (after fix)", js)
    after_findings = parse_json(js) or []
    old = collections.Counter(finding_key(f) for f in findings if f["rule"] in RESOLUTION_RULES)
    new = collections.Counter(
        finding_key(f) for f in after_findings if f["rule"] in RESOLUTION_RULES
    )
    added = new - old
    row.new_findings = sum(added.values())
    row.new_examples = [f"{r} {path}: {msg}" for (r, path, _, msg) in list(added)[:8]]


# --------------------------------------------------------------------------- report

ABBREV = {
    "hub-bypass": "bypass",
    "unresolved-import": "unres",
    "file-too-long": "long",
    "too-many-classes": "classes",
    "missing-reexport": "miss-rx",
    "broken-reexport": "broken-rx",
    "import-cycle": "cycle",
    "internal-error": "INTERNAL",
    "parse-error": "parse",
}


def _s(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}"


def markdown(rows: list[Row]) -> str:
    head = (
        "| project | version | files | check text / json / status s | internal errors "
        "| findings per rule | --fix: files changed (s) | modules importable before "
        "| broken by fix | new unres/broken-rx/cycle after fix | move |"
    )
    lines = [head, "|" + " --- |" * 11]
    for r in rows:
        if r.error:
            lines.append(f"| {r.project} | {r.version} | | | | ERROR: {r.error} | | | | | |")
            continue
        rules = ", ".join(f"{ABBREV.get(k, k)} {v}" for k, v in r.rules.items()) or "none"
        imports = "-" if r.imports_ok is None else f"{r.imports_ok}/{r.imports_total}"
        if r.imports_note:
            imports += f" ({r.imports_note})"
        fixcol = "-" if r.fixed_files is None else f"{r.fixed_files} ({_s(r.t_fix)})"
        broken = "-" if r.imports_ok is None else str(len(r.broken))
        new = "-" if r.new_findings is None else str(r.new_findings)
        lines.append(
            f"| {r.project} | {r.version} | {r.files} | {_s(r.t_text)} / {_s(r.t_json)} / "
            f"{_s(r.t_status)} | {r.internal_errors} | {rules} | {fixcol} | {imports} "
            f"| {broken} | {new} | {r.move} |"
        )
    return "\n".join(lines)


def details(rows: list[Row]) -> str:
    out = []
    for r in rows:
        items = []
        items += [f"- crash: {c}" for c in r.crashes]
        items += [f"- internal-error: {d}" for d in r.internal_details]
        for mod, err in r.broken.items():
            files = ", ".join(r.broken_files.get(mod, [])) or "?"
            items.append(f"- broken by fix: `{mod}`: {err} (changed files it loads: {files})")
        items += [f"- new after fix: {e}" for e in r.new_examples]
        if r.move.startswith("refused") or (r.move_detail and not r.move.startswith("ok")):
            items.append(f"- move {r.move}: {r.move_detail}")
        if r.error:
            items.append(f"- script error: {r.error}")
        if items:
            out.append(f"**{r.project} {r.version}**\n" + "\n".join(items))
    return "\n\n".join(out) or "(no failures)"


def _write_json(path: Path, rows: list[Row], seconds: float) -> None:
    path.write_text(
        json.dumps({"seconds": round(seconds, 1), "rows": [vars(r) for r in rows]}, indent=1)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", help="comma-separated keys (default: all)")
    parser.add_argument("--skip-imports", action="store_true", help="no import comparison")
    parser.add_argument("--skip-fix", action="store_true", help="no --fix (nor imports)")
    parser.add_argument("--refresh-imports", action="store_true", help="redo 'before' imports")
    parser.add_argument("--timeout", type=int, default=600, help="per carve command, seconds")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument("--tag", default="", help="suffix of scratch copies and reports")
    parser.add_argument("--render", type=Path, help="print the tables of a --json file")
    args = parser.parse_args(argv)
    if args.render:
        saved = json.loads(args.render.read_text())
        rows = [Row(**r) for r in saved["rows"]]
        print(markdown(rows) + "\n\n" + details(rows) + f"\n\nTotal: {saved['seconds']:.0f} s")
        return 0
    projects = PROJECTS
    if args.projects:
        keys = [k.strip() for k in args.projects.split(",") if k.strip()]
        known = {p.key: p for p in PROJECTS}
        unknown = [k for k in keys if k not in known]
        if unknown:
            parser.error(f"unknown project(s): {', '.join(unknown)}; known: {sorted(known)}")
        projects = [known[k] for k in keys]
    start = time.perf_counter()
    py = None
    if not (args.skip_fix or args.skip_imports):
        py = ensure_corpus_venv(PROJECTS)
    rows = []
    for p in projects:
        t0 = time.perf_counter()
        try:
            row = check_project(p, args, py)
        except Exception as exc:  # a script failure for one project is a row, too
            row = Row(p.key, p.version, error=f"{type(exc).__name__}: {exc}"[:300])
            traceback.print_exc()
        rows.append(row)
        print(f"{p.key} {p.version}: done in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        if args.json:  # after each project, so an interrupted run keeps what it did
            _write_json(args.json, rows, time.perf_counter() - start)
    total = time.perf_counter() - start
    print(markdown(rows))
    print()
    print(details(rows))
    print(f"\nTotal: {total:.0f} s for {len(rows)} projects")
    if args.json:
        _write_json(args.json, rows, total)
    bad = any(r.internal_errors or r.broken or r.error for r in rows)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
