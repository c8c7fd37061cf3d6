"""Everything below module level, in one pass per top-level statement: the names a
module reads, function-level imports (and whether a `try`/`with` guards them), and
names bound by `global` statements."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from carve.core.summary import (
    Definition,
    DefKind,
    Import,
    ImportContext,
    ImportedName,
    ModuleSummary,
)

_TRY_STAR = getattr(ast, "TryStar", None)  # Python >= 3.11
# Exceptions that catch a failed import; `raises`/`assertRaises`/`suppress` of one of them
# in a `with` guards an import the same way `try: … except ImportError:` does.
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})
_GUARD_CALLS = frozenset({"raises", "assertRaises", "suppress"})


class GatherUses:
    """The state shared with `GatherSummary` (which adds the module level)."""

    def __init__(self) -> None:
        self.summary = ModuleSummary()
        self._used: set[str] = set()
        self._seen_imports: set[int] = set()  # module-level imports, already recorded

    def _define(self, name: str, kind: DefKind, node: ast.stmt) -> None:
        if name in self.summary.definitions:
            return  # first definition wins for locations (e.g. try/except fallbacks)
        # Since Python 3.8 a decorated class/def's lineno is its `class`/`def` line.
        end = node.end_lineno or node.lineno
        self.summary.definitions[name] = Definition(name, kind, node.lineno, node.col_offset, end)

    def _walk_uses(self, root: ast.stmt) -> None:
        """One pass over the statement's subtree, in `ast.walk`'s breadth-first order (so
        function-level imports keep their order), reading only the fields that can hold
        nodes: ~3x cheaper than `ast.walk`, which also visits every `ctx` and operator."""
        used = self._used
        seen = self._seen_imports
        guarded: set[int] = set()  # imports whose ImportError a `try`/`with` catches
        fields_of = _CHILD_FIELDS.get
        todo: list[object] = [root]
        for node in todo:
            kind = type(node)
            if kind is ast.Name:
                if type(node.ctx) is not ast.Store:  # type: ignore[attr-defined]
                    used.add(node.id)  # type: ignore[attr-defined]
                continue
            if kind in _SPECIAL:
                if kind is ast.Import or kind is ast.ImportFrom:
                    if id(node) not in seen:
                        lazy = import_statement(node, ImportContext.LAZY, id(node) in guarded)  # type: ignore[arg-type]
                        self.summary.imports.append(lazy)
                    continue  # its aliases hold no names
                self._special(node, guarded)
            fields = fields_of(kind)
            if fields is None:
                fields = _CHILD_FIELDS[kind] = _child_fields(kind)
            for name in fields:
                value = getattr(node, name)
                if type(value) is list:
                    todo += value
                elif isinstance(value, ast.AST):
                    todo.append(value)
        if isinstance(root, ast.Assign | ast.AugAssign | ast.AnnAssign):
            # `__all__ += [...]` loads __all__ but is not a use of any imported name.
            used.discard("__all__")

    def _special(self, node: object, guarded: set[int]) -> None:
        kind = type(node)
        if kind is ast.Try or kind is _TRY_STAR or kind is ast.With:
            # Breadth-first: the guard is seen before the imports it holds.
            if _guards_import_error(node):  # type: ignore[arg-type]
                guarded.update(_guarded_imports(node))  # type: ignore[arg-type]
        elif kind is ast.arg or kind is ast.AnnAssign:
            _string_annotation_names(node.annotation, self._used)  # type: ignore[attr-defined]
        elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
            _string_annotation_names(node.returns, self._used)  # type: ignore[attr-defined]
        elif kind is ast.Global:
            # `global X` then `from .m import X` in a function run at import time
            # (SQLAlchemy's `__go(locals())`) binds a module name; a definition that
            # module level already made comes first and keeps its location.
            for name in node.names:  # type: ignore[attr-defined]
                self._define(name, DefKind.VARIABLE, node)  # type: ignore[arg-type]


# Node types `_walk_uses` acts on besides `Name`.
_SPECIAL = frozenset(
    kind
    for kind in (
        ast.Import,
        ast.ImportFrom,
        ast.Try,
        _TRY_STAR,
        ast.With,
        ast.arg,
        ast.AnnAssign,
        ast.FunctionDef,
        ast.AsyncFunctionDef,
        ast.Global,
    )
    if kind is not None
)
# Fields that never hold a node `_walk_uses` needs: identifiers, flags, contexts and
# operators (a `Name`'s `ctx` alone doubles the nodes `ast.walk` visits).
_LEAF_FIELDS = frozenset(
    {"ctx", "op", "ops", "id", "attr", "name", "names", "arg", "asname", "module", "level"}
    | {"kind", "type_comment", "conversion", "is_async", "simple", "kwd_attrs", "rest", "tag"}
)
# Per node type, the fields to descend into; non-node list items (`global` names, `None`
# keys of `{**d}`) get an empty tuple on first sight.
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {ast.Constant: ()}


def _child_fields(kind: type) -> tuple[str, ...]:
    if not issubclass(kind, ast.AST):
        return ()
    return tuple(f for f in kind._fields if f not in _LEAF_FIELDS)


def _string_annotation_names(annotation: ast.expr | None, used: set[str]) -> None:
    """`def f(x: "Invoice")` uses `Invoice` as much as `def f(x: Invoice)` does.
    Walks only the shapes annotations take (cheaper than `ast.walk` on the hot path)."""
    kind = type(annotation)
    if kind is ast.Constant:
        value = annotation.value  # type: ignore[union-attr]
        if isinstance(value, str):
            try:
                tree = ast.parse(value.strip(), mode="eval")
            except SyntaxError:
                return
            used.update(n.id for n in ast.walk(tree) if isinstance(n, ast.Name))
    elif kind is ast.Subscript:
        _string_annotation_names(annotation.slice, used)  # type: ignore[union-attr]
    elif kind is ast.BinOp:
        _string_annotation_names(annotation.left, used)  # type: ignore[union-attr]
        _string_annotation_names(annotation.right, used)  # type: ignore[union-attr]
    elif kind is ast.Tuple or kind is ast.List:
        for element in annotation.elts:  # type: ignore[union-attr]
            _string_annotation_names(element, used)


def _guards_import_error(node: ast.Try | ast.With) -> bool:
    """`try: … except ImportError:` (or a broader handler), `with raises(ImportError):`."""
    if isinstance(node, ast.With):
        return any(_is_guard_call(item.context_expr) for item in node.items)
    return any(h.type is None or _names_import_error(h.type) for h in node.handlers)


def _is_guard_call(expr: ast.expr) -> bool:
    if not isinstance(expr, ast.Call) or not expr.args:
        return False
    func = expr.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in _GUARD_CALLS and any(_names_import_error(a) for a in expr.args)


def _names_import_error(expr: ast.expr) -> bool:
    if isinstance(expr, ast.Tuple):
        return any(_names_import_error(e) for e in expr.elts)
    name = expr.attr if isinstance(expr, ast.Attribute) else getattr(expr, "id", "")
    return name in _IMPORT_ERRORS


def _guarded_imports(guard: ast.Try | ast.With) -> Iterable[int]:
    """ids of the imports in the guarded body (and, like at module level, the handlers'),
    at any depth; imports are statements, so only statement lists are searched."""
    todo: list[ast.AST] = list(guard.body)
    if not isinstance(guard, ast.With):
        todo.extend(guard.handlers)
    for node in todo:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield id(node)
            continue
        for field in _STATEMENT_LISTS:
            todo.extend(getattr(node, field, ()))


# Where statements nest: compound statements' bodies, `except` handlers, `case` blocks.
_STATEMENT_LISTS = ("body", "orelse", "finalbody", "handlers", "cases")


def import_statement(
    stmt: ast.Import | ast.ImportFrom, context: ImportContext, in_try: bool
) -> Import:
    names = tuple(
        ImportedName(
            alias.name,
            alias.asname,
            getattr(alias, "lineno", stmt.lineno),
            getattr(alias, "col_offset", stmt.col_offset),
            getattr(alias, "end_col_offset", None) or stmt.col_offset,
        )
        for alias in stmt.names
    )
    is_from = isinstance(stmt, ast.ImportFrom)
    return Import(
        module=(stmt.module or "") if isinstance(stmt, ast.ImportFrom) else "",
        level=stmt.level if isinstance(stmt, ast.ImportFrom) else 0,
        names=names,
        from_import=is_from,
        line=stmt.lineno,
        column=stmt.col_offset,
        end_line=stmt.end_lineno or stmt.lineno,
        end_column=stmt.end_col_offset or 0,
        context=context,
        in_try=in_try,
    )
