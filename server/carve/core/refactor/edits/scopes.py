"""Which scope each name read resolves to, by Python's scoping rules: function,
lambda, comprehension and class scopes, parameters, assignments, imports,
`global`/`nonlocal` and walrus targets."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


@dataclass(eq=False)
class _Scope:
    node: ast.AST
    parent: _Scope | None
    kind: str  # "module", "function", "class" or "comprehension"
    bound: set[str] = field(default_factory=set)
    globals: set[str] = field(default_factory=set)
    nonlocals: set[str] = field(default_factory=set)


class NameScopes:
    """`scope_of(name_node)` is the scope node (Module, function, lambda,
    comprehension or class) whose binding a loaded `ast.Name` reads."""

    def __init__(self, tree: ast.Module) -> None:
        self._module = _Scope(tree, None, "module")
        self._loads: dict[int, tuple[str, _Scope]] = {}
        self._statements: dict[int, _Scope] = {}
        self._walk(tree, self._module)

    def scope_of(self, node: ast.Name) -> ast.AST | None:
        found = self._loads.get(id(node))
        if found is None:
            return None
        name, scope = found
        return _resolve(name, scope, self._module).node

    def enclosing(self, statement: ast.stmt) -> ast.AST:
        """The scope a statement binds names in."""
        return self._statements.get(id(statement), self._module).node

    def _walk(self, node: ast.AST, scope: _Scope) -> None:
        if isinstance(node, ast.stmt):
            self._statements[id(node)] = scope
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            scope.bound.add(node.name)
            for expr in [*node.decorator_list, *_outer_args(node.args)]:
                self._walk(expr, scope)
            if node.returns is not None:
                self._walk(node.returns, scope)
            inner = _Scope(node, scope, "function", _arg_names(node.args))
            for stmt in node.body:
                self._walk(stmt, inner)
        elif isinstance(node, ast.Lambda):
            for expr in _outer_args(node.args):
                self._walk(expr, scope)
            self._walk(node.body, _Scope(node, scope, "function", _arg_names(node.args)))
        elif isinstance(node, ast.ClassDef):
            scope.bound.add(node.name)
            outer: list[ast.AST] = [*node.decorator_list, *node.bases, *node.keywords]
            for part in outer:
                self._walk(part, scope)
            inner = _Scope(node, scope, "class")
            for stmt in node.body:
                self._walk(stmt, inner)
        elif isinstance(node, _COMPREHENSIONS):
            self._walk(node.generators[0].iter, scope)
            inner = _Scope(node, scope, "comprehension")
            for i, generator in enumerate(node.generators):
                self._walk(generator.target, inner)
                if i:
                    self._walk(generator.iter, inner)
                for condition in generator.ifs:
                    self._walk(condition, inner)
            if isinstance(node, ast.DictComp):
                self._walk(node.key, inner)
                self._walk(node.value, inner)
            else:
                self._walk(node.elt, inner)
        elif isinstance(node, ast.NamedExpr):
            target = scope
            while target.kind == "comprehension" and target.parent is not None:
                target = target.parent
            target.bound.add(node.target.id)
            self._walk(node.value, scope)
        elif isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                self._loads[id(node)] = (node.id, scope)
            else:
                scope.bound.add(node.id)
        else:
            if isinstance(node, ast.Global):
                scope.globals.update(node.names)
            elif isinstance(node, ast.Nonlocal):
                scope.nonlocals.update(node.names)
            elif isinstance(node, ast.alias):
                scope.bound.add((node.asname or node.name).partition(".")[0])
            elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)):
                if node.name:
                    scope.bound.add(node.name)
            elif isinstance(node, ast.MatchMapping) and node.rest:
                scope.bound.add(node.rest)
            for child in ast.iter_child_nodes(node):
                self._walk(child, scope)


def _resolve(name: str, scope: _Scope, module: _Scope) -> _Scope:
    current: _Scope | None = scope
    first = True
    while current is not None and current.kind != "module":
        if current.kind == "class" and not first:
            current = current.parent  # methods do not see class-body names
            continue
        first = False
        if name in current.globals:
            return module
        if name in current.nonlocals:
            current = current.parent
            continue
        if name in current.bound:
            return current
        current = current.parent
    return module


def _outer_args(args: ast.arguments) -> list[ast.expr]:
    """Defaults and annotations: evaluated in the enclosing scope."""
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    every += [a for a in (args.vararg, args.kwarg) if a is not None]
    annotations = [a.annotation for a in every if a.annotation is not None]
    defaults = [d for d in args.kw_defaults if d is not None]
    return [*args.defaults, *defaults, *annotations]


def _arg_names(args: ast.arguments) -> set[str]:
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    every += [a for a in (args.vararg, args.kwarg) if a is not None]
    return {a.arg for a in every}
