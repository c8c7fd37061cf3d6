"""Does carve's split planner propose what maintainers did? Split recovery on real packages.

Usage: python -m benchmarks.split_recovery [--cases a,b] [--explain CASE] [--json OUT]

Each case (`split_cases.py`) takes sibling feature files of a real package, merges them into
one monolith (definitions in order, imports between the merged files dropped since the
names are now local, other imports deduplicated at the top, `from __future__` first), puts
it in a scratch copy of the package (`.corpus/split_recovery/<case>/`; each other merged
file becomes a stub re-exporting its names from the monolith, so importers still resolve),
indexes the copy with carve and runs the planner (`propose_split`) on the monolith.

Score: pairwise co-membership F1 against the original files. Two top-level definitions
belong together when they came from the same file; precision and recall run over the pairs
of definitions the planner puts in feature files (the shared file counts as one group),
ignoring what it leaves in the hub, whose size is printed. The baseline groups every
definition by the first word of its snake-cased name (`InvoiceLine` → `invoice`).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import CORPUS_DIR, _pip_download, ensure_sdist
from benchmarks.split_cases import CASES, Case

SCRATCH = CORPUS_DIR / "split_recovery"


# -- merging -----------------------------------------------------------------------------


@dataclass
class Merge:
    """A monolith's text and where each of its definitions came from."""

    text: str
    origin: dict[str, str]  # definition name → stem of its original file
    lines: int = 0
    ambiguous: set[str] = field(default_factory=set)  # defined differently in two files
    notes: Counter[str] = field(default_factory=Counter)  # what the merge had to bend


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def absolute_module(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    base = package.split(".")
    if node.level > 1:
        base = base[: -(node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def bound_names(stmt: ast.stmt) -> list[str]:
    """Names a top-level statement binds (not imports), including in `if`/`try` bodies."""
    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [stmt.name]
    if isinstance(stmt, ast.Assign | ast.AnnAssign | ast.AugAssign):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        if isinstance(stmt, ast.AnnAssign) and stmt.value is None:
            return []
        return [name for target in targets for name in _target_names(target)]
    if sys.version_info >= (3, 12) and isinstance(stmt, ast.TypeAlias):
        return [stmt.name.id] if isinstance(stmt.name, ast.Name) else []
    names: list[str] = []
    if isinstance(stmt, ast.If | ast.Try | ast.With):
        bodies = [stmt.body, getattr(stmt, "orelse", []), getattr(stmt, "finalbody", [])]
        bodies += [h.body for h in getattr(stmt, "handlers", [])]
        for body in bodies:
            for inner in body:
                names += bound_names(inner)
    return names


def _target_names(target: ast.expr) -> list[str]:
    """`a`, `a, (b, *c)`: not `a.b = …` nor `a[0] = …`, which bind nothing new."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Tuple | ast.List):
        return [name for element in target.elts for name in _target_names(element)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return []


def _is_dunder_all(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.Assign | ast.AugAssign | ast.AnnAssign):
        return "__all__" in bound_names(stmt)
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        func = stmt.value.func
        return isinstance(func, ast.Attribute) and ast.unparse(func.value) == "__all__"
    return False


def _is_main_block(stmt: ast.stmt) -> bool:
    """`if __name__ == "__main__":` demo code, dropped from the merge."""
    return isinstance(stmt, ast.If) and "__main__" in ast.unparse(stmt.test)


def _is_type_checking(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.If)
        and ast.unparse(stmt.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        and not stmt.orelse
        and all(isinstance(s, ast.Import | ast.ImportFrom) for s in stmt.body)
    )


class ImportBlock:
    """Imports merged and deduplicated, in first-seen order."""

    def __init__(self) -> None:
        self.plain: dict[str, None] = {}  # "import a.b as c" lines
        self.froms: dict[tuple[int, str], dict[tuple[str, str | None], None]] = {}

    def add_import(self, alias: ast.alias) -> bool:
        line = f"import {alias.name}" + (f" as {alias.asname}" if alias.asname else "")
        if (alias.asname or alias.name.split(".")[0]) in self._from_names():
            return False  # `import datetime` after `from datetime import datetime`
        self.plain[line] = None
        return True

    def add_from(self, level: int, module: str, alias: ast.alias) -> bool:
        """False if the name is bound already (the same object re-exported elsewhere, or
        `_` as gettext and gettext_lazy): the first import wins."""
        asname = None if alias.asname == alias.name else alias.asname  # `X as X` is `X` here
        aliases = self.froms.setdefault((level, module), {})
        if (alias.name, asname) in aliases:
            return True
        if alias.name != "*" and (asname or alias.name) in self.bound():
            return False
        aliases[(alias.name, asname)] = None
        return True

    def bound(self) -> set[str]:
        return {line.split()[-1].split(".")[0] for line in self.plain} | self._from_names()

    def _from_names(self) -> set[str]:
        return {asname or name for aliases in self.froms.values() for name, asname in aliases}

    def discard(self, names: set[str]) -> None:
        self.plain = {k: None for k in self.plain if k.split()[-1].split(".")[0] not in names}
        for key, aliases in self.froms.items():
            self.froms[key] = {a: None for a in aliases if (a[1] or a[0]) not in names}

    def lines(self, indent: str = "") -> list[str]:
        future = [k for k in self.froms if k == (0, "__future__")]
        out = [indent + line for line in self.plain]
        for level, module in future + [k for k in self.froms if k not in future]:
            aliases = self.froms[(level, module)]
            if ("*", None) in aliases:
                out.append(f"{indent}from {'.' * level}{module} import *")
                aliases = {a: None for a in aliases if a[0] != "*"}
            if not aliases:
                continue
            names = [name + (f" as {asname}" if asname else "") for name, asname in aliases]
            out.append(f"{indent}from {'.' * level}{module} import (")
            out += [f"{indent}    {n}," for n in names]
            out.append(f"{indent})")
        if future:  # `from __future__` first
            first = out.index(f"{indent}from __future__ import (")
            end = out.index(f"{indent})", first)
            out = out[first : end + 1] + out[:first] + out[end + 1 :]
        return out


def merge_files(root: Path, case: Case, shuffle: int | None = None) -> Merge:
    """The monolith of `case`; with `shuffle`, its definitions in an order drawn from that
    seed (a module not written feature by feature)."""
    pkg_dir = root / case.package_dir
    package = case.package_dir.replace("/", ".")
    paths = [pkg_dir / f"{stem}.py" for stem in case.stems]
    merged_modules = {module_name(root, p): p.stem for p in paths}
    trees = {p.stem: ast.parse(p.read_text(encoding="utf-8")) for p in paths}
    paths = import_order(paths, trees, package, merged_modules)
    sources = _import_sources(trees, merged_modules, package)
    defined, ambiguous = _definitions([(p.stem, trees[p.stem]) for p in paths])
    local = set(defined)
    runtime, typing_only = ImportBlock(), ImportBlock()
    notes: Counter[str] = Counter()
    chunks: list[str] = []
    seen_chunks: set[str] = set()
    aliases_needed: list[str] = []

    module_aliases: set[str] = set()  # `from . import related`: `related.X` becomes `X`

    def take_import(stmt: ast.Import | ast.ImportFrom, block: ImportBlock) -> None:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.name in merged_modules:
                    notes["module import of a merged file dropped"] += 1
                    module_aliases.add(alias.asname or alias.name)
                elif not block.add_import(alias):
                    notes["import of a name bound already dropped"] += 1
            return
        absolute = absolute_module(stmt, package)
        for alias in stmt.names:
            bound = alias.asname or alias.name
            if absolute in merged_modules:
                if alias.name == "*":
                    continue
                if alias.name in local:
                    if bound != alias.name:
                        aliases_needed.append(f"{bound} = {alias.name}")
                    continue
                if f"{absolute}.{alias.name}" in merged_modules:
                    notes["module import of a merged file dropped"] += 1
                    module_aliases.add(bound)
                    continue
                source = sources.get(absolute, {}).get(alias.name)
                if source is not None and source[0] not in merged_modules:
                    notes["re-export through a merged file imported from its source"] += 1
                    real = ast.alias(source[1], None if bound == source[1] else bound)
                    block.add_from(0, source[0], real)
                    continue
                notes["re-export through a merged file kept"] += 1
            elif f"{absolute}.{alias.name}" in merged_modules:
                notes["module import of a merged file dropped"] += 1
                module_aliases.add(bound)
                continue
            elif bound in local:
                notes["import shadowed by a merged definition dropped"] += 1
                continue
            if not block.add_from(0, absolute, alias):  # absolute: one spelling per module
                notes["import of a name bound already dropped"] += 1

    for path in paths:
        lines = path.read_text(encoding="utf-8").splitlines()
        body = trees[path.stem].body
        module_aliases.clear()
        for stmt in body:  # imports first: they say how this file's chunks are rewritten
            if isinstance(stmt, ast.Import | ast.ImportFrom):
                take_import(stmt, runtime)
            elif _is_type_checking(stmt):
                for inner in stmt.body:
                    if isinstance(inner, ast.Import | ast.ImportFrom):
                        take_import(inner, typing_only)
        previous_end = 0
        for index, stmt in enumerate(body):
            start, end = previous_end + 1, stmt.end_lineno or stmt.lineno
            previous_end = end
            is_docstring = (
                index == 0
                and isinstance(stmt, ast.Expr)
                and isinstance(stmt.value, ast.Constant)
                and isinstance(stmt.value.value, str)
            )
            if is_docstring or _is_dunder_all(stmt) or _is_main_block(stmt):
                continue
            if isinstance(stmt, ast.Import | ast.ImportFrom) or _is_type_checking(stmt):
                continue
            chunk = "\n".join(lines[start - 1 : end]).strip("\n")
            if module_aliases:
                chunk = _unqualify(chunk, module_aliases, local, notes)
            key = ast.unparse(stmt)
            if key in seen_chunks and bound_names(stmt):  # e.g. the same `logger = ...`
                notes["identical definition dropped"] += 1
                continue
            seen_chunks.add(key)
            chunks.append(chunk)
    # A name bound identically twice is not ambiguous: keep the first file as its origin.
    ambiguous = {n for n in ambiguous if _defined_differently(trees, n)}
    typing_only.discard(runtime.bound())
    header = [f'"""Merged from {", ".join(f"{s}.py" for s in case.stems)}."""', ""]
    header += runtime.lines()
    typing_lines = typing_only.lines("    ")
    if typing_lines:
        if "TYPE_CHECKING" not in runtime.bound():
            header.append("from typing import TYPE_CHECKING")
        header += ["", "if TYPE_CHECKING:", *typing_lines]
    if shuffle is not None:
        random.Random(shuffle).shuffle(chunks)
    text = "\n".join(header) + "\n\n\n" + "\n\n\n".join(chunks) + "\n"
    if aliases_needed:
        text += "\n" + "\n".join(dict.fromkeys(aliases_needed)) + "\n"
        notes["alias of a merged name assigned"] += len(set(aliases_needed))
    ast.parse(text)  # the monolith must parse
    origin = {n: s for n, s in defined.items() if n not in ambiguous and not _dunder(n)}
    return Merge(text, origin, text.count("\n"), ambiguous, notes)


def _import_sources(
    trees: dict[str, ast.Module], merged: dict[str, str], package: str
) -> dict[str, dict[str, tuple[str, str]]]:
    """Where each merged module took the names it imports (module → bound name →
    (source module, name)): a re-export through it is imported from there instead."""
    sources: dict[str, dict[str, tuple[str, str]]] = {}
    for module, stem in merged.items():
        for node in ast.walk(trees[stem]):
            if isinstance(node, ast.ImportFrom):
                absolute = absolute_module(node, package)
                for alias in node.names:
                    bound = alias.asname or alias.name
                    sources.setdefault(module, {})[bound] = (absolute, alias.name)
    return sources


def _definitions(files: list[tuple[str, ast.Module]]) -> tuple[dict[str, str], set[str]]:
    """Each name the files bind at top level → the first file binding it, and the names
    bound in more than one file."""
    defined: dict[str, str] = {}
    twice: set[str] = set()
    for stem, tree in files:
        for stmt in tree.body:
            if _is_dunder_all(stmt) or _is_main_block(stmt):
                continue
            for name in bound_names(stmt):
                if defined.setdefault(name, stem) != stem:
                    twice.add(name)
    return defined, twice


def import_order(
    paths: list[Path], trees: dict[str, ast.Module], package: str, merged: dict[str, str]
) -> list[Path]:
    """The files in the case's order, except that each comes after the merged files it
    imports at module level (whose names its class bodies and decorators may read)."""
    needs: dict[str, set[str]] = {p.stem: set() for p in paths}
    for path in paths:
        for stmt in trees[path.stem].body:
            targets: list[str] = []
            if isinstance(stmt, ast.Import):
                targets = [alias.name for alias in stmt.names]
            elif isinstance(stmt, ast.ImportFrom):
                absolute = absolute_module(stmt, package)
                for alias in stmt.names:
                    submodule = f"{absolute}.{alias.name}"
                    targets.append(submodule if submodule in merged else absolute)
            needs[path.stem] |= {merged[t] for t in targets if t in merged} - {path.stem}
    ordered: list[Path] = []
    remaining = list(paths)
    while remaining:
        done = {p.stem for p in ordered}
        ready = [p for p in remaining if needs[p.stem] <= done]
        chosen = ready[0] if ready else remaining[0]  # a cycle: the case's order decides
        ordered.append(chosen)
        remaining.remove(chosen)
    return ordered


def _unqualify(chunk: str, modules: set[str], local: set[str], notes: Counter[str]) -> str:
    """`related.ForeignKey` → `ForeignKey` once `related` is merged (text, not a parse)."""
    pattern = re.compile(rf"(?<![\w.])(?:{'|'.join(map(re.escape, modules))})\.(\w+)\b")

    def local_name(match: re.Match[str]) -> str:
        if match.group(1) not in local:
            return match.group(0)
        notes["merged module attribute unqualified"] += 1
        return match.group(1)

    return pattern.sub(local_name, chunk)


def _defined_differently(trees: dict[str, ast.Module], name: str) -> bool:
    texts = {
        ast.unparse(stmt)
        for tree in trees.values()
        for stmt in tree.body
        if name in bound_names(stmt) and not _is_dunder_all(stmt) and not _is_main_block(stmt)
    }
    return len(texts) > 1


def _dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def prepare(case: Case, shuffle: int | None = None) -> tuple[Path, str, Merge]:
    """The scratch workspace of a case: (root, monolith module name, merge)."""
    if case.wheel_python:
        tree = ensure_wheel(case.project, case.version, case.wheel_python)
    else:
        tree = ensure_sdist(case.project, case.version)
    root = tree / case.root if case.root else tree
    merge = merge_files(root, case, shuffle)
    dest = SCRATCH / case.name
    if dest.exists():
        shutil.rmtree(dest)
    ignore = shutil.ignore_patterns("__pycache__", ".carve_cache", "tests", "*.pyc")
    # Hard links: a copy of Django takes seconds on a busy machine. Every file written
    # below is unlinked first, so the cached sdist is never written through a link.
    packages = [case.top_package]
    if case.whole_tree:
        packages = sorted(p.parent.name for p in root.glob("*/__init__.py"))
    for package in packages:
        shutil.copytree(root / package, dest / package, ignore=ignore, copy_function=_link)
    (dest / "carve.toml").write_text("", encoding="utf-8")
    pkg_dir = dest / case.package_dir
    monolith_path = pkg_dir / f"{case.monolith}.py"
    monolith = module_name(dest, monolith_path)
    for stem in case.stems:
        if stem == case.monolith:
            continue
        names = sorted(n for n, s in merge.origin.items() if s == stem)
        stub = f"from {monolith} import {', '.join(names)}  # noqa: F401\n" if names else ""
        _write(pkg_dir / f"{stem}.py", stub)
    _write(monolith_path, merge.text)
    return dest, monolith, merge


def ensure_wheel(name: str, version: str, python: str) -> Path:
    """The unzipped wheel of `name==version` built for `python` (a project whose sdist
    pip refuses to fetch for this interpreter), fetched once."""
    dest = CORPUS_DIR / "wheel" / f"{name.lower()}-{version}"
    marker = dest / ".complete"
    if not marker.exists():
        shutil.rmtree(dest, ignore_errors=True)
        with tempfile.TemporaryDirectory() as tmp:
            flags = ("--only-binary=:all:", "--python-version", python)
            _pip_download(f"{name}=={version}", tmp, *flags)
            with zipfile.ZipFile(next(Path(tmp).glob("*.whl"))) as wheel:
                wheel.extractall(dest)
        marker.touch()
    return dest


def _link(source: str, dest: str) -> None:
    try:
        os.link(source, dest)
    except OSError:  # another file system
        shutil.copy2(source, dest)


def _write(path: Path, text: str) -> None:
    path.unlink(missing_ok=True)  # never through a hard link into the sdist
    path.write_text(text, encoding="utf-8")


# -- grouping and scoring ------------------------------------------------------------------


@dataclass
class Grouping:
    groups: dict[str, list[str]]  # group label → names placed there
    hub: list[str] = field(default_factory=list)
    shared: list[str] = field(default_factory=list)


_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+")


def first_word(name: str) -> str:
    words = _WORDS.findall(name.strip("_"))
    return words[0].lower() if words else name


def baseline(names: list[str]) -> Grouping:
    groups: dict[str, list[str]] = defaultdict(list)
    for name in names:
        groups[first_word(name)].append(name)
    return Grouping(dict(groups))


def planner(root: Path, monolith: str) -> tuple[Grouping, float, float]:
    """carve's plan for the monolith, with the index and plan times."""
    from carve.core.config import load_config
    from carve.core.project import Project
    from carve.core.refactor.split.plan import propose_split

    start = time.perf_counter()
    index = Project(load_config(root), use_cache=False).build()
    built = time.perf_counter()
    plan = propose_split(index, monolith)
    planned = time.perf_counter()
    groups: dict[str, list[str]] = {}
    shared: list[str] = []
    modules = Counter(f.module for f in plan.files)
    for twice in [m for m, count in modules.items() if count > 1]:
        print(f"  the plan names {twice} for {modules[twice]} files", file=sys.stderr)
    for number, planned_file in enumerate(plan.files):  # kept apart even if named alike
        key = planned_file.module + (" (shared)" if planned_file.shared else "")
        groups[key if key not in groups else f"{key} #{number}"] = list(planned_file.names)
        if planned_file.shared:
            shared += planned_file.names
    return Grouping(groups, list(plan.hub), shared), built - start, planned - built


@dataclass
class Score:
    precision: float
    recall: float
    f1: float
    scored: int  # definitions placed in feature files (or the shared file)


def score(grouping: Grouping, origin: dict[str, str]) -> Score:
    label = {n: g for g, names in grouping.groups.items() for n in names if n in origin}
    names = sorted(label)
    predicted = {(a, b) for a, b in combinations(names, 2) if label[a] == label[b]}
    truth = {(a, b) for a, b in combinations(names, 2) if origin[a] == origin[b]}
    both = len(predicted & truth)
    if not predicted and not truth:
        return Score(1.0, 1.0, 1.0, len(names))
    precision = both / len(predicted) if predicted else 0.0
    recall = both / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if both else 0.0
    return Score(precision, recall, f1, len(names))


def explain(grouping: Grouping, origin: dict[str, str], out: list[str]) -> None:
    """Each planned group by original file, then each original file split over groups."""
    for group, names in grouping.groups.items():
        by_file = Counter(origin.get(n, "?") for n in names)
        out.append(f"  group {group}: {dict(by_file.most_common())}")
        for stem, _ in by_file.most_common():
            members = [n for n in names if origin.get(n, "?") == stem]
            out.append(f"    {stem}: {', '.join(members[:12])}{' …' if len(members) > 12 else ''}")
    hub = Counter(origin.get(n, "?") for n in grouping.hub)
    out.append(f"  hub: {dict(hub.most_common())}")
    out.append(f"    {', '.join(grouping.hub[:40])}{' …' if len(grouping.hub) > 40 else ''}")


# -- running ---------------------------------------------------------------------------------


def run_case(case: Case, use_baseline: bool, shuffle: int | None = None) -> dict[str, object]:
    start = time.perf_counter()
    root, monolith, merge = prepare(case, shuffle)
    prepared = time.perf_counter() - start
    names = list(merge.origin)
    base_score = score(baseline(names), merge.origin)
    if use_baseline:  # the pipeline without the planner: the baseline stands in
        plan, index_s, plan_s = baseline(names), 0.0, 0.0
    else:
        plan, index_s, plan_s = planner(root, monolith)
    plan_score = score(plan, merge.origin)
    unknown = [n for g in plan.groups.values() for n in g if n not in merge.origin]
    placed = {n for g in plan.groups.values() for n in g} | set(plan.hub)
    absent = [n for n in names if n not in placed]  # definitions the plan does not name
    lines: list[str] = []
    explain(plan, merge.origin, lines)
    if absent:
        lines.append(f"  not in the plan: {', '.join(absent)}")
    return {
        "case": case.name,
        "batch": case.batch,
        "monolith": monolith,
        "files": len(case.stems),
        "lines": merge.lines,
        "definitions": len(names),
        "ambiguous": sorted(merge.ambiguous),
        "notes": dict(merge.notes),
        "groups": len(plan.groups),
        "hub": len(plan.hub),
        "shared": len(plan.shared),
        "unscored": len(unknown),
        "absent": absent,
        "planner": plan_score.__dict__,
        "baseline": base_score.__dict__,
        "prepare_s": round(prepared, 2),
        "index_s": round(index_s, 2),
        "plan_s": round(plan_s, 2),
        "explain": lines,
    }


def render(results: list[dict[str, object]], label: str) -> str:
    head = (
        f"| case | files | lines | defs | {label} groups | hub | shared | scored "
        f"| not in plan | {label} P / R | {label} F1 | baseline F1 | index s | plan s |"
    )
    out = [head, "|" + " --- |" * (head.count("|") - 1)]
    for r in results:
        p, b = r["planner"], r["baseline"]
        assert isinstance(p, dict) and isinstance(b, dict)
        out.append(
            f"| {r['case']} | {r['files']} | {r['lines']} | {r['definitions']} | {r['groups']} "
            f"| {r['hub']} | {r['shared']} | {p['scored']} | {len(r['absent'])} "
            f"| {p['precision']:.2f} / {p['recall']:.2f} | {p['f1']:.2f} | {b['f1']:.2f} "
            f"| {r['index_s']} | {r['plan_s']} |"
        )
    batches = sorted({r["batch"] for r in results})  # type: ignore[type-var]
    for batch in [*batches, None] if len(batches) > 1 else [None]:
        chosen = [r for r in results if batch is None or r["batch"] == batch]
        if not chosen:
            continue
        mean_p = sum(r["planner"]["f1"] for r in chosen) / len(chosen)  # type: ignore[index]
        mean_b = sum(r["baseline"]["f1"] for r in chosen) / len(chosen)  # type: ignore[index]
        label = f"{len(chosen)} cases" + (f" of batch {batch}" if batch is not None else "")
        out.append(
            f"| **mean** ({label}) | | | | | | | | | | **{mean_p:.2f}** | **{mean_b:.2f}** | | |"
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", help="comma-separated case names (default: all)")
    parser.add_argument(
        "--explain",
        action="append",
        default=[],
        metavar="CASE",
        help="print each planned group by original file ('all' for every case)",
    )
    parser.add_argument(
        "--baseline-only", action="store_true", help="let the baseline stand in for the planner"
    )
    parser.add_argument(
        "--shuffle",
        type=int,
        metavar="SEED",
        help="merge the definitions in a random order drawn from SEED (how much the plan "
        "owes to the files' definitions being contiguous in the monolith)",
    )
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    cases = list(CASES)
    if args.cases:
        wanted = set(args.cases.split(","))
        unknown = wanted - {c.name for c in cases}
        if unknown:
            parser.error(f"unknown case: {', '.join(sorted(unknown))}")
        cases = [c for c in cases if c.name in wanted]
    use_baseline = args.baseline_only
    start = time.perf_counter()
    results = []
    for case in cases:
        result = run_case(case, use_baseline, args.shuffle)
        results.append(result)
        p = result["planner"]
        assert isinstance(p, dict)
        print(
            f"{case.name}: F1 {p['f1']:.2f} (baseline {result['baseline']['f1']:.2f})"  # type: ignore[index]
            f" in {result['prepare_s']} + {result['index_s']} + {result['plan_s']} s",
            file=sys.stderr,
        )
        if result["notes"] or result["ambiguous"]:
            print(f"  merge: {result['notes']}; ambiguous: {result['ambiguous']}", file=sys.stderr)
    total = time.perf_counter() - start
    print(render(results, "baseline" if use_baseline else "planner"))
    print(f"\ntotal {total:.1f} s")
    for result in results:
        if "all" in args.explain or result["case"] in args.explain:
            print(f"\n{result['case']} ({result['monolith']}):")
            print("\n".join(result["explain"]))  # type: ignore[arg-type]
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
