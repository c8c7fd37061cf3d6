"""The workspace index: definitions, `__all__`, re-exports and resolution through hubs."""

from __future__ import annotations

import signal
import textwrap
from pathlib import Path

import pytest

from carve.core.index import Outcome, WorkspaceIndex
from carve.core.parse import summarize_text
from carve.core.summary import DefKind, ImportContext, ModuleSummary

from conftest import build_index, check, make_project, where


def summary(text: str) -> ModuleSummary:
    return summarize_text(textwrap.dedent(text).lstrip("\n"))


def module(index: WorkspaceIndex, name: str):
    found = index.get(name)
    assert found is not None, name
    return found


# -- definitions -------------------------------------------------------------------------


def test_definitions_inside_module_level_if_try_with_for() -> None:
    s = summary(
        """
        import sys
        from contextlib import suppress

        if sys.version_info >= (3, 11):
            A = 1
        elif sys.platform == "win32":
            B: int = 2
        else:
            def C(): ...
        try:
            class D: ...
        except ImportError:
            E = F = None
        finally:
            G, (H, *I) = 1, (2, 3)
        with suppress(Exception):
            J = 1
        for K in range(3):
            pass

        def outer():
            inner = 1
        """
    )
    assert set(s.definitions) == set("ABCDEFGHIJK") | {"outer"}
    assert s.definitions["C"].kind is DefKind.FUNCTION
    assert s.definitions["D"].kind is DefKind.CLASS
    assert s.definitions["B"].line == 7


def test_decorated_definition_points_at_its_def_line() -> None:
    s = summary(
        """
        @decorator(
            arg,
        )

        # a comment
        class Model:
            pass
        """
    )
    assert (s.definitions["Model"].line, s.definitions["Model"].end_line) == (6, 7)


def test_imports_by_context() -> None:
    s = summary(
        """
        from typing import TYPE_CHECKING
        from contextlib import suppress
        import a.b as c
        from . import x
        from ..pkg import *
        if TYPE_CHECKING:
            from y import Y
        else:
            from z import Z
        try:
            import fast
        except ImportError:
            fast = None
        with suppress(ImportError):
            import optional
        def f():
            from lazy import L
        class K:
            def m(self):
                import deep
        """
    )
    by_name = {(i.names[0].name): i for i in s.imports}
    assert by_name["a.b"].names[0].alias == "c" and not by_name["a.b"].from_import
    assert (by_name["x"].level, by_name["x"].module) == (1, "")
    assert (by_name["*"].level, by_name["*"].module) == (2, "pkg")
    assert by_name["Y"].context is ImportContext.TYPE_CHECKING
    assert by_name["Z"].context is ImportContext.MODULE
    assert by_name["fast"].in_try and by_name["optional"].in_try
    assert by_name["L"].context is ImportContext.LAZY
    assert by_name["deep"].context is ImportContext.LAZY


# -- __all__ -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ('__all__ = ["a", "b"]', ("a", "b")),
        ('__all__ = ("a",)\n__all__ += ["b"]', ("a", "b")),
        ('__all__ = ["a"]\n__all__.extend(("b", "c"))\n__all__.append("d")', ("a", "b", "c", "d")),
        ('__all__ = ["a"]\n__all__ = __all__ + ["b"]', ("a", "b")),
        ('__all__ = ["a"] + ["b"]', ("a", "b")),
        ('__all__: list[str] = ["a"]', ("a",)),
        (
            'if sys.platform == "win32":\n    __all__ = ["w"]\nelse:\n    __all__ = ["a"]',
            ("a",),
        ),
    ],
)
def test_dunder_all_static_forms(text: str, names: tuple[str, ...]) -> None:
    s = summary(text)
    assert (s.dunder_all, s.all_dynamic) == (names, False)


def test_dunder_all_extends_other_modules() -> None:
    s = summary('from . import a, b\n__all__ = ["x"] + a.__all__\n__all__ += b.__all__\n')
    assert (s.dunder_all, s.all_extends, s.all_dynamic) == (("x",), ("a", "b"), False)


@pytest.mark.parametrize(
    "text",
    [
        "__all__ = [n for n in dir() if not n.startswith('_')]",
        "__all__ = list(NAMES)",
        '__all__ = ["a", NAME]',
        '__all__ = ["a"]\n__all__.extend(more())',
        '__all__ = ["a"]\n__all__.remove("a")',
    ],
)
def test_dynamic_dunder_all_is_unknown(text: str) -> None:
    assert summary(text).all_dynamic


def test_dynamic_dunder_all_is_never_a_finding(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/models.py": (
            "from .a_models import A\nNAMES = ['A', 'Ghost']\n__all__ = list(NAMES)\n"
        ),
        "pkg/a_models.py": "class A: ...\n",
        "pkg/views.py": "from pkg.models import *\n",
    }
    assert check(make_project(tmp_path, files)) == []


def test_extended_dunder_all_resolves_star_imports(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": (
            "from . import sub\nfrom .sub import *\n"
            "__all__ = ['VERSION'] + sub.__all__\nVERSION = 1\n"
        ),
        "pkg/sub.py": "__all__ = ['Thing']\nclass Thing: ...\n",
        "app.py": "from pkg import *\nfrom pkg import Thing, VERSION\n",
    }
    root = make_project(tmp_path, files)
    index = build_index(root)
    assert index.provided_names("pkg") == frozenset({"VERSION", "Thing"})
    assert check(root) == []


# -- re-exports ------------------------------------------------------------------------------


def test_reexport_forms(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/a_models.py": "class A: ...\nclass B: ...\nclass C: ...\nclass D: ...\n",
        "pkg/models.py": """
            from .a_models import A
            from .a_models import B as B
            from .a_models import C
            from .a_models import D as Renamed

            __all__ = ["C"]


            def uses() -> C:
                return C()
        """,
        "pkg/views.py": """
            from .a_models import A


            def show(a: "A") -> None: ...
        """,
    }
    index = build_index(make_project(tmp_path, files))
    models = module(index, "pkg.models")
    assert sorted(index.reexports(models)) == ["A", "B", "C", "Renamed"]
    assert index.is_hub(models)
    views = module(index, "pkg.views")
    assert index.reexports(views) == {}  # a string annotation is a use too
    assert not index.is_hub(views)


@pytest.mark.parametrize(
    "annotation",
    ['"A"', 'Optional["A"]', 'list["A"] | None', 'dict[str, tuple["A", int]]', '"list[A]"'],
)
def test_quoted_annotations_are_uses(annotation: str) -> None:
    s = summary(f"from .a_models import A\n\n\ndef f(x: {annotation}) -> None: ...\n")
    assert "A" in s.used_names


def test_views_importing_models_to_use_them_is_not_a_hub(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/a_models.py": "class A: ...\n",
        "pkg/views.py": "from .a_models import A\n\n\ndef show() -> A:\n    return A()\n",
        "pkg/forms.py": "from .a_models import A  # unused, and not a forms feature file\n",
        "pkg/helpers.py": "from .a_models import A  # unused import in a plain module\n",
    }
    index = build_index(make_project(tmp_path, files))
    assert [m.name for m in index.hubs()] == []


# -- resolution ------------------------------------------------------------------------------


CHAIN = {
    "apps/__init__.py": "",
    "apps/billing/__init__.py": "from .models import Invoice as Invoice\n",
    "apps/billing/models/__init__.py": "from .invoice import *\n",
    "apps/billing/models/invoice.py": (
        "from .base import Base as Base\n\n\nclass Invoice(Base): ...\n"
    ),
    "apps/billing/models/base.py": "class Base: ...\n",
}


def test_resolution_through_hub_sub_hub_and_feature_file(tmp_path: Path) -> None:
    index = build_index(make_project(tmp_path, CHAIN))
    result = index.resolve("apps.billing", "Invoice")
    assert (result.outcome, result.module, result.name) == (
        Outcome.DEFINED,
        "apps.billing.models.invoice",
        "Invoice",
    )
    assert result.via == ("apps.billing", "apps.billing.models")
    base = index.resolve("apps.billing.models", "Base")
    assert (base.outcome, base.module) == (Outcome.DEFINED, "apps.billing.models.base")
    assert index.resolve("apps.billing", "invoice").outcome is Outcome.MISSING
    assert index.resolve("apps.billing.models", "invoice").outcome is Outcome.MODULE
    assert index.resolve("apps.billing", "Nope").outcome is Outcome.MISSING
    assert index.resolve("apps.nope", "X").outcome is Outcome.NO_MODULE
    assert index.resolve("django.db", "models").outcome is Outcome.EXTERNAL


@pytest.mark.parametrize("form", ["named", "star", "mixed"])
def test_hubs_reexporting_from_each_other_do_not_hang(tmp_path: Path, form: str) -> None:
    a, b = {
        "named": ("from .b_models import X as X\n", "from .a_models import X as X\n"),
        "star": ("from .b_models import *\nY = 1\n", "from .a_models import *\n"),
        "mixed": ("from .b_models import *\n", "from .a_models import X as X\n"),
    }[form]
    files = {
        "pkg/__init__.py": "",
        "pkg/models.py": "from .a_models import *\nfrom .b_models import *\n",
        "pkg/a_models.py": a,
        "pkg/b_models.py": b,
        "pkg/views.py": "from pkg.models import X\n",
    }
    root = make_project(tmp_path, files)
    signal.alarm(10)  # a hang fails the test instead of the whole run
    try:
        index = build_index(root)
        assert index.resolve("pkg.a_models", "X").outcome in (Outcome.UNKNOWN, Outcome.MISSING)
        assert index.resolve("pkg.b_models", "X").outcome in (Outcome.UNKNOWN, Outcome.MISSING)
        check(root)  # terminates
    finally:
        signal.alarm(0)
    if form == "star":
        assert index.resolve("pkg.b_models", "Y").outcome is Outcome.DEFINED


def test_module_level_getattr_means_no_unresolved_findings(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "def __getattr__(name):\n    raise AttributeError(name)\n",
        "pkg/models.py": "from pkg import Lazy as Lazy\n",
        "app.py": "from pkg import Anything\nfrom pkg.models import Lazy\n",
    }
    root = make_project(tmp_path, files)
    assert build_index(root).resolve("pkg", "Anything").outcome is Outcome.UNKNOWN
    assert check(root) == []


# -- roots ---------------------------------------------------------------------------------


def test_namespace_packages(tmp_path: Path) -> None:
    files = {
        "acme/billing/models.py": "from .invoice_models import Invoice as Invoice\n",
        "acme/billing/invoice_models.py": "class Invoice: ...\n",
        "acme/shop/views.py": """
            import acme.billing
            import acme.billing.models
            from acme import billing
            from acme.billing import models
            from acme.billing.models import Invoice
            from acme.billing import nothing
        """,
    }
    root = make_project(tmp_path, files)
    index = build_index(root)
    assert index.resolve("acme", "billing").outcome is Outcome.MODULE
    findings = check(root)
    assert where(findings, root) == [("unresolved-import", "acme/shop/views.py", 6)]
    assert "`acme.billing` does not define `nothing`" in findings[0].message


def test_src_layout_seen_from_tests(tmp_path: Path) -> None:
    files = {
        "src/acme/__init__.py": "",
        "src/acme/models.py": "from .invoice_models import Invoice as Invoice\n",
        "src/acme/invoice_models.py": "class Invoice: ...\n",
        "tests/test_acme.py": "from acme.models import Invoice\nfrom acme.models import Gone\n",
    }
    root = make_project(tmp_path, files)
    assert module(build_index(root), "acme.models").root == root / "src"
    findings = check(root)
    assert where(findings, root) == [("unresolved-import", "tests/test_acme.py", 2)]


MULTI = {
    "services/platform/manage.py": "",
    "services/platform/apps/__init__.py": "",
    "services/platform/apps/billing/__init__.py": "",
    "services/platform/apps/billing/models.py": "from .invoice_models import Invoice as Invoice\n",
    "services/platform/apps/billing/invoice_models.py": "class Invoice: ...\n",
    "services/platform/apps/shop.py": "from apps.billing.models import Invoice\n",
    "services/portal/manage.py": "",
    "services/portal/apps/__init__.py": "",
    "services/portal/apps/billing/__init__.py": "",
    "services/portal/apps/billing/models.py": "from .receipt_models import Receipt as Receipt\n",
    "services/portal/apps/billing/receipt_models.py": "class Receipt: ...\n",
    "services/portal/apps/shop.py": "from apps.billing.models import Receipt\n",
}


def test_several_roots_resolve_within_each_root(tmp_path: Path) -> None:
    root = make_project(tmp_path, MULTI)
    index = build_index(root)
    assert len(index.by_name["apps.billing.models"]) == 2
    assert check(root) == []


@pytest.mark.parametrize(
    "line",
    [
        "from apps.billing.models import Invoice\n",
        "from apps.billing.invoice_models import Invoice\n",
        "import apps.billing.invoice_models\n",
    ],
)
def test_several_roots_do_not_leak_into_each_other(tmp_path: Path, line: str) -> None:
    root = make_project(tmp_path, {**MULTI, "services/portal/apps/shop.py": line})
    findings = check(root)
    assert where(findings, root) == [("unresolved-import", "services/portal/apps/shop.py", 1)]
    assert "it is defined in" not in findings[0].message  # not the other root's module


def test_hub_bypass_in_one_root_names_that_roots_hub(tmp_path: Path) -> None:
    files = {
        **MULTI,
        "services/portal/apps/billing/models.py": "",
        "services/portal/apps/shop.py": "from apps.billing.receipt_models import Receipt\n",
        "services/platform/apps/shop.py": "from apps.billing.invoice_models import Invoice\n",
    }
    root = make_project(tmp_path, files)
    findings = check(root)
    assert where(findings, root) == [("hub-bypass", "services/platform/apps/shop.py", 1)]
