"""`carve imports --direct|--via-hub|--report TARGET|--all`: migrate importers of hubs'
names in batches (dry-run diff by default, `--write` atomic), or report who imports
what through a hub.

Exit codes: 0 done (or diff/report printed), 1 nothing could be rewritten because every
candidate file was refused, or a file changed meanwhile (nothing written), 2 usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from carve.cli.refactor_io import EXIT_OK, EXIT_REFUSED, add_write_options

if TYPE_CHECKING:
    from carve.core.config import Config
    from carve.core.index import WorkspaceIndex
    from carve.core.refactor.imports.hub_report import HubUsage


def add_imports_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    imports = commands.add_parser(
        "imports",
        help="migrate importers of a hub's names to their defining modules, or back",
        description="Rewrite importers of the names a hub re-exports: --direct imports them "
        "from their defining modules, --via-hub through the hub; --report lists who imports "
        "what through the hub. TARGET: a hub module (apps.billing.models), a package "
        "(apps.billing.*) or a directory (apps/billing/) for all of its hubs. Prints a "
        "unified diff unless --write is given.",
    )
    mode = imports.add_mutually_exclusive_group(required=True)
    mode.add_argument("--direct", dest="mode", action="store_const", const="direct")
    mode.add_argument("--via-hub", dest="mode", action="store_const", const="via-hub")
    mode.add_argument(
        "--report", dest="mode", action="store_const", const="report", help="who imports what"
    )
    imports.add_argument("target", nargs="?", metavar="TARGET", help="hub, package or directory")
    imports.add_argument("--all", action="store_true", help="every hub of the project")
    imports.add_argument(
        "--paths",
        nargs="+",
        action="extend",
        default=[],
        metavar="GLOB",
        help="only importer files matching these globs or directories (relative to the project)",
    )
    imports.add_argument("--limit", type=int, metavar="N", help="rewrite at most N importer files")
    imports.add_argument("--format", choices=("text", "json"), default="text")
    add_write_options(imports)


def run_imports(args: argparse.Namespace) -> int:
    from carve.cli.main import UsageError
    from carve.cli.refactor_io import load_project
    from carve.core.refactor.imports.hub_targets import ImportsError

    if (args.target is None) == (not args.all):
        raise UsageError("name a TARGET (hub, package or directory) or give --all, not both")
    if args.limit is not None and args.limit < 1:
        raise UsageError("--limit must be at least 1")
    config, index = load_project(args, args.write and args.mode != "report")
    try:
        if args.mode == "report":
            return _report(index, args, config)
        return _rewrite(index, args, config)
    except ImportsError as exc:
        raise UsageError(str(exc)) from None


def _rewrite(index: WorkspaceIndex, args: argparse.Namespace, config: Config) -> int:
    from carve.cli.refactor_io import print_notes, show_or_write
    from carve.core.refactor.imports.rewrite_imports import (
        ImportsRequest,
        RewriteImports,
        RewriteMode,
    )

    request = ImportsRequest(RewriteMode(args.mode), args.target, tuple(args.paths), args.limit)
    planner = RewriteImports(index, request)
    planner.verifier.jobs = None  # the CLI parses many new texts in parallel
    changes = planner.plan()
    print_notes(changes)
    if not changes.changes:
        return EXIT_REFUSED if planner.outcome.refused else EXIT_OK
    return show_or_write(changes, config, args.write)


def _report(index: WorkspaceIndex, args: argparse.Namespace, config: Config) -> int:
    from carve.core.refactor.imports.hub_report import hub_report
    from carve.core.refactor.imports.hub_targets import select_hubs
    from carve.core.refactor.imports.rewrite_imports import matches_any

    hubs = select_hubs(index, args.target)
    selected = None
    if args.paths:
        selected = {m.path for m in index.modules() if matches_any(m.path, config.root, args.paths)}
    usages = hub_report(index, hubs, selected)
    if args.format == "json":
        payload = {"version": 1, "hubs": [u.to_json(config.root) for u in usages]}
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
    else:
        sys.stdout.write("".join(_text(u, config.root) for u in usages))
    return EXIT_OK


def _text(usage: HubUsage, root: Path) -> str:
    from carve.core.baseline import relative_path

    hub = usage.hub
    lines = [
        f"{hub.name} ({relative_path(hub.path, root)}, import-policy {usage.policy}): "
        f"{len(usage.names)} names, {usage.importers} importer files through the hub"
    ]
    width = max((len(u.name) for u in usage.names), default=0)
    for name in usage.names:
        direct = f", {name.direct_importers} direct" if name.direct_importers else ""
        lines.append(
            f"  {name.name:<{width}}  {name.defined_in}  "
            f"{name.importers} importer{'s' if name.importers != 1 else ''}{direct}"
        )
        for site in name.through_hub:
            where = "" if site.context == "module" else f" ({site.context.value})"
            lines.append(f"      {relative_path(site.path, root)}:{site.line}{where}")
    if usage.module_importers:
        lines.append(f"  module object: {len(usage.module_importers)} imports")
        for site in usage.module_importers:
            lines.append(f"      {relative_path(site.path, root)}:{site.line}")
    return "\n".join(lines) + "\n\n"
