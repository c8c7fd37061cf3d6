"""`carve check`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from carve.cli.formats import render, statistics
from carve.cli.main import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, UsageError
from carve.cli.progress import ProgressBar
from carve.core.baseline import BaselineError, apply_baseline, read_baseline, write_baseline
from carve.core.check import check_project
from carve.core.config import ConfigError, load_config
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

    project = Project(config, use_cache=not args.no_cache)
    bar = ProgressBar()
    try:
        result = check_project(project, paths, args.select, args.ignore, progress=bar)
    finally:
        bar.close()
    for path, message in project.errors:
        print(f"carve: warning: {path}: {message}", file=sys.stderr)
    if project.cache.warning:
        print(f"carve: warning: {project.cache.warning}", file=sys.stderr)
    findings = result.findings

    if args.write_baseline:
        count = write_baseline(findings, config.root, Path(args.write_baseline))
        print(f"carve: wrote {count} baseline entries to {args.write_baseline}", file=sys.stderr)
        return EXIT_CLEAN
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
        report += _summary(findings, len(project.files))
    _emit(report, args.output)
    if missing or outside:
        return EXIT_ERROR
    if findings and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _summary(findings: list, files: int) -> str:  # type: ignore[type-arg]
    if not findings:
        return f"All checks passed ({files} files).\n"
    noun = "finding" if len(findings) == 1 else "findings"
    return f"Found {len(findings)} {noun} in {files} files.\n"


def _emit(report: str, output: str | None) -> None:
    if output:
        Path(output).write_text(report, encoding="utf-8")
    else:
        sys.stdout.write(report)
