"""Refusals of a move whose dependencies cannot be laid out without an import cycle,
each naming the statements (file:line) and the command or edit that would work."""

from __future__ import annotations

from carve.core.refactor.edits.unit_graph import Read
from carve.core.refactor.move.context import MoveContext
from carve.core.refactor.move.partition import Entanglement, Partition
from carve.core.refactor.request import MoveError, MoveRequest


def refuse_partition(ctx: MoveContext, part: Partition, request: MoveRequest, shared: str) -> None:
    source = ctx.source
    if part.unbound:
        name = part.unbound[0]
        definition = source.summary.definitions.get(name)
        raise MoveError(
            f"the moved code needs `{name}`, which is bound inside an `if`/`try` block; "
            "carve moves and extracts only module-level statements: take it out of the "
            "block first",
            source.path,
            definition.line if definition is not None else 0,
        )
    if part.entangled:
        knot = part.entangled[0]
        message = _entangled(ctx, knot) + (
            f"; or move `{knot.shared}` with them: "
            + suggested_command(ctx, request, [*request.names, knot.shared])
        )
        raise MoveError(message, source.path, knot.back[-1].line)
    if part.extracted and not request.extract:
        raise MoveError(_not_extracted(ctx, part, request, shared), source.path)


def _entangled(ctx: MoveContext, knot: Entanglement) -> str:
    source, path = ctx.source.name, ctx.relative_path(ctx.source.path)
    first, last = knot.outward[0], knot.back[-1]
    return (
        f"no layout is free of import cycles: the moved code needs `{knot.shared}` "
        f"({_chain(knot.outward, path)}), which code staying in `{source}` needs too, and "
        f"`{knot.shared}` needs the moved code in turn ({_chain(knot.back, path)}). "
        f"Extracted to a shared module, `{knot.shared}` would import `{ctx.destination}`, "
        f'which imports the shared module. A string reference (`"{last.name}"`) or an '
        f"`if TYPE_CHECKING:` import in place of the read at {path}:{last.line} breaks "
        f"the second edge; one for `{first.name}` at {path}:{first.line} the first"
    )


def _chain(reads: list[Read], path: str) -> str:
    return ", ".join(f"`{r.reader}` reads `{r.name}` at {path}:{r.line}" for r in reads)


def _not_extracted(ctx: MoveContext, part: Partition, request: MoveRequest, shared: str) -> str:
    source, destination = ctx.source.name, ctx.destination
    names = ", ".join(f"`{n}`" for n in part.extracted)
    return (
        f"the moved code needs {names}, which code staying in `{source}` needs too. "
        f"`{source}` will import `{destination}` to re-export the moved code, so "
        f"`{destination}` importing them back is an import cycle ({source} → "
        f"{destination} → {source}). Extract them to a module both import: "
        f"{suggested_command(ctx, request)} (extracts them to `{shared}`)"
    )


def suggested_command(
    ctx: MoveContext, request: MoveRequest, names: list[str] | None = None
) -> str:
    """The command that moves `names` (the request's), with the user's own options."""
    symbols = " ".join(f"{ctx.source.name}.{n}" for n in names or request.names)
    command = f"carve move {symbols} --to {ctx.destination}"
    if request.importers is not None:
        command += f" --importers {request.importers.value}"
    if request.shared_to is not None:
        command += f" --shared-to {request.shared_to}"
    return command
