"""Which names code reads: when it runs, and only in annotations Python never
evaluates (those can be imported under `if TYPE_CHECKING:` without a runtime import).

Not evaluated (on every Python carve supports):
- strings inside an annotation (`x: "Invoice"`, `list["Invoice"]`);
- annotations of variables inside a function body (`total: Decimal = …`, PEP 526);
- every annotation when the module has `from __future__ import annotations` (PEP 563),
  or when the project supports only Python 3.14 and later (PEP 649).

Evaluated: everything else, including parameter and return annotations and class-body
or module-level variable annotations (`invoice: Invoice | None = None`) without those.
The walk ignores scoping: a local that shadows a global counts as a runtime read, so
it errs towards a refusal, never towards a missing runtime import.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from carve.core.summary import ModuleSummary


@dataclass
class NameUses:
    runtime: set[str] = field(default_factory=set)  # read when the code runs
    annotations: set[str] = field(default_factory=set)  # read in unevaluated annotations

    @property
    def annotation_only(self) -> set[str]:
        return self.annotations - self.runtime


def has_future_annotations(summary: ModuleSummary) -> bool:
    return any(
        s.module == "__future__" and any(n.name == "annotations" for n in s.names)
        for s in summary.imports
    )


def names_used(node: ast.AST) -> set[str]:
    """Every name `node` reads, in annotations (string ones included) or not."""
    gatherer = GatherNameUses(deferred=False)
    gatherer.visit(node)
    return gatherer.uses.runtime | gatherer.uses.annotations


_USED_BY_TEXT: dict[str, frozenset[str]] = {}


def unit_names_used(text: str, node: ast.AST) -> frozenset[str]:
    """`names_used` of a top-level statement, by its text: a split plans moves in a row
    over the same module, re-reading every statement each time."""
    found = _USED_BY_TEXT.get(text)
    if found is None:
        if len(_USED_BY_TEXT) > 50_000:
            _USED_BY_TEXT.clear()
        found = _USED_BY_TEXT[text] = frozenset(names_used(node))
    return found


def gather_name_uses(nodes: list[ast.stmt], deferred: bool) -> NameUses:
    """`deferred`: annotations are never evaluated (PEP 563 or PEP 649)."""
    gatherer = GatherNameUses(deferred)
    for node in nodes:
        gatherer.visit(node)
    return gatherer.uses


class GatherNameUses(ast.NodeVisitor):
    def __init__(self, deferred: bool) -> None:
        self.deferred = deferred
        self.uses = NameUses()
        self._functions = 0  # depth of function bodies around the current node
        self._unevaluated = False  # inside an annotation Python does not evaluate
        self._annotation = False  # inside any annotation (strings there name types)

    def visit_Name(self, node: ast.Name) -> None:
        if not isinstance(node.ctx, ast.Store):  # `del x` reads it too
            target = self.uses.annotations if self._unevaluated else self.uses.runtime
            target.add(node.id)

    def visit_Constant(self, node: ast.Constant) -> None:
        if self._annotation and isinstance(node.value, str):
            try:
                parsed = ast.parse(node.value.strip(), mode="eval")
            except SyntaxError:
                return
            self._annotate(parsed.body, evaluated=False)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in [*node.decorator_list, *getattr(node, "type_params", [])]:
            self.visit(decorator)
        arguments = node.args
        for default in [*arguments.defaults, *arguments.kw_defaults]:
            if default is not None:
                self.visit(default)
        every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
        for argument in every:
            if argument.annotation is not None:
                self._annotate(argument.annotation, evaluated=not self.deferred)
        if node.returns is not None:
            self._annotate(node.returns, evaluated=not self.deferred)
        self._functions += 1
        for statement in node.body:
            self.visit(statement)
        self._functions -= 1

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        functions, self._functions = self._functions, 0  # a class body is not a function's
        self.generic_visit(node)
        self._functions = functions

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.visit(node.target)
        if node.value is not None:
            self.visit(node.value)
        evaluated = not self.deferred and not self._functions
        self._annotate(node.annotation, evaluated)

    def _annotate(self, annotation: ast.expr, evaluated: bool) -> None:
        saved = self._unevaluated, self._annotation
        self._unevaluated = self._unevaluated or not evaluated
        self._annotation = True
        self.visit(annotation)
        self._unevaluated, self._annotation = saved
