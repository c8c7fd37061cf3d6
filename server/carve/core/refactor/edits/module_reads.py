"""How one importer reads a module alias (`m`, `models`, `apps.billing.models`): the
attribute reads of moved names to rewrite, string annotations naming them (code, so
rewritten too), strings handed to `eval`/`exec` (code carve cannot rewrite, so the
import stays), and every name the file binds. One walk of the tree besides the scope
analysis: on Django, 35 importers of `timezone` made five walks each the slowest part
of a move."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from carve.core.refactor.edits.scopes import NameScopes
from carve.core.summary import Import

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_TYPE_PARAMS = {"TypeVar", "ParamSpec", "TypeVarTuple"}


@dataclass(frozen=True, slots=True)
class StringSpan:
    """Where, inside a one-line string literal, an annotation reads the alias."""

    line: int
    byte_start: int  # UTF-8 columns, as `ast` counts them
    byte_end: int
    moved: bool  # the attribute read is a moved name (else: the alias is still needed)


@dataclass
class ModuleReads:
    moved: list[ast.Attribute] = field(default_factory=list)  # `m.Invoice`: rewrite
    references: int = 0  # reads of the alias in code, moved ones included
    annotations: list[StringSpan] = field(default_factory=list)
    in_eval: bool = False  # an `eval("m.x")` string reads it: keep the import

    @property
    def all_moved(self) -> bool:
        """Nothing but the moved names reads the alias: its import may go."""
        strings = [s for s in self.annotations if not s.moved]
        return len(self.moved) == self.references and not strings and not self.in_eval


def gather_reads(
    tree: ast.Module,
    text_lines: list[str],
    statement: Import,
    chain: tuple[str, ...],
    moved: set[str],
) -> ModuleReads:
    """The reads of `chain` that resolve to the binding `statement` made. Only the
    top-level statements whose lines spell the alias's first name are walked: no other
    statement can read, bind or name it (in code or in a string)."""
    reads = ModuleReads()
    import_node: ast.stmt | None = None
    candidates: list[ast.Attribute | ast.Name] = []
    annotations: list[ast.expr] = []
    evals: list[str] = []
    bindings: list[str] = []
    head = chain[0]
    for node in _walk_spelling(tree, text_lines, head):
        if isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Load):
                bindings.append(node.id)
            elif node.id == head and len(chain) == 1:
                candidates.append(node)
        elif isinstance(node, ast.Attribute):
            if attribute_chain(node.value) == chain:
                candidates.append(node)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bindings.extend((a.asname or a.name).partition(".")[0] for a in node.names)
            if node.lineno == statement.line and node.col_offset == statement.column:
                import_node = node
        else:
            _bind_other(node, bindings, annotations, evals)
    scope = _binding_scope(tree, import_node, bindings.count(head))
    hits = [n for n in candidates if scope.reads(n)]
    if len(chain) == 1:  # `m.Invoice`: the attribute reads `m`; `m` alone reads it too
        reads.references = sum(1 for n in hits if isinstance(n, ast.Name))
        attributes = [n for n in hits if isinstance(n, ast.Attribute)]
    else:
        reads.references = len(hits)
        attributes = [n for n in hits if isinstance(n, ast.Attribute)]
    reads.moved = [n for n in attributes if n.attr in moved]
    if scope.node is tree:  # string annotations and `eval` read module globals
        reads.annotations = _string_reads(annotations, text_lines, chain, moved)
        spelled = re.compile(rf"(?<![\w.]){re.escape(head)}\b")
        reads.in_eval = any(spelled.search(code) for code in evals)
    return reads


def _walk_spelling(tree: ast.Module, lines: list[str], name: str) -> Iterator[ast.AST]:
    spelled = re.compile(rf"\b{re.escape(name)}\b")
    hits = {number for number, line in enumerate(lines, 1) if name in line and spelled.search(line)}
    for statement in tree.body:
        first = min([statement.lineno, *(d.lineno for d in _decorators(statement))])
        last = statement.end_lineno or statement.lineno
        if any(first <= number <= last for number in hits):
            yield from ast.walk(statement)


def _decorators(node: ast.stmt) -> list[ast.expr]:
    if isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
        return node.decorator_list
    return []


def bound_anywhere(tree: ast.Module) -> set[str]:
    """Every name the file binds in any scope (a local `invoice_models = …` would
    shadow a new import of that name)."""
    bindings: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bindings.append(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bindings.extend((a.asname or a.name).partition(".")[0] for a in node.names)
        else:
            _bind_other(node, bindings, [], [])
    return set(bindings)


class _Scope:
    """Whether a spelling of the alias reads the binding its import statement made.
    When the file binds the name nowhere else and imports it at the top level, every
    read does, and the scope analysis (a second walk of the tree) is skipped."""

    def __init__(self, node: ast.AST, scopes: NameScopes | None) -> None:
        self.node = node
        self.scopes = scopes

    def reads(self, expr: ast.expr) -> bool:
        while isinstance(expr, ast.Attribute):
            expr = expr.value
        if not isinstance(expr, ast.Name):
            return False
        return self.scopes is None or self.scopes.scope_of(expr) is self.node


def _binding_scope(tree: ast.Module, import_node: ast.stmt | None, bound: int) -> _Scope:
    if import_node is not None and bound == 1 and any(n is import_node for n in tree.body):
        return _Scope(tree, None)
    scopes = NameScopes(tree)
    node = scopes.enclosing(import_node) if import_node is not None else tree
    return _Scope(node, scopes)


def _bind_other(
    node: ast.AST, bound: list[str], annotations: list[ast.expr], evals: list[str]
) -> None:
    if isinstance(node, _FUNCTIONS):
        bound.append(node.name)
        every = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
        every += [a for a in (node.args.vararg, node.args.kwarg) if a is not None]
        annotations.extend(a.annotation for a in every if a.annotation is not None)
        if node.returns is not None:
            annotations.append(node.returns)
    elif isinstance(node, ast.ClassDef):
        bound.append(node.name)
    elif isinstance(node, ast.AnnAssign):
        annotations.append(node.annotation)
    elif isinstance(node, ast.arg):
        bound.append(node.arg)
    elif isinstance(node, (ast.Global, ast.Nonlocal)):
        bound.extend(node.names)
    elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
        bound.append(node.name)
    elif isinstance(node, ast.MatchMapping) and node.rest:
        bound.append(node.rest)
    elif type(node).__name__ in _TYPE_PARAMS:  # PEP 695 `def f[T]()`, Python 3.12+
        bound.append(getattr(node, "name", ""))
    elif isinstance(node, ast.Call) and _is_eval(node):
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            evals.append(first.value)


def _is_eval(node: ast.Call) -> bool:
    return isinstance(node.func, ast.Name) and node.func.id in ("eval", "exec") and bool(node.args)


def _string_reads(
    annotations: list[ast.expr], lines: list[str], chain: tuple[str, ...], moved: set[str]
) -> list[StringSpan]:
    """Reads of `chain` inside string annotations (`inv: "models.Invoice"`,
    `list["models.Invoice"]`), for literals whose text is their value (one line, no
    escapes): only those can be edited in place."""
    found: list[StringSpan] = []
    for annotation in annotations:
        for node in ast.walk(annotation):
            if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
                continue
            if chain[0] not in node.value or node.lineno != node.end_lineno:
                continue
            inner = _literal_start(node, lines)
            if inner is None:
                continue
            try:
                parsed = ast.parse(node.value.strip(), mode="eval")
            except SyntaxError:
                continue
            lead = len(node.value) - len(node.value.lstrip())
            for sub in ast.walk(parsed):
                if isinstance(sub, ast.Attribute) and attribute_chain(sub.value) == chain:
                    start = inner + lead + sub.value.col_offset
                    end = inner + lead + (sub.value.end_col_offset or 0)
                    found.append(StringSpan(node.lineno, start, end, sub.attr in moved))
    return found


def _literal_start(node: ast.Constant, lines: list[str]) -> int | None:
    """The UTF-8 column where the string's value starts, when the literal is written
    as its value between quotes (else None)."""
    raw = lines[node.lineno - 1].encode("utf-8")[node.col_offset : node.end_col_offset]
    text = raw.decode("utf-8", "replace")
    prefix = len(text) - len(text.lstrip("rRuU"))
    body = text[prefix:]
    quotes = 3 if body[:3] in ('"""', "'''") else 1
    if body[quotes : len(body) - quotes] != node.value:
        return None
    return node.col_offset + prefix + quotes


def attribute_chain(node: ast.expr) -> tuple[str, ...] | None:
    """`a.b.c` → ("a", "b", "c"); None when it does not start with a name."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return tuple(reversed(parts))
    return None
