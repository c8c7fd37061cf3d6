"""Refactor commands: each refactor module registers its planner here.

`carve.lsp.commands.register` imports this module before the server advertises its
command list, so every command registered here is advertised and dispatched. (Client
commands such as `carve.pickMoveDestination` are not registered: the client runs them.)
"""

from __future__ import annotations

from carve.lsp.commands import register_refactor
from carve.lsp.move import MOVE_COMMAND, plan_move_symbol
from carve.lsp.rewrite_imports import REWRITE_IMPORTS_COMMAND, plan_rewrite_imports
from carve.lsp.split import SPLIT_COMMAND, plan_split_module

register_refactor(MOVE_COMMAND, plan_move_symbol)
register_refactor(SPLIT_COMMAND, plan_split_module)
register_refactor(REWRITE_IMPORTS_COMMAND, plan_rewrite_imports)
