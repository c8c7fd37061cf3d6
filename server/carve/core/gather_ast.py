"""Build a ModuleSummary from Python's `ast` (the fast path: ~8 MB/s)."""

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

_TYPE_ALIAS = getattr(ast, "TypeAlias", None)  # Python >= 3.12
_TRY_STAR = getattr(ast, "TryStar", None)  # Python >= 3.11
# Exceptions that catch a failed import; `raises`/`assertRaises`/`suppress` of one of them
# in a `with` guards an import the same way `try: … except ImportError:` does.
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})
_GUARD_CALLS = frozenset({"raises", "assertRaises", "suppress"})


class GatherSummary:
    """Collects definitions, imports, `__all__` and used names from top-level statements.

    Fed statement lists (a whole module, or chunks of one when falling back to LibCST),
    then `finish()`ed into a ModuleSummary.
    """

    def __init__(self) -> None:
        self.summary = ModuleSummary()
        self._used: set[str] = set()
        self._seen_imports: set[int] = set()
        self._all: list[str] | None = None

    # -- public -----------------------------------------------------------------
    def visit_statements(self, body: Iterable[ast.stmt]) -> None:
        body = list(body)
        self._toplevel(body, ImportContext.MODULE, in_try=False)
        for stmt in body:
            self._walk_uses(stmt)

    def add_used(self, names: Iterable[str]) -> None:
        self._used.update(names)

    def finish(self) -> ModuleSummary:
        self.summary.used_names = frozenset(self._used)
        if self._all is not None:
            self.summary.dunder_all = tuple(self._all)
        return self.summary

    # -- module level -------------------------------------------------------------
    def _toplevel(self, body: list[ast.stmt], context: ImportContext, in_try: bool) -> None:
        for stmt in body:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                self._seen_imports.add(id(stmt))
                self.summary.imports.append(_import(stmt, context, in_try))
                if any((a.asname or a.name) == "__getattr__" for a in stmt.names):
                    self.summary.has_getattr = True  # `from ._lazy import __getattr__`
            elif isinstance(stmt, ast.ClassDef):
                self._define(stmt.name, DefKind.CLASS, stmt)
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._define(stmt.name, DefKind.FUNCTION, stmt)
                if stmt.name == "__getattr__":
                    self.summary.has_getattr = True
            elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                self._assignment(stmt)
                if stmt.value is not None and _replaces_module(stmt.value):
                    self.summary.has_getattr = True
            elif _TYPE_ALIAS is not None and isinstance(stmt, _TYPE_ALIAS):
                self._define(stmt.name.id, DefKind.TYPE_ALIAS, stmt)  # type: ignore[attr-defined,unused-ignore]
            elif isinstance(stmt, ast.If):
                if _is_main_guard(stmt.test):
                    # Runs only as a script, never on import: its imports are found as LAZY
                    # by `_walk_uses`, and it defines nothing importers could read.
                    self._toplevel(stmt.orelse, context, in_try)
                    continue
                inner = ImportContext.TYPE_CHECKING if _is_type_checking(stmt.test) else context
                self._toplevel(stmt.body, inner, in_try)
                self._toplevel(stmt.orelse, context, in_try)
            elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
                self._toplevel(stmt.body, context, in_try=True)  # type: ignore[attr-defined]
                for handler in stmt.handlers:  # type: ignore[attr-defined]
                    self._toplevel(handler.body, context, in_try=True)
                self._toplevel(stmt.orelse, context, in_try)  # type: ignore[attr-defined]
                self._toplevel(stmt.finalbody, context, in_try)  # type: ignore[attr-defined]
            elif isinstance(stmt, ast.Expr):
                self._all_call(stmt.value)
                if _replaces_module(stmt.value):
                    self.summary.has_getattr = True
            else:
                self._compound(stmt, context, in_try)

    def _compound(self, stmt: ast.stmt, context: ImportContext, in_try: bool) -> None:
        """Module-level `with`/`for`/`while`/`match` bodies run at import time too;
        `with suppress(ImportError):` guards an import like `try` does."""
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                self._define_targets(item.optional_vars, stmt)
            guarded = in_try or any(_is_suppress(item.context_expr) for item in stmt.items)
            self._toplevel(stmt.body, context, guarded)
        elif isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
            if not isinstance(stmt, ast.While):
                self._define_targets(stmt.target, stmt)
            self._toplevel(stmt.body, context, in_try)
            self._toplevel(stmt.orelse, context, in_try)
        elif isinstance(stmt, ast.Match):
            for case in stmt.cases:
                self._toplevel(case.body, context, in_try)

    def _define(self, name: str, kind: DefKind, node: ast.stmt) -> None:
        if name in self.summary.definitions:
            return  # first definition wins for locations (e.g. try/except fallbacks)
        # Since Python 3.8 a decorated class/def's lineno is its `class`/`def` line.
        end = node.end_lineno or node.lineno
        self.summary.definitions[name] = Definition(name, kind, node.lineno, node.col_offset, end)

    def _define_targets(self, target: ast.expr | None, stmt: ast.stmt) -> None:
        if target is not None:
            for name_node in _target_names(target):
                self._define(name_node.id, DefKind.VARIABLE, stmt)

    def _assignment(self, stmt: ast.Assign | ast.AnnAssign | ast.AugAssign) -> None:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        for target in targets:
            if _is_sys_modules_entry(target):
                self.summary.has_getattr = True  # `sys.modules[name] = LazyModule(…)`
            for name_node in _target_names(target):
                if name_node.id == "__getattr__":
                    self.summary.has_getattr = True  # `__getattr__ = getattr_migration(…)`
                if name_node.id == "__all__":
                    self._dunder_all(stmt, name_node)
                elif not isinstance(stmt, ast.AugAssign):
                    self._define(name_node.id, _assignment_kind(stmt), stmt)

    # -- __all__ ------------------------------------------------------------------
    def _dunder_all(self, stmt: ast.stmt, target: ast.Name) -> None:
        value = getattr(stmt, "value", None)
        if isinstance(target.ctx, ast.Store) and not self.summary.dunder_all_line:
            self.summary.dunder_all_line = stmt.lineno
        if value is None:
            return
        previous = tuple(self._all or ())
        if not isinstance(stmt, ast.AugAssign) or self._all is None:
            self._all = []
        self._add_all_expr(value, previous)

    def _add_all_expr(self, value: ast.expr, previous: tuple[str, ...] = ()) -> None:
        """`previous`: what `__all__` held before `__all__ = __all__ + [...]`."""
        assert self._all is not None
        if isinstance(value, ast.Name) and value.id == "__all__":
            self._all.extend(previous)
        elif isinstance(value, (ast.List, ast.Tuple)):
            for element in value.elts:
                if isinstance(element, ast.Constant) and isinstance(element.value, str):
                    self._all.append(element.value)
                else:
                    self.summary.all_dynamic = True
        elif isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
            self._add_all_expr(value.left, previous)
            self._add_all_expr(value.right, previous)
        elif (
            isinstance(value, ast.Attribute)
            and value.attr == "__all__"
            and isinstance(value.value, ast.Name)
        ):
            self.summary.all_extends += (value.value.id,)
        else:
            self.summary.all_dynamic = True

    def _all_call(self, value: ast.expr) -> None:
        """`__all__.extend([...])`, `__all__.append("x")`."""
        if not (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and isinstance(value.func.value, ast.Name)
            and value.func.value.id == "__all__"
        ):
            return
        if self._all is None:
            self._all = []
        method, args = value.func.attr, value.args
        if method == "extend" and len(args) == 1:
            self._add_all_expr(args[0])
        elif method == "append" and len(args) == 1:
            self._add_all_expr(ast.List(elts=[args[0]], ctx=ast.Load()))
        else:
            self.summary.all_dynamic = True

    # -- everything below module level ----------------------------------------------
    def _walk_uses(self, root: ast.stmt) -> None:
        used = self._used
        seen = self._seen_imports
        guarded: set[int] = set()  # imports whose ImportError a `try`/`with` catches
        for node in ast.walk(root):
            kind = type(node)
            if kind is ast.Name:
                if type(node.ctx) is not ast.Store:  # type: ignore[attr-defined]
                    used.add(node.id)  # type: ignore[attr-defined]
            elif (kind is ast.Import or kind is ast.ImportFrom) and id(node) not in seen:
                lazy = _import(node, ImportContext.LAZY, id(node) in guarded)  # type: ignore[arg-type]
                self.summary.imports.append(lazy)
            elif kind is ast.Try or kind is _TRY_STAR or kind is ast.With:
                # ast.walk is breadth-first: the guard is seen before the imports it holds.
                if _guards_import_error(node):  # type: ignore[arg-type]
                    guarded.update(_guarded_imports(node))  # type: ignore[arg-type]
            elif kind is ast.arg or kind is ast.AnnAssign:
                _string_annotation_names(node.annotation, used)  # type: ignore[attr-defined]
            elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                _string_annotation_names(node.returns, used)  # type: ignore[attr-defined]
            elif kind is ast.Global:
                # `global X` then `from .m import X` in a function run at import time
                # (SQLAlchemy's `__go(locals())`) binds a module name; a definition that
                # module level already made comes first and keeps its location.
                for name in node.names:  # type: ignore[attr-defined]
                    self._define(name, DefKind.VARIABLE, node)  # type: ignore[arg-type]
        if isinstance(root, ast.Assign | ast.AugAssign | ast.AnnAssign):
            # `__all__ += [...]` loads __all__ but is not a use of any imported name.
            used.discard("__all__")


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


def _assignment_kind(stmt: ast.Assign | ast.AnnAssign) -> DefKind:
    annotation = getattr(stmt, "annotation", None)
    if isinstance(annotation, ast.Name | ast.Attribute) and ast.unparse(annotation).endswith(
        "TypeAlias"
    ):
        return DefKind.TYPE_ALIAS
    return DefKind.VARIABLE


def _target_names(target: ast.expr) -> Iterable[ast.Name]:
    if isinstance(target, ast.Name):
        yield target
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _target_names(element)
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value)


def _is_suppress(expr: ast.expr) -> bool:
    func = expr.func if isinstance(expr, ast.Call) else expr
    return (isinstance(func, ast.Name) and func.id == "suppress") or (
        isinstance(func, ast.Attribute) and func.attr == "suppress"
    )


def _is_sys_modules_entry(target: ast.expr) -> bool:
    """`sys.modules[__name__] = …` (the module replaces itself) or `sys.modules[f"{…}"] =
    …` (requests' `requests.packages.urllib3` aliases): what it provides is dynamic."""
    return (
        isinstance(target, ast.Subscript)
        and isinstance(target.value, ast.Attribute)
        and target.value.attr == "modules"
        and isinstance(target.value.value, ast.Name)
        and target.value.value.id == "sys"
    )


def _replaces_module(value: ast.expr) -> bool:
    """A module-factory call handed this module's `__name__` (celery's
    `local.recreate_module(__name__, …)`, `LazyModule(__name__, …)`): names are dynamic.
    `getLogger(__name__)` and the like do not match: the callee must name a module."""
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    callee = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return "module" in callee.lower() and any(
        isinstance(arg, ast.Name) and arg.id == "__name__" for arg in value.args
    )


def _is_main_guard(test: ast.expr) -> bool:
    """`if __name__ == "__main__":` (either operand order)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False
    if not isinstance(test.ops[0], ast.Eq):
        return False
    operands = (test.left, test.comparators[0])
    return any(isinstance(o, ast.Name) and o.id == "__name__" for o in operands) and any(
        isinstance(o, ast.Constant) and o.value == "__main__" for o in operands
    )


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
    """ids of the imports in the guarded body (and, like at module level, the handlers')."""
    bodies = [guard.body]
    if not isinstance(guard, ast.With):
        bodies.extend(handler.body for handler in guard.handlers)
    for stmt in (stmt for body in bodies for stmt in body):
        for node in ast.walk(stmt):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                yield id(node)


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    if isinstance(test, ast.Attribute):
        return test.attr == "TYPE_CHECKING"
    return False


def _import(stmt: ast.Import | ast.ImportFrom, context: ImportContext, in_try: bool) -> Import:
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
