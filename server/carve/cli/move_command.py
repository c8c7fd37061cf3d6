"""`carve move MODULE.NAME [MODULE.NAME …] --to MODULE`: plan a move, print it as a
unified diff, or apply it atomically with `--write`.

Exit codes: 0 done (or diff printed), 1 refused or stale (nothing written), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from carve.cli.refactor_io import EXIT_OK, EXIT_REFUSED, add_importers_option, add_write_options
from carve.core.refactor.request import ImporterMode

if TYPE_CHECKING:  # imported when a command runs: `carve --help` stays fast
    from carve.core.index import WorkspaceIndex


def add_move_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    move = commands.add_parser(
        "move",
        help="move classes/functions to another module; the old module re-exports them",
        description="Move top-level definitions to a feature file. The source module keeps "
        "re-exporting them, so every existing import keeps working. Prints a unified diff "
        "unless --write is given.",
    )
    move.add_argument("symbols", nargs="+", metavar="MODULE.NAME", help="what to move")
    move.add_argument(
        "--to", dest="destination", metavar="MODULE", help="destination (default: convention)"
    )
    add_importers_option(move)
    move.add_argument(
        "--shared-to",
        metavar="MODULE",
        help="where definitions both the moved and the staying code need are extracted to "
        "(default: base_{component}.py beside the source, base.py in a package)",
    )
    move.add_argument(
        "--no-extract",
        dest="extract",
        action="store_false",
        help="refuse instead of extracting shared definitions to a module both import",
    )
    add_write_options(move)


def run_move(args: argparse.Namespace) -> int:
    from carve.cli.refactor_io import (
        load_project,
        print_notes,
        show_or_write,
    )
    from carve.core.refactor.move.planner import MoveSymbol
    from carve.core.refactor.request import MoveError, MoveRequest

    config, index = load_project(args, args.write)
    try:
        source, names = split_symbols(index, args.symbols)
        importers = ImporterMode(args.importers) if args.importers else None
        request = MoveRequest(
            source, names, args.destination, importers, args.extract, args.shared_to
        )
        changes = MoveSymbol(index, request).plan()
    except MoveError as exc:
        print(f"carve: cannot move: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    print_notes(changes)
    if not changes.changes:
        print(f"carve: {nothing_to_change(index, source, names)}", file=sys.stderr)
        return EXIT_OK
    return show_or_write(changes, config, args.write)


def split_symbols(index: WorkspaceIndex, symbols: list[str]) -> tuple[str, tuple[str, ...]]:
    """`apps.billing.models.Invoice` → (`apps.billing.models`, `Invoice`); all symbols
    must come from one module."""
    from carve.core.refactor.request import MoveError

    modules: dict[str, list[str]] = {}
    for symbol in symbols:
        parts = symbol.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:cut])
            found = index.get(module)
            if found is not None:
                rest = parts[cut:]
                known = set(found.summary.definitions) | set(index.bindings(found))
                if len(rest) > 1 and found.is_package and rest[0] not in known:
                    missing, name = ".".join(parts[:-1]), parts[-1]
                    raise MoveError(
                        f"no module `{missing}` in the workspace (looked for `{symbol}` "
                        f"as module `{missing}` + name `{name}`)"
                    )
                if len(rest) > 1:
                    raise MoveError(
                        f"`{'.'.join(rest)}` is not a top-level name of `{module}`; "
                        "carve moves module-level classes, functions and constants"
                    )
                modules.setdefault(module, []).append(rest[0])
                break
        else:
            raise MoveError(f"`{symbol}`: no module of the workspace is a prefix of it")
    if len(modules) > 1:
        raise MoveError(f"move from one module at a time (got {', '.join(sorted(modules))})")
    source, names = next(iter(modules.items()))
    return source, tuple(names)


def nothing_to_change(index: WorkspaceIndex, source: str, names: tuple[str, ...]) -> str:
    """Why planning found no edit: usually the names were moved already."""
    from carve.core.index import Outcome

    module = index.get(source)
    homes = set()
    for name in names:
        result = index.resolve(source, name, module)
        if result.outcome is not Outcome.DEFINED or result.module in (None, source):
            return "nothing to change"
        homes.add(result.module)
    if len(homes) != 1:
        return "nothing to change"
    listed = ", ".join(f"`{n}`" for n in names)
    lives = "lives" if len(names) == 1 else "live"
    return f"nothing to change: {listed} already {lives} in `{homes.pop()}`"
