"""Build a ModuleSummary from Python's `ast` (the fast path: ~8 MB/s)."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from carve.core.gather_uses import GatherUses, import_statement
from carve.core.summary import DefKind, ImportContext, ModuleSummary

_TYPE_ALIAS = getattr(ast, "TypeAlias", None)  # Python >= 3.12


class GatherSummary(GatherUses):
    """Collects definitions, imports, `__all__` and used names from top-level statements.

    Fed statement lists (a whole module, or chunks of one when falling back to LibCST),
    then `finish()`ed into a ModuleSummary.
    """

    def __init__(self) -> None:
        super().__init__()
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
        # Only imported names are ever asked about (is an import a re-export or a use?):
        # keeping just those makes summaries several times smaller to cache and load.
        bound = {name.bound for statement in self.summary.imports for name in statement.names}
        self.summary.used_names = frozenset(self._used & bound)
        if self._all is not None:
            self.summary.dunder_all = tuple(self._all)
        return self.summary

    # -- module level -------------------------------------------------------------
    def _toplevel(self, body: list[ast.stmt], context: ImportContext, in_try: bool) -> None:
        for stmt in body:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                self._seen_imports.add(id(stmt))
                self.summary.imports.append(import_statement(stmt, context, in_try))
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


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    if isinstance(test, ast.Attribute):
        return test.attr == "TYPE_CHECKING"
    return False
