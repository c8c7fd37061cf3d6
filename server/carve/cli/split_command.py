"""`carve split MODULE`: propose how to split a module into feature files, let the user
edit the plan (TOML), and apply it as one change: a unified diff, or `--write`.

Exit codes: 0 done (plan or diff printed), 1 refused (nothing written), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from carve.cli.refactor_io import EXIT_OK, EXIT_REFUSED, add_importers_option, add_write_options
from carve.core.refactor.request import ImporterMode

if TYPE_CHECKING:
    from carve.core.index import WorkspaceIndex
    from carve.core.refactor.split.plan import SplitPlan


def add_split_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    split = commands.add_parser(
        "split",
        help="split a module into feature files; the module re-exports everything",
        description="Propose feature files for a module's definitions (by name stems and "
        "references, shared bases and set-up in a base file), then apply the plan: the "
        "module becomes a hub that re-exports every name, so old imports keep working. "
        "Prints the plan and a unified diff unless --write is given.",
    )
    split.add_argument("module", metavar="MODULE|PATH", help="the module to split")
    split.add_argument("--layout", choices=("flat", "package"), help="feature file layout")
    split.add_argument("--plan-out", type=Path, metavar="FILE", help="write the plan (TOML)")
    split.add_argument("--plan", type=Path, metavar="FILE", help="apply this plan (TOML)")
    add_importers_option(split)
    split.add_argument(
        "--deprecate",
        action="store_true",
        help="the hub warns (DeprecationWarning) when a moved name is imported through it",
    )
    add_write_options(split)


def run_split(args: argparse.Namespace) -> int:
    from carve.cli.main import UsageError
    from carve.cli.refactor_io import (
        load_project,
        print_notes,
        show_or_write,
    )
    from carve.core.refactor.request import MoveError
    from carve.core.refactor.split.plan import check_plan, load_plan, propose_split
    from carve.core.refactor.split.planner import SplitModule

    config, index = load_project(args, args.write)
    try:
        source = _source(index, args.module, config.root)
        if args.plan is not None:
            text = _read(args.plan, UsageError)
            plan = check_plan(index, load_plan(text, str(args.plan)))
            if plan.source != source:
                raise MoveError(f"{args.plan} plans `{plan.source}`, not `{source}`")
        else:
            plan = propose_split(index, source, args.layout)
        print(render_plan(plan), file=sys.stderr, end="")
        if args.plan_out is not None:
            args.plan_out.write_text(plan.to_toml(), encoding="utf-8")
            print(f"carve: plan written to {args.plan_out}", file=sys.stderr)
            return EXIT_OK
        importers = ImporterMode(args.importers) if args.importers else None
        changes = SplitModule(index, plan, importers, deprecate=args.deprecate).plan()
    except MoveError as exc:
        print(f"carve: cannot split: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    print_notes(changes)
    return show_or_write(changes, config, args.write)


def render_plan(plan: SplitPlan) -> str:
    lines = [f"carve: plan for {plan.source} ({plan.layout} layout):"]
    for planned in plan.files:
        role = " (shared)" if planned.shared else ""
        needs = f"; imports {', '.join(planned.needs)}" if planned.needs else ""
        lines.append(f"  {planned.module}{role}: {planned.lines} lines{needs}")
        lines.append(f"    {', '.join(planned.names)}")
    if plan.hub:
        lines.append(f"  stays in {plan.source}: {', '.join(plan.hub)}")
    return "\n".join(lines) + "\n"


def _source(index: WorkspaceIndex, given: str, root: Path) -> str:
    """A module name, or a path (relative to the working directory or the project)."""
    from carve.core.refactor.request import MoveError

    path = Path(given)
    if not path.exists() and (root / path).exists():
        path = root / path
    if path.is_dir() and (path / "__init__.py").is_file():
        path = path / "__init__.py"
    if path.suffix == ".py" or path.is_file():
        module = index.by_path.get(path.resolve())
        if module is None:
            raise MoveError(f"{given} is not a module of this project")
        return module.name
    if index.get(given) is None:
        raise MoveError(f"no module `{given}` in the workspace")
    return given


def _read(path: Path, error: type[Exception]) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise error(f"{path}: {exc.strerror or exc}") from None
