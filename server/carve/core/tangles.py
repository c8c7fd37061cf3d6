"""Import tangles as the fix verifier sees them: what an edited module reads from the
strongly connected component it sits in, before and after an edit."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from carve.core.index import Module, WorkspaceIndex
from carve.core.rules.cycles import implicit_parents, module_edges, runs


class TangleReads:
    """What edited modules read from their tangle, after the edit against before. A new
    module (a move's destination) is held to what the modified members read before:
    the moved code takes its imports along, it may not read anything else. Reads of a
    new module by the others (a hub's re-export, the moved code's import of what was
    extracted) run it to completion before they return: its own reads are held to the
    rule above."""

    def __init__(
        self,
        before: WorkspaceIndex,
        after: WorkspaceIndex,
        members: set[str],
        created: set[str],
        modified: set[str],
        eager_only: bool = False,
    ) -> None:
        self.before = before
        self.after = after
        self.members = members
        self.created = created
        self.modified = modified
        # `eager_only`: a new read counts only when its target can be partly initialised
        # without calling a function, i.e. reaches the reader through module-level imports
        # (a move's re-export from a module that imports the source only in a function).
        self.eager_only = eager_only
        self._modified_reads: set[tuple[str, str]] | None = None

    def new(self, path: Path) -> bool:
        module = self.after.by_path.get(path)
        if module is None:
            return False
        reads = tangle_reads(self.after, module, self.members)
        reads = {read for read in reads if read[0] not in self.created}
        if path.as_posix() in self.created:
            return not reads <= self._modified()
        fresh = reads - self._old_reads(path)
        if self.eager_only:
            fresh = {r for r in fresh if self._eagerly_reaches(r[0], module)}
        return bool(fresh)

    def _eagerly_reaches(self, start: str, goal: Module) -> bool:
        """Whether importing `start` imports `goal` at module level, within the tangle."""
        seen, queue = {start}, [start]
        while queue:
            node = self.after.by_path.get(Path(queue.pop()))
            if node is None:
                continue
            for target in module_edges(self.after, node, runtime=False):
                if target == goal.path.as_posix():
                    return True
                if target in self.members and target not in seen:
                    seen.add(target)
                    queue.append(target)
        return False

    def _old_reads(self, path: Path) -> set[tuple[str, str]]:
        old = self.before.by_path.get(path)
        return tangle_reads(self.before, old, self.members) if old is not None else set()

    def _modified(self) -> set[tuple[str, str]]:
        if self._modified_reads is None:
            self._modified_reads = set()
            for node in self.modified:  # the source may have left the tangle
                self._modified_reads |= self._old_reads(Path(node))
        return self._modified_reads


def tangle_reads(index: WorkspaceIndex, module: Module, members: set[str]) -> set[tuple[str, str]]:
    """(member path, name) a module can read at runtime from members of its tangle
    ("" for a whole module: `import m`, `from pkg import submodule`)."""
    reads: set[tuple[str, str]] = set()
    for statement in module.summary.imports:
        if not runs(statement, runtime=True):
            continue
        if not statement.from_import:
            targets = [(index.get(n.name, module), "") for n in statement.names]
        else:
            source = index.absolute(module, statement)
            targets = []
            for imported in statement.names:
                submodule = index.get(f"{source}.{imported.name}", module)
                if submodule is not None and imported.name != "*":
                    targets.append((submodule, ""))
                else:
                    targets.append((index.get(source, module), imported.name))
        for target, name in targets:
            if target is None:
                continue
            for package in implicit_parents(index, module, target):
                if package.path.as_posix() in members:
                    reads.add((package.path.as_posix(), ""))
            if target.path.as_posix() in members:
                reads.add((target.path.as_posix(), name))
    return reads


def reachable_from(
    graph: Mapping[str, Mapping[str, object]], starts: set[str], known: set[str] | None = None
) -> set[str]:
    """Nodes reachable from the edited modules: any new cycle runs through them. Nodes in
    `known` (a set closed under the graph's edges) are left out, and not walked again."""
    known = known or set()
    seen = starts - known
    stack = list(seen)
    while stack:
        for target in graph.get(stack.pop(), {}):
            if target not in seen and target not in known:
                seen.add(target)
                stack.append(target)
    return seen
