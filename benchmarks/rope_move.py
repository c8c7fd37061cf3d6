"""Time rope's MoveGlobal on a Django tree: cached_property to its own module.

Usage: .venv-peers/bin/python benchmarks/rope_move.py TREE

TREE is modified in place (the class moves and every importer is rewritten), so pass
a scratch copy. Needs rope, hence the peers venv; prints one JSON object of timings.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from rope.base.project import Project
from rope.refactor.move import MoveGlobal, create_move

SOURCE = "django/utils/functional.py"
SYMBOL = "cached_property"
DEST = "django/utils/cached_property_mod.py"


def move(tree: Path) -> dict[str, object]:
    # MoveGlobal only moves into an existing module; an empty one is the fair start.
    (tree / DEST).write_text("", encoding="utf-8")
    start = time.perf_counter()
    # ropefolder=None: no .ropeproject cache, so every run starts cold like a CLI tool.
    project = Project(str(tree), ropefolder=None)
    try:
        resource = project.get_resource(SOURCE)
        offset = resource.read().index(f"class {SYMBOL}") + len("class ")
        mover = create_move(project, resource, offset)
        assert isinstance(mover, MoveGlobal), type(mover)
        changes = mover.get_changes(project.get_resource(DEST))
        planned = time.perf_counter()
        project.do(changes)
        applied = time.perf_counter()
    finally:
        project.close()
    return {
        "tool": "rope",
        "symbol": f"django.utils.functional.{SYMBOL}",
        "files_changed": len(changes.changes),
        "plan_s": round(planned - start, 3),
        "apply_s": round(applied - planned, 3),
        "total_s": round(applied - start, 3),
    }


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print(json.dumps(move(Path(sys.argv[1]).resolve())))
