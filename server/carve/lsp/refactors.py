"""Refactor commands: each refactor module registers its planner here, e.g.

    from carve.lsp.commands import register_refactor
    from carve.lsp.move import plan_move_symbol   # (request, args) -> ChangeSet

    register_refactor("carve.moveSymbol", plan_move_symbol)

`carve.lsp.commands.register` imports this module before the server advertises its
command list, so every command registered here is advertised and dispatched.
"""

from __future__ import annotations
