"""`carve status`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from carve.cli.main import EXIT_CLEAN, UsageError
from carve.core.check import CheckOptions, run_checks
from carve.core.config import ConfigError, load_config
from carve.core.project import Project
from carve.core.status import PackageStatus, migration_status


def run_status(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if not path.exists():
        raise UsageError(f"{path}: no such file or directory")
    try:
        config = load_config(path.resolve())
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    project = Project(config, use_cache=not args.no_cache)
    index = project.build(extra_paths=[path.resolve()])
    findings = run_checks(index, config, CheckOptions()).findings
    rows = migration_status(index, findings)
    if args.format == "json":
        payload = {"version": 1, "packages": [r.to_json() for r in rows]}
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
    else:
        sys.stdout.write(render_table(rows))
    return EXIT_CLEAN


def render_table(rows: list[PackageStatus]) -> str:
    header = ("package", "hubs", "feature files", "largest file", "lines", "via hub", "findings")
    table = [header]
    for row in rows:
        share = "-" if row.hub_share is None else f"{row.hub_share:.0%} of {row.outside_imports}"
        findings = ", ".join(f"{rule} {n}" for rule, n in row.findings.items()) or "-"
        table.append(
            (
                row.package,
                ", ".join(h.rpartition(".")[2] for h in row.hubs) or "-",
                str(len(row.feature_files)),
                row.largest_file.rpartition(".")[2],
                str(row.largest_lines),
                share,
                findings,
            )
        )
    widths = [max(len(r[i]) for r in table) for i in range(len(header) - 1)]
    lines = []
    for cells in table:
        padded = [c.ljust(w) for c, w in zip(cells, widths, strict=False)]
        lines.append("  ".join([*padded, cells[-1]]).rstrip())
    return "\n".join(lines) + "\n"
