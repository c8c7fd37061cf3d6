"""`check()`: one entry point for the CLI and the language server."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from carve.core.cache import FileStamps, ResultCache, SummaryCache, code_stamp, collector_paused
from carve.core.config import Config
from carve.core.discovery import Discovery, SourceFile
from carve.core.findings import Finding
from carve.core.rules.registry import RULES
from carve.core.source import SourceBytes, decode, stat_sources
from carve.core.stored_check import Snapshot, StoredCheck, snapshot_of

if TYPE_CHECKING:
    from carve.core.changeset import ChangeSet
    from carve.core.index import WorkspaceIndex
    from carve.core.loader import Progress
    from carve.core.project import Project
    from carve.core.rules.context import RuleContext
    from carve.core.summary import ModuleSummary

Check = Callable[["RuleContext"], Iterable[Finding]]


@functools.cache
def rule_checks() -> tuple[tuple[Check, frozenset[str]], ...]:
    """Each check and the rules it can report, so deselected rules cost nothing. The
    rules are imported on first use: a run the result cache answers never loads them."""
    from carve.core.rules.cycles import check_cycles
    from carve.core.rules.hubs import (
        check_hub_imports,
        check_hub_self_imports,
        check_missing_reexports,
    )
    from carve.core.rules.reexports import check_dunder_all, check_imports_resolve
    from carve.core.rules.size import check_parse_errors, check_size

    return (
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
    from carve.core.rules.context import RuleContext
    from carve.core.suppressions import apply_suppressions

    active = options.active_rules()
    ctx = RuleContext(index, config, options.only)
    raw: list[Finding] = []
    for check, rules in rule_checks():
        if rules & active:
            raw.extend(f for f in check(ctx) if f.rule in active)
    findings = apply_suppressions(raw, index, config, active, options.only)
    findings.sort(key=Finding.sort_key)
    files = len(index.by_path) if options.only is None else len(options.only)
    return CheckResult(findings, files)


@dataclass
class Survey:
    """What a check learns before it reads any summary: the files and their digests (a
    file whose stat stamp is unchanged is not read), and the result the cache holds for
    these options; `answer`: that result, when no file changed since."""

    files: list[SourceFile]
    roots: list[Path]  # the import roots the walk found
    errors: list[tuple[Path, str]]  # unreadable directories, missing paths
    options: CheckOptions
    stamps: FileStamps
    sources: list[SourceBytes]
    results: ResultCache
    key: str
    snapshot: Snapshot
    stored: StoredCheck | None
    answer: CheckResult | None


def survey(
    config: Config,
    paths: list[Path],
    select: frozenset[str] = frozenset(),
    ignore: frozenset[str] = frozenset(),
    with_fixes: bool = False,
    use_cache: bool = True,
) -> Survey:
    """The first step of `check_project`, needing no Project: a run the result cache
    answers never imports the parser, the index or the rules."""
    discovery = Discovery(config)
    files = discovery.source_files([config.root, *paths])
    options = _options(config.root, files, paths, select, ignore)
    stamps = FileStamps(config.root, enabled=use_cache)
    sources = stat_sources(files, stamps)
    results = ResultCache(config.root, enabled=use_cache)
    key = _options_key(config, options, with_fixes)
    snapshot = snapshot_of(files, sources)
    stored = results.get(key)
    stored = stored if isinstance(stored, StoredCheck) else None
    answer = None
    if stored is not None and stored.snapshot == snapshot:
        stamps.save()
        answer = CheckResult(stored.unpacked(), stored.files)
    roots, errors = discovery.roots, discovery.errors
    return Survey(
        files, roots, errors, options, stamps, sources, results, key, snapshot, stored, answer
    )


def check_project(
    project: Project,
    paths: list[Path],
    select: frozenset[str] = frozenset(),
    ignore: frozenset[str] = frozenset(),
    progress: Progress | None = None,
    with_fixes: bool = False,
    surveyed: Survey | None = None,
) -> CheckResult:
    """Discover, read and check a project, reporting on `paths` only (the whole project is
    still indexed). An unchanged workspace is answered from the result cache (files
    whose stat stamp is unchanged are not even read); when only file bodies changed
    (no import, definition or `__all__`), only those files are checked again.
    `with_fixes` attaches each finding's unambiguous fix as text edits. `surveyed`: the
    `survey` of this project with these arguments, when the caller made it already."""
    found = surveyed or survey(
        project.config, paths, select, ignore, with_fixes, project.cache.enabled
    )
    # What `Project.discover` keeps (its roots: for a later `Project.update`).
    project.files, project.errors, project._roots = found.files, found.errors, found.roots
    if found.answer is not None:
        return found.answer
    stored, sources, options = found.stored, found.sources, found.options
    # Fixes of other files may read a changed file's text: with fixes, check it all.
    changed = stored.changed(found.snapshot) if stored is not None and not with_fixes else None
    before = _interfaces_before(project, stored, changed)
    index = None
    if before is not None and len(before) <= _FEW_CHANGED:
        index = _index_around(project, sources, set(before))
    if index is None:
        index = project.index(sources, progress=progress)
    if stored is not None and changed is not None and before is not None:
        result = _recheck_changed(index, project.config, options, stored, before)
    else:
        result = run_checks(index, project.config, options)
    if with_fixes:
        from carve.core.fixes.report import attach_fixes  # LibCST: only when asked

        texts = {s.path: s.data for s in sources if s.data is not None}
        reader = _reader(texts)
        result.findings = attach_fixes(result.findings, index, project.config, reader, project.jobs)
    from carve.core.rules.cycles import known_tangles  # loaded by the check that ran

    tangles = known_tangles(index)
    found.results.put(
        found.key, StoredCheck.of(found.snapshot, result.findings, result.files, tangles)
    )
    found.stamps.save()
    return result


def _interfaces_before(
    project: Project, stored: StoredCheck | None, changed: list[str] | None
) -> dict[str, str] | None:
    """The interface digests of the changed files as the stored result saw them (their
    summaries are still in the summary cache until this run replaces them); None when
    one is not known."""
    if stored is None or changed is None:
        return None
    from carve.core.interface import interface_digest

    project.cache.load()
    before = {}
    for path in changed:
        summary = project.cache.get_posix(path, stored.snapshot[path][0])
        if summary is None:
            return None
        before[path] = interface_digest(summary)
    return before


# Up to this many changed files are parsed here, one after the other; more go through
# `Project.index`, which parses them in parallel.
_FEW_CHANGED = 16


def _index_around(
    project: Project, sources: list[SourceBytes], changed: set[str]
) -> WorkspaceIndex | None:
    """The index for a re-check of a few changed files: those are summarised now, every
    other module reads its summary from the cache when a rule first asks for it (the
    changed files' neighbours), instead of unpickling the whole workspace's. None when
    the cache lacks an unchanged file's summary."""
    from carve.core.index import Module, WorkspaceIndex

    cache = project.cache
    modules = []
    for file, source in zip(project.files, sources, strict=True):
        key = source.key
        if key in changed or source.error is not None:
            summary = _summarize(source)
            if source.error is None and not summary.internal_error:
                cache.put_posix(key, source.digest, summary)
            modules.append(Module(file.module, file.path, file.root, file.is_package, summary))
        elif cache.has(key, source.digest):
            load = functools.partial(_cached_summary, cache, key, source)
            modules.append(
                Module.unloaded(file.module, file.path, file.root, file.is_package, load)
            )
        else:
            return None
    cache.save()
    return WorkspaceIndex(project.config, modules)


def _cached_summary(cache: SummaryCache, key: str, source: SourceBytes) -> ModuleSummary:
    """A summary the cache held when the run started; a damaged entry is parsed again."""
    return cache.get_posix(key, source.digest) or _summarize(source)


def _summarize(source: SourceBytes) -> ModuleSummary:
    from carve.core.loader import summarize_source

    return summarize_source(source)


def _all_loaded(index: WorkspaceIndex) -> WorkspaceIndex:
    """Every module's summary read at once (a whole-workspace check after all), with the
    cyclic collector kept away from the millions of objects that makes."""
    with collector_paused(freeze=True):
        for module in index.by_path.values():
            module.summary  # noqa: B018 (reading it loads it)
    return index


def _recheck_changed(
    index: WorkspaceIndex,
    config: Config,
    options: CheckOptions,
    stored: StoredCheck,
    before: dict[str, str],
) -> CheckResult:
    """Every other file's findings read only the changed files' interfaces (and their
    own positions, see carve.core.interface): with those interfaces unchanged, check
    the changed files alone and keep the stored findings of the rest."""
    from carve.core.interface import interface_digest

    modules = {path: index.by_path.get(Path(path)) for path in before}
    if any(
        module is None or interface_digest(module.summary) != before[path]
        for path, module in modules.items()
    ):
        return run_checks(_all_loaded(index), config, options)
    paths = {module.path for module in modules.values() if module is not None}
    reported = paths if options.only is None else paths & options.only
    if stored.tangles is not None:  # the same import edges: the same tangles
        from carve.core.rules.cycles import restore_cycle_facts

        restore_cycle_facts(index, stored.tangles)
    fresh = run_checks(index, config, replace(options, only=reported)).findings if reported else []
    findings = stored.unpacked(leaving_out=set(before)) + fresh
    findings.sort(key=Finding.sort_key)
    return CheckResult(findings, stored.files)


def plan_project_fixes(
    project: Project,
    paths: list[Path],
    select: frozenset[str] = frozenset(),
    ignore: frozenset[str] = frozenset(),
) -> ChangeSet:
    """Every unambiguous fix for the findings on `paths`, as one change set."""
    from carve.core.fixes import FixContext, plan_fix_all

    index = project.build(extra_paths=paths)
    options = _options(project.root, project.files, paths, select, ignore)
    findings = run_checks(index, project.config, options)
    context = FixContext(index, project.config, _reader({}))
    context.verifier.jobs = project.jobs  # a CLI run: parse the fixed files in parallel
    return plan_fix_all(findings.findings, context)


def _options(
    root: Path,
    files: list[SourceFile],
    paths: list[Path],
    select: frozenset[str],
    ignore: frozenset[str],
) -> CheckOptions:
    only = None
    if paths != [root]:
        only = {f.path for f in files if any(f.path == p or p in f.path.parents for p in paths)}
    return CheckOptions(select=select, ignore=ignore, only=only)


def _reader(texts: dict[Path, bytes]) -> Callable[[Path], str]:
    def read(path: Path) -> str:
        data = texts.get(path)
        return decode(data if data is not None else path.read_bytes())

    return read


def _options_key(config: Config, options: CheckOptions, with_fixes: bool) -> str:
    """What a stored result answers besides the files: carve's code, the configuration
    and the options."""
    only = sorted(p.as_posix() for p in options.only) if options.only is not None else None
    header = (code_stamp(), repr(config), sorted(options.select), sorted(options.ignore))
    digest = hashlib.blake2b(repr((*header, only, with_fixes)).encode(), digest_size=20)
    return digest.hexdigest()
