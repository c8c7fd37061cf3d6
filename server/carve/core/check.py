"""`check()`: one entry point for the CLI and the language server."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from carve import __version__
from carve.core.cache import ResultCache
from carve.core.config import Config
from carve.core.findings import Finding
from carve.core.index import WorkspaceIndex
from carve.core.loader import Progress, SourceBytes, read_sources
from carve.core.project import Project
from carve.core.rules.context import RuleContext
from carve.core.rules.cycles import check_cycles
from carve.core.rules.hubs import check_hub_imports, check_hub_self_imports, check_missing_reexports
from carve.core.rules.reexports import check_dunder_all, check_imports_resolve
from carve.core.rules.registry import RULES
from carve.core.rules.size import check_parse_errors, check_size
from carve.core.suppressions import apply_suppressions

Check = Callable[[RuleContext], Iterable[Finding]]

# Each check and the rules it can report, so deselected rules cost nothing.
CHECKS: tuple[tuple[Check, frozenset[str]], ...] = (
    (check_parse_errors, frozenset({"parse-error"})),
    (check_size, frozenset({"file-too-long", "too-many-classes"})),
    (check_hub_imports, frozenset({"hub-bypass", "legacy-hub-import"})),
    (check_imports_resolve, frozenset({"broken-reexport", "unresolved-import"})),
    (check_dunder_all, frozenset({"dunder-all-mismatch"})),
    (check_missing_reexports, frozenset({"missing-reexport"})),
    (check_hub_self_imports, frozenset({"hub-self-import"})),
    (check_cycles, frozenset({"import-cycle"})),
)


@dataclass
class CheckOptions:
    select: frozenset[str] = frozenset()  # empty: every rule
    ignore: frozenset[str] = frozenset()
    only: set[Path] | None = None  # report findings for these files only

    def active_rules(self) -> set[str]:
        rules = set(self.select) if self.select else set(RULES)
        return rules - set(self.ignore)


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0


def run_checks(index: WorkspaceIndex, config: Config, options: CheckOptions) -> CheckResult:
    active = options.active_rules()
    ctx = RuleContext(index, config, options.only)
    raw: list[Finding] = []
    for check, rules in CHECKS:
        if rules & active:
            raw.extend(f for f in check(ctx) if f.rule in active)
    findings = apply_suppressions(raw, index, config, active, options.only)
    findings.sort(key=Finding.sort_key)
    files = len(index.by_path) if options.only is None else len(options.only)
    return CheckResult(findings, files)


def check_project(
    project: Project,
    paths: list[Path],
    select: frozenset[str] = frozenset(),
    ignore: frozenset[str] = frozenset(),
    progress: Progress | None = None,
) -> CheckResult:
    """Discover, read and check a project, reporting on `paths` only (the whole project is
    still indexed). An unchanged workspace is answered from the result cache."""
    files = project.discover(extra_paths=paths)
    only = None
    if paths != [project.root]:
        only = {f.path for f in files if any(f.path == p or p in f.path.parents for p in paths)}
    options = CheckOptions(select=select, ignore=ignore, only=only)
    sources = read_sources([f.path for f in files])
    results = ResultCache(project.root, enabled=project.cache.enabled)
    key = _fingerprint(project, options, sources)
    cached = results.get(key)
    if isinstance(cached, CheckResult):
        return cached
    index = project.index(sources, progress=progress)
    result = run_checks(index, project.config, options)
    results.put(key, result)
    return result


def _fingerprint(project: Project, options: CheckOptions, sources: list[SourceBytes]) -> str:
    digest = hashlib.blake2b(digest_size=20)
    only = sorted(p.as_posix() for p in options.only) if options.only is not None else None
    header = (__version__, repr(project.config), sorted(options.select), sorted(options.ignore))
    digest.update(repr((*header, only)).encode())
    for source_file, source in zip(project.files, sources, strict=True):
        line = (
            f"{source_file.module}|{source_file.root}|{source.path}|{source.digest}|{source.error}"
        )
        digest.update(line.encode())
    return digest.hexdigest()
