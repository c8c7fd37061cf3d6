"""What every refactor command does around its planner: load the project's
configuration (usage errors exit 2), finish an interrupted write, and write a change
set atomically, saying what changed (`carve move`, `carve split`, `carve imports`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

EXIT_OK, EXIT_REFUSED = 0, 1  # usage errors exit 2 through carve.cli.main

if TYPE_CHECKING:
    import argparse

    from carve.core.changeset import ChangeSet
    from carve.core.config import Config
    from carve.core.index import WorkspaceIndex


def add_importers_option(parser: argparse.ArgumentParser) -> None:
    from carve.core.refactor.request import ImporterMode

    parser.add_argument(
        "--importers",
        choices=[m.value for m in ImporterMode],
        help="rewrite importers: keep them, route them through the hub, or point them at "
        "the new module (default: the package's import-policy)",
    )


def add_write_options(parser: argparse.ArgumentParser) -> None:
    """`--write`, `--project DIR`, `--no-cache`: every refactor command takes them."""
    parser.add_argument("--write", action="store_true", help="apply the change (atomically)")
    parser.add_argument("--project", default=".", metavar="DIR", help="project directory")
    parser.add_argument("--no-cache", action="store_true", help="ignore .carve_cache/")


def load_project(args: argparse.Namespace, writing: bool) -> tuple[Config, WorkspaceIndex]:
    """The configuration and index; an interrupted earlier write is finished first."""
    from carve.core.project import Project

    config = project_config(args.project)
    if writing:
        recover_interrupted(config)
    return config, Project(config, use_cache=not args.no_cache).build()


def project_config(project: str) -> Config:
    from carve.cli.main import UsageError
    from carve.core.config import ConfigError, load_config

    project_dir = Path(project)
    if not project_dir.is_dir():
        raise UsageError(f"{project_dir}: no such directory")
    try:
        return load_config(project_dir)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


def journal_dir(config: Config) -> Path:
    return config.root / ".carve_cache"


def recover_interrupted(config: Config) -> None:
    from carve.core.refactor.edits.apply import recover

    for path in recover(journal_dir(config)):
        print(
            f"carve: warning: restored {path} (an earlier write was interrupted)", file=sys.stderr
        )


def write_changes(changes: ChangeSet, config: Config) -> bool:
    """Write atomically; False (and why, on stderr) when a file changed since planning."""
    from carve.core.refactor.edits.apply import StaleFileError, write_change_set

    try:
        write_change_set(changes, journal_dir(config))
    except StaleFileError as exc:
        print(f"carve: cannot write: {exc}", file=sys.stderr)
        return False
    count = len(changes.changes)
    files = f"{count} file{'s' if count != 1 else ''} changed"
    print(f"carve: {changes.title} ({files})", file=sys.stderr)
    return True


def print_notes(changes: ChangeSet) -> None:
    """What the plan does beyond the request, then its warnings, on stderr."""
    for note in changes.notes:
        print(f"carve: {note}", file=sys.stderr)
    for warning in changes.warnings:
        print(f"carve: warning: {warning}", file=sys.stderr)


def show_or_write(changes: ChangeSet, config: Config, write: bool) -> int:
    """The unified diff on stdout (a dry run), or the change set written atomically."""
    if not write:
        sys.stdout.write(changes.unified_diff(config.root))
        return EXIT_OK
    return EXIT_OK if write_changes(changes, config) else EXIT_REFUSED
