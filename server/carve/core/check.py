"""`check()`: one entry point for the CLI and the language server."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from carve.core.cache import ResultCache, code_stamp
from carve.core.changeset import ChangeSet
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
from carve.core.source import decode
from carve.core.suppressions import apply_suppressions

Check = Callable[[RuleContext], Iterable[Finding]]

# Each check and the rules it can report, so deselected rules cost nothing.
CHECKS: tuple[tuple[Check, frozenset[str]], ...] = (
    (check_parse_errors, frozenset({"parse-error", "internal-error"})),
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
    with_fixes: bool = False,
) -> CheckResult:
    """Discover, read and check a project, reporting on `paths` only (the whole project is
    still indexed). An unchanged workspace is answered from the result cache.
    `with_fixes` attaches each finding's unambiguous fix as text edits."""
    files = project.discover(extra_paths=paths)
    options = _options(project, paths, select, ignore)
    sources = read_sources([f.path for f in files])
    results = ResultCache(project.root, enabled=project.cache.enabled)
    key = _fingerprint(project, options, sources, with_fixes)
    cached = results.get(key)
    if isinstance(cached, CheckResult):
        return cached
    index = project.index(sources, progress=progress)
    result = run_checks(index, project.config, options)
    if with_fixes:
        from carve.core.fixes.report import attach_fixes  # LibCST: only when asked

        texts = {s.path: s.data for s in sources}
        reader = _reader(texts)
        result.findings = attach_fixes(result.findings, index, project.config, reader, project.jobs)
    results.put(key, result)
    return result


def plan_project_fixes(
    project: Project,
    paths: list[Path],
    select: frozenset[str] = frozenset(),
    ignore: frozenset[str] = frozenset(),
) -> ChangeSet:
    """Every unambiguous fix for the findings on `paths`, as one change set."""
    from carve.core.fixes import FixContext, plan_fix_all

    index = project.build(extra_paths=paths)
    findings = run_checks(index, project.config, _options(project, paths, select, ignore))
    context = FixContext(index, project.config, _reader({}))
    context.verifier.jobs = project.jobs  # a CLI run: parse the fixed files in parallel
    return plan_fix_all(findings.findings, context)


def _options(
    project: Project, paths: list[Path], select: frozenset[str], ignore: frozenset[str]
) -> CheckOptions:
    only = None
    if paths != [project.root]:
        only = {
            f.path for f in project.files if any(f.path == p or p in f.path.parents for p in paths)
        }
    return CheckOptions(select=select, ignore=ignore, only=only)


def _reader(texts: dict[Path, bytes]) -> Callable[[Path], str]:
    def read(path: Path) -> str:
        data = texts.get(path)
        return decode(data if data is not None else path.read_bytes())

    return read


def _fingerprint(
    project: Project, options: CheckOptions, sources: list[SourceBytes], with_fixes: bool
) -> str:
    digest = hashlib.blake2b(digest_size=20)
    only = sorted(p.as_posix() for p in options.only) if options.only is not None else None
    header = (code_stamp(), repr(project.config), sorted(options.select), sorted(options.ignore))
    digest.update(repr((*header, only, with_fixes)).encode())
    for source_file, source in zip(project.files, sources, strict=True):
        line = (
            f"{source_file.module}|{source_file.root}|{source.path}|{source.digest}|{source.error}"
        )
        digest.update(line.encode())
    return digest.hexdigest()
