"""`carve move` (filled in by the move-refactor work)."""

from __future__ import annotations

import argparse


def add_move_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    pass


def run_move(args: argparse.Namespace) -> int:
    return 2
