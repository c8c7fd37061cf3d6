"""`carve serve` plus a toy refactor registered the way real refactors register:
`carve.test.extractHello` moves nothing, it creates `hello.py` and imports it."""

from __future__ import annotations

from typing import Any

from carve.core.changeset import ChangeSet
from carve.lsp.commands import CommandError, RefactorRequest, register_refactor
from carve.lsp.server import serve


def plan_extract_hello(request: RefactorRequest, args: list[Any]) -> ChangeSet:
    if len(args) != 1 or not isinstance(args[0], dict) or "uri" not in args[0]:
        raise CommandError('expected [{"uri": ...}]')
    path = request.path(args[0]["uri"])
    request.index_for(path)  # must be an indexed file
    changes = ChangeSet("Extract hello")
    changes.add(path.parent / "hello.py", None, "def hello():\n    return 'hi'\n")
    old = request.read(path)
    changes.add(path, old, "from .hello import hello\n" + old)
    return changes


register_refactor("carve.test.extractHello", plan_extract_hello)

if __name__ == "__main__":
    raise SystemExit(serve())
