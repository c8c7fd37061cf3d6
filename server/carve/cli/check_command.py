"""`carve check`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from carve.cli.formats import render, statistics
from carve.cli.main import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, UsageError
from carve.cli.progress import ProgressBar
from carve.core.check import CheckResult, check_project, survey
from carve.core.config import Config, ConfigError, load_config

if TYPE_CHECKING:
    from carve.core.project import Project


def run_check(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths] or [Path.cwd()]
    missing = [p for p in paths if not p.exists()]
    for path in missing:
        print(f"carve: error: {path}: no such file or directory", file=sys.stderr)
    paths = [p.resolve() for p in paths if p.exists()]
    if not paths:
        return EXIT_ERROR
    try:
        config = load_config(paths[0])
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    outside = [p for p in paths if p != config.root and config.root not in p.parents]
    for path in outside:
        print(
            f"carve: error: {path} is outside the project {config.root}; check it on its own",
            file=sys.stderr,
        )
    paths = [p for p in paths if p not in outside]
    if not paths:
        return EXIT_ERROR

    project = None
    if args.fix:
        project = _project(config, args)
        fixed = _apply_fixes(project, paths, args)
        if fixed is not None:
            return fixed
    elif args.diff:
        raise UsageError("--diff goes with --fix")
    result, errors, warning = _checked(config, paths, args, project)
    for path, message in errors:
        print(f"carve: warning: {path}: {message}", file=sys.stderr)
    if warning:
        print(f"carve: warning: {warning}", file=sys.stderr)
    findings = result.findings

    if args.write_baseline or args.baseline:
        from carve.core.baseline import (
            BaselineError,
            apply_baseline,
            read_baseline,
            write_baseline,
        )
    if args.write_baseline:
        try:
            count = write_baseline(findings, config.root, Path(args.write_baseline))
        except OSError as exc:
            raise UsageError(
                f"cannot write baseline {args.write_baseline}: {exc.strerror or exc}"
            ) from None
        print(f"carve: wrote {count} baseline entries to {args.write_baseline}", file=sys.stderr)
        return EXIT_ERROR if missing or outside else EXIT_CLEAN
    if args.baseline:
        try:
            baseline = read_baseline(Path(args.baseline))
        except BaselineError as exc:
            raise UsageError(str(exc)) from None
        findings = apply_baseline(findings, baseline, config.root, Path(args.baseline).resolve())

    report = render(findings, args.format, config.root)
    if args.format == "text":
        if args.statistics:
            report = statistics(findings)
        report += _summary(findings, result.files)
    _emit(report, args.output)
    if missing or outside:
        return EXIT_ERROR
    if findings and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _checked(
    config: Config, paths: list[Path], args: argparse.Namespace, project: Project | None
) -> tuple[CheckResult, list[tuple[Path, str]], str | None]:
    """The check's result, the walk's errors and a cache warning. A workspace the result
    cache answers needs no Project (nor the parser and index it imports)."""
    with_fixes = args.format == "json"
    found = survey(config, paths, args.select, args.ignore, with_fixes, not args.no_cache)
    if found.answer is not None:
        return found.answer, found.errors, None
    project = project or _project(config, args)
    bar = ProgressBar()
    try:
        result = check_project(
            project, paths, args.select, args.ignore, bar, with_fixes, surveyed=found
        )
    finally:
        bar.close()
    return result, project.errors, project.cache.warning


def _project(config: Config, args: argparse.Namespace) -> Project:
    from carve.core.project import Project

    return Project(config, use_cache=not args.no_cache)


def _apply_fixes(project: Project, paths: list[Path], args: argparse.Namespace) -> int | None:
    """Apply (or with --diff print) every unambiguous fix; None: go on and report what is
    left, like `ruff check --fix`."""
    from carve.core.check import plan_project_fixes
    from carve.core.refactor.edits.apply import StaleFileError, recover, write_change_set

    journal_dir = project.root / ".carve_cache"
    for path in recover(journal_dir):
        print(
            f"carve: warning: restored {path} (an earlier write was interrupted)", file=sys.stderr
        )
    changes = plan_project_fixes(project, paths, args.select, args.ignore)
    for warning in changes.warnings:
        print(f"carve: warning: not fixed: {warning}", file=sys.stderr)
    if args.diff:
        sys.stdout.write(changes.unified_diff(project.root))
        return EXIT_FINDINGS if changes.changes else EXIT_CLEAN
    try:
        write_change_set(changes, journal_dir)
    except StaleFileError as exc:
        raise UsageError(f"cannot write fixes: {exc}") from None
    count = len(changes.changes)
    print(f"carve: fixed {count} file{'s' if count != 1 else ''}", file=sys.stderr)
    return None


def _summary(findings: list, files: int) -> str:  # type: ignore[type-arg]
    """The closing line; `files`: how many files were checked (not the whole project)."""
    checked = f"{files} file{'' if files == 1 else 's'}"
    if not findings:
        return f"All checks passed ({checked}).\n"
    noun = "finding" if len(findings) == 1 else "findings"
    return f"Found {len(findings)} {noun} in {checked}.\n"


def _emit(report: str, output: str | None) -> None:
    if output:
        try:
            Path(output).write_text(report, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(report)
