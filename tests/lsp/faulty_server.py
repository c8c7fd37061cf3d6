"""`carve serve` with failures injected into core, switched on by marker files in the
project root so a test can turn them on and off while the server runs:

- `FAIL_INDEX`: every full build of the project raises (`Project.index`, which every
  build goes through);
- `FAIL_FIX`: planning a quick fix raises `FixError` (an expected refusal);
- `CRASH_FIX`: planning a quick fix raises `RuntimeError` (a bug).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from carve.core.fixes import FixError
from carve.core.project import Project
from carve.lsp import code_actions
from carve.lsp.server import serve

_index = Project.index
_plan_fix = code_actions.plan_fix


def failing_index(self: Project, *args: Any, **kwargs: Any) -> Any:
    if (self.root / "FAIL_INDEX").exists():
        raise RuntimeError("injected: the index cannot be built")
    return _index(self, *args, **kwargs)


def failing_plan_fix(finding: Any, key: str, ctx: Any) -> Any:
    root = Path(ctx.config.root)
    if (root / "FAIL_FIX").exists():
        raise FixError("injected: this fix would break an import")
    if (root / "CRASH_FIX").exists():
        raise RuntimeError("injected: a bug in a fix planner")
    return _plan_fix(finding, key, ctx)


Project.index = failing_index  # type: ignore[method-assign]
code_actions.plan_fix = failing_plan_fix

if __name__ == "__main__":
    raise SystemExit(serve())
