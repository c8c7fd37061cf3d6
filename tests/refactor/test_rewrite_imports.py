"""`RewriteImports` (`carve imports --direct|--via-hub`): every importer form, both ways,
the import policy, batches, refusals by the verifier."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from move_harness import apply, assert_all_parse, build_index, make_project, problems, run_python

from carve.core.changeset import ChangeSet
from carve.core.refactor.imports.hub_targets import ImportsError, select_hubs
from carve.core.refactor.imports.rewrite_imports import ImportsRequest, RewriteImports, RewriteMode

DIRECT_POLICY = '[tool.carve.packages."apps.billing"]\nimport-policy = "direct"\n'
HUB = {
    "apps/__init__.py": "",
    "apps/billing/__init__.py": "",
    "apps/billing/models.py": """
        from .invoice_models import Invoice as Invoice
        from .invoice_models import InvoiceLine as InvoiceLine
        from .payment_models import Payment as Payment

        __all__ = ["Invoice", "InvoiceLine", "Payment"]
    """,
    "apps/billing/invoice_models.py": """
        class Invoice:
            pass


        class InvoiceLine:
            pass
    """,
    "apps/billing/payment_models.py": """
        class Payment:
            pass
    """,
    "apps/shop/__init__.py": "",
}


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def plan(
    root: Path,
    mode: str,
    target: str | None = "apps.billing.models",
    paths: tuple[str, ...] = (),
    limit: int | None = None,
) -> tuple[ChangeSet, RewriteImports]:
    planner = RewriteImports(
        build_index(root), ImportsRequest(RewriteMode(mode), target, paths, limit)
    )
    return planner.plan(), planner


def rewritten(tmp_path: Path, importer: str, mode: str, config: str = DIRECT_POLICY) -> str:
    root = make_project(tmp_path, {**HUB, "apps/shop/views.py": importer}, config)
    changes, _ = plan(root, mode)
    apply(root, changes)
    assert_all_parse(root)
    assert not problems(root)
    again, _ = plan(root, mode)
    assert again.is_empty(), again.unified_diff(root)  # idempotent
    return (root / "apps/shop/views.py").read_text(encoding="utf-8")


# importer before → after `--direct`, and back with `--via-hub`: True when that gives
# `before` again, else what it gives (None: not compared)
FORMS = {
    "one name": (
        "from apps.billing.models import Invoice\n",
        "from apps.billing.invoice_models import Invoice\n",
        True,
    ),
    "alias": (
        "from apps.billing.models import Invoice as Bill\n",
        "from apps.billing.invoice_models import Invoice as Bill\n",
        True,
    ),
    "multi-name line, two defining modules": (
        "from apps.billing.models import Invoice, Payment\n",
        "from apps.billing.invoice_models import Invoice\n"
        "from apps.billing.payment_models import Payment\n",
        True,
    ),
    "multi-name line, one defining module": (
        "from apps.billing.models import Invoice, InvoiceLine\n",
        "from apps.billing.invoice_models import Invoice, InvoiceLine\n",
        True,
    ),
    "parenthesized with a comment": (
        "from apps.billing.models import (\n    Invoice,  # the bill\n    InvoiceLine,\n)\n",
        "from apps.billing.invoice_models import (\n"
        "    Invoice,  # the bill\n    InvoiceLine,\n)\n",
        True,
    ),
    "merged into an existing import of the defining module": (
        "from apps.billing.invoice_models import InvoiceLine\n"
        "from apps.billing.models import Invoice, Payment\n",
        "from apps.billing.invoice_models import Invoice, InvoiceLine\n"
        "from apps.billing.payment_models import Payment\n",
        "from apps.billing.models import Invoice, InvoiceLine, Payment\n",
    ),
    "type checking stays type-only": (
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
        "    from apps.billing.models import Invoice\n",
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
        "    from apps.billing.invoice_models import Invoice\n",
        True,
    ),
    "function level stays lazy": (
        "def f():\n    from apps.billing.models import Invoice\n\n    return Invoice\n",
        "def f():\n    from apps.billing.invoice_models import Invoice\n\n    return Invoice\n",
        True,
    ),
    "try/except ImportError": (
        "try:\n    from apps.billing.models import Invoice\n"
        "except ImportError:\n    Invoice = None\n",
        "try:\n    from apps.billing.invoice_models import Invoice\n"
        "except ImportError:\n    Invoice = None\n",
        True,
    ),
    "module object, one defining module": (
        "import apps.billing.models as m\n\nprint(m.Invoice, m.InvoiceLine)\n",
        "import apps.billing.invoice_models as invoice_models\n\n"
        "print(invoice_models.Invoice, invoice_models.InvoiceLine)\n",
        "import apps.billing.models as models\n\nprint(models.Invoice, models.InvoiceLine)\n",
    ),
    "module object, two defining modules": (
        "from apps.billing import models\n\nprint(models.Invoice, models.Payment)\n",
        "from apps.billing import invoice_models, payment_models\n\n"
        "print(invoice_models.Invoice, payment_models.Payment)\n",
        True,
    ),
}


@pytest.mark.parametrize("form", FORMS, ids=list(FORMS))
def test_every_form_direct_and_back(tmp_path: Path, form: str) -> None:
    before, after, back = FORMS[form]
    assert rewritten(tmp_path, before, "direct") == after
    again = rewritten(tmp_path, after, "via-hub")
    if back is not None:
        assert again == (before if back is True else back)


PACKAGE_HUB = {
    "apps/__init__.py": "",
    "apps/billing/__init__.py": "",
    "apps/billing/models/__init__.py": """
        from .invoice import Invoice as Invoice
        from .payment import Payment as Payment
    """,
    "apps/billing/models/invoice.py": "class Invoice:\n    pass\n",
    "apps/billing/models/payment.py": "class Payment:\n    pass\n",
    "apps/shop/__init__.py": "",
    "apps/shop/views.py": """
        from apps.billing import models
        from apps.billing.models import Invoice


        def show():
            return models.Invoice, models.Payment, Invoice
    """,
}


def test_module_object_of_a_package_hub(tmp_path: Path) -> None:
    """Django's `from django.db import models` … `models.Q`: one import of the package's
    modules, names joined as isort writes them."""
    config = '[tool.carve.packages."apps.billing.models"]\nimport-policy = "direct"\n'
    root = make_project(tmp_path, PACKAGE_HUB, config)
    changes, _ = plan(root, "direct")
    apply(root, changes)
    assert (root / "apps/shop/views.py").read_text(encoding="utf-8") == dedent(
        """
        from apps.billing.models import invoice, payment
        from apps.billing.models.invoice import Invoice


        def show():
            return invoice.Invoice, payment.Payment, Invoice
        """
    )
    assert not problems(root)


def test_relative_imports_inside_the_package(tmp_path: Path) -> None:
    files = {
        **HUB,
        "apps/billing/services.py": "from .models import Invoice as I, Payment\n",
    }
    root = make_project(tmp_path, files)  # via-hub policy: insiders still go direct
    changes, _ = plan(root, "direct")
    apply(root, changes)
    assert (root / "apps/billing/services.py").read_text(encoding="utf-8") == (
        "from .invoice_models import Invoice as I\nfrom .payment_models import Payment\n"
    )
    assert not problems(root)
    back, _ = plan(root, "via-hub")
    assert back.is_empty()  # inside its package a module imports its siblings directly


def test_behaviour_unchanged(tmp_path: Path) -> None:
    script = "from apps.shop.views import show\nprint(show())\n"
    files = {
        **HUB,
        "apps/shop/views.py": """
            import apps.billing.models as m
            from apps.billing.models import Invoice, Payment


            def show():
                return Invoice.__module__, Payment.__module__, m.InvoiceLine.__module__
        """,
    }
    root = make_project(tmp_path, files, DIRECT_POLICY)
    output = run_python(root, script)
    changes, _ = plan(root, "direct")
    apply(root, changes)
    assert "apps.billing.models" not in (root / "apps/shop/views.py").read_text(encoding="utf-8")
    assert run_python(root, script) == output
    apply(root, plan(root, "via-hub")[0])
    assert run_python(root, script) == output


def test_star_imports_and_other_packages_names_stay(tmp_path: Path) -> None:
    files = {
        **HUB,
        "apps/billing/models.py": dedent(HUB["apps/billing/models.py"])
        + "from apps.shop.money import Money as Money\n",
        "apps/shop/money.py": "class Money:\n    pass\n",
        "apps/shop/views.py": "from apps.billing.models import *\n",
        "apps/shop/forms.py": "from apps.billing.models import Money\n",
    }
    root = make_project(tmp_path, files, DIRECT_POLICY)
    changes, _ = plan(root, "direct")
    assert changes.is_empty()  # `*` keeps working; `Money` is a convenience re-export


def test_hub_reexports_never_change(tmp_path: Path) -> None:
    files = {
        **HUB,
        "apps/billing/__init__.py": "from .models import Invoice as Invoice\n",
        "apps/shop/views.py": "from apps.billing import Invoice\n",
    }
    root = make_project(tmp_path, files, DIRECT_POLICY)
    changes, _ = plan(root, "direct", "apps/billing/")
    assert [c.path.name for c in changes.changes] == ["views.py"]
    assert changes.changes[0].new_text == "from apps.billing.invoice_models import Invoice\n"


def test_via_hub_policy_keeps_outsiders_on_the_hub(tmp_path: Path) -> None:
    files = {
        **HUB,
        "apps/billing/services.py": "from apps.billing.models import Payment\n",
        "apps/shop/views.py": "from apps.billing.models import Invoice\n",
    }
    root = make_project(tmp_path, files)  # default import-policy: via-hub
    changes, planner = plan(root, "direct")
    assert [c.path.name for c in changes.changes] == ["services.py"]
    assert any("kept 1 importer file(s)" in n and "via-hub" in n for n in changes.notes)
    assert sum(len(v) for v in planner.outcome.kept.values()) == 1


def test_via_hub_leaves_importers_the_hub_imports(tmp_path: Path) -> None:
    files = {
        **HUB,
        "apps/billing/models.py": dedent(HUB["apps/billing/models.py"])
        + "from apps.shop import hooks\n",
        "apps/shop/hooks.py": "from apps.billing.invoice_models import Invoice\n",
        "apps/shop/views.py": "from apps.billing.invoice_models import Invoice\n",
    }
    root = make_project(tmp_path, files)
    changes, planner = plan(root, "via-hub")
    assert [c.path.name for c in changes.changes] == ["views.py"]
    (reason,) = planner.outcome.kept
    assert "would be a cycle" in reason and planner.outcome.kept[reason] == {"apps.shop.hooks"}


def test_limit_and_paths(tmp_path: Path) -> None:
    importers = {
        f"apps/shop/v{n}.py": "from apps.billing.models import Invoice\n" for n in range(4)
    }
    root = make_project(tmp_path, {**HUB, **importers}, DIRECT_POLICY)
    changes, planner = plan(root, "direct", limit=3)
    assert [c.path.name for c in changes.changes] == ["v0.py", "v1.py", "v2.py"]
    assert planner.outcome.pending == 1 and any("--limit 3" in n for n in changes.notes)
    changes, _ = plan(root, "direct", paths=("apps/shop/v3.py", "apps/shop/v1*"))
    assert [c.path.name for c in changes.changes] == ["v1.py", "v3.py"]
    changes, _ = plan(root, "direct", paths=("apps/shop/",))
    assert len(changes.changes) == 4
    apply(root, plan(root, "direct", limit=2)[0])
    assert len(plan(root, "direct")[0].changes) == 2  # the next batch


def test_verifier_refuses_a_read_inside_an_import_cycle(tmp_path: Path) -> None:
    files = {
        **HUB,
        "apps/billing/invoice_models.py": "from apps.shop import registry\n\n\n"
        + dedent(HUB["apps/billing/invoice_models.py"]),
        "apps/shop/registry.py": "from apps.billing.models import Invoice, Payment\n",
        "apps/shop/views.py": "from apps.billing.models import Invoice\n",
    }
    root = make_project(tmp_path, files, DIRECT_POLICY)
    changes, planner = plan(root, "direct")
    assert [c.path.name for c in changes.changes] == ["views.py"]
    (refusal,) = planner.outcome.refused
    assert refusal.path.name == "registry.py" and "import cycle" in refusal.reason
    assert any(w.startswith("apps/shop/registry.py: left as it is:") for w in changes.warnings)
    batch, planner = plan(root, "direct", limit=1)  # views.py takes the refused file's place
    assert [c.path.name for c in batch.changes] == ["views.py"]
    assert [r.path.name for r in planner.outcome.refused] == ["registry.py"]


def test_targets(tmp_path: Path) -> None:
    files = {**HUB, "apps/shop/views.py": "from apps.billing.models import Invoice\n"}
    root = make_project(tmp_path, files)
    index = build_index(root)
    assert [h.name for h in select_hubs(index, "apps.billing.models")] == ["apps.billing.models"]
    assert [h.name for h in select_hubs(index, "apps.billing.*")] == ["apps.billing.models"]
    assert [h.name for h in select_hubs(index, str(root / "apps/billing"))] == [
        "apps.billing.models"
    ]
    assert [h.name for h in select_hubs(index, None)] == ["apps.billing.models"]
    with pytest.raises(ImportsError, match=r"no module `apps\.nope`"):
        select_hubs(index, "apps.nope")
    with pytest.raises(ImportsError, match="is not a hub"):
        select_hubs(index, "apps.billing.invoice_models")
    with pytest.raises(ImportsError, match="at least 1"):
        RewriteImports(index, ImportsRequest(RewriteMode.DIRECT, None, (), 0))
