"""`carve`: argument parsing and dispatch. Exit codes: 0 clean, 1 findings, 2 usage/config."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from carve import __version__
from carve.cli.formats import FORMATS

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """A problem with what the user asked for: printed as one line, exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="carve",
        description="Carve monolithic Python modules into feature files without breaking imports.",
    )
    parser.add_argument("--version", action="version", version=f"carve {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="report findings (for CI and pre-commit)")
    check.add_argument("paths", nargs="*", help="files or directories (default: the project)")
    check.add_argument("--format", choices=FORMATS, default="text")
    check.add_argument("--select", type=_rule_list, default=frozenset(), metavar="RULES")
    check.add_argument("--ignore", type=_rule_list, default=frozenset(), metavar="RULES")
    check.add_argument("--baseline", metavar="FILE", help="do not report findings recorded here")
    check.add_argument("--write-baseline", metavar="FILE", help="record current findings")
    check.add_argument("--statistics", action="store_true", help="count findings per rule")
    check.add_argument("--no-cache", action="store_true", help="ignore .carve_cache/")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    check.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE")
    check.add_argument("--fix", action="store_true", help="apply every unambiguous fix")
    check.add_argument("--diff", action="store_true", help="with --fix: print the fixes only")

    status = commands.add_parser("status", help="migration status per package")
    status.add_argument("path", nargs="?", default=".")
    status.add_argument("--format", choices=("text", "json"), default="text")
    status.add_argument("--no-cache", action="store_true")

    serve = commands.add_parser("serve", help="run the language server (stdio by default)")
    serve.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead of stdio")

    from carve.cli.move_command import add_move_parser

    add_move_parser(commands)
    from carve.cli.split_command import add_split_parser

    add_split_parser(commands)
    from carve.cli.imports_command import add_imports_parser

    add_imports_parser(commands)
    return parser


def _rule_list(text: str) -> frozenset[str]:
    from carve.core.rules.registry import RULES

    rules = frozenset(r.strip() for r in text.split(",") if r.strip())
    unknown = sorted(rules - set(RULES))
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown rule(s): {', '.join(unknown)}")
    return rules


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_ERROR
    try:
        if args.command == "check":
            from carve.cli.check_command import run_check

            return run_check(args)
        if args.command == "status":
            from carve.cli.status_command import run_status

            return run_status(args)
        if args.command == "serve":
            from carve.lsp.server import serve  # pygls is imported only here

            return serve(args.tcp)
        if args.command == "move":
            from carve.cli.move_command import run_move

            return run_move(args)
        if args.command == "imports":
            from carve.cli.imports_command import run_imports

            return run_imports(args)
        if args.command == "split":
            from carve.cli.split_command import run_split

            return run_split(args)
    except UsageError as exc:
        print(f"carve: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # last line of defence: one line, not a traceback
        if os.environ.get("CARVE_DEBUG"):
            # The traceback, but still exit 2: re-raising would exit 1, "findings".
            import traceback  # only here: a run without an error never needs it

            traceback.print_exc()
            return EXIT_ERROR
        print(f"carve: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("carve: set CARVE_DEBUG=1 for the traceback and report it", file=sys.stderr)
        return EXIT_ERROR
    parser.error(f"unknown command {args.command}")
    return EXIT_ERROR
