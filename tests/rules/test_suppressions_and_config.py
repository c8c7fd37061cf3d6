"""Inline `# carve: ignore[rule] reason`, severities, per-file-ignores and hub patterns."""

from __future__ import annotations

from pathlib import Path

import pytest

from carve.core.findings import Severity

from conftest import build_index, check, make_project, where

HUB = {
    "apps/__init__.py": "",
    "apps/billing/__init__.py": "",
    "apps/billing/models.py": "from .invoice_models import Invoice as Invoice\n",
    "apps/billing/invoice_models.py": "class Invoice:\n    pass\n",
    "apps/shop/__init__.py": "",
}
BYPASS = "from apps.billing.invoice_models import Invoice"


def project(tmp_path: Path, views: str, config: str = "", **extra: str) -> Path:
    more = {k.replace("__", "/").replace("_py", ".py"): v for k, v in extra.items()}
    files = {**HUB, "apps/shop/views.py": views, **more}
    return make_project(tmp_path, files, config)


# -- suppressions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "comment",
    [
        "# carve: ignore[hub-bypass] migrating in PR 42",
        "#carve:ignore[hub-bypass]  vendored",
        "# carve: ignore[unresolved-import, hub-bypass] both on purpose",
        "# carve: ignore no rule list suppresses all rules",
        "# noqa: F401  # carve: ignore[hub-bypass] behind another tool's comment",
    ],
)
def test_suppression_with_a_reason_suppresses(tmp_path: Path, comment: str) -> None:
    root = project(tmp_path, f"{BYPASS}  {comment}\n")
    assert check(root) == []


def test_suppression_covers_a_name_on_its_own_line(tmp_path: Path) -> None:
    views = (
        "from apps.billing.invoice_models import (\n"
        "    Invoice,  # carve: ignore[hub-bypass] kept for the report module\n"
        ")\n"
    )
    assert check(project(tmp_path, views)) == []


def test_suppression_without_a_reason_is_invalid_but_still_suppresses(tmp_path: Path) -> None:
    root = project(tmp_path, f"{BYPASS}  # carve: ignore[hub-bypass]\n")
    findings = check(root)
    assert where(findings, root) == [("invalid-suppression", "apps/shop/views.py", 1)]
    assert findings[0].message == "`carve: ignore` needs a reason after the rule list"
    assert findings[0].span.column == len(BYPASS) + 2


def test_suppression_of_an_unknown_rule_is_invalid(tmp_path: Path) -> None:
    root = project(tmp_path, f"{BYPASS}  # carve: ignore[hub-bypas] typo\n")
    findings = check(root)
    assert where(findings, root) == [
        ("hub-bypass", "apps/shop/views.py", 1),
        ("invalid-suppression", "apps/shop/views.py", 1),
    ]
    assert findings[1].message == "unknown rule in `carve: ignore`: hub-bypas"


def test_unused_suppression_is_reported(tmp_path: Path) -> None:
    views = "from apps.billing.models import Invoice  # carve: ignore[hub-bypass] old\n"
    root = project(tmp_path, views)
    findings = check(root)
    assert where(findings, root) == [("unused-suppression", "apps/shop/views.py", 1)]
    assert findings[0].message == "`carve: ignore[hub-bypass]` suppresses nothing here"


def test_suppression_for_another_rule_does_not_suppress(tmp_path: Path) -> None:
    root = project(tmp_path, f"{BYPASS}  # carve: ignore[import-cycle] wrong rule\n")
    assert sorted(f.rule for f in check(root)) == ["hub-bypass", "unused-suppression"]


def test_suppression_of_a_deselected_rule_is_not_called_unused(tmp_path: Path) -> None:
    views = "from apps.billing.models import Invoice  # carve: ignore[hub-bypass] old\n"
    root = project(tmp_path, views)
    assert check(root, ["unresolved-import", "unused-suppression"]) == []


def test_suppression_of_a_rule_turned_off_is_not_called_unused(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        f"{BYPASS}  # carve: ignore[hub-bypass] old\n",
        '[tool.carve.severity]\nhub-bypass = "off"',
    )
    assert check(root) == []


def test_suppressions_in_strings_are_not_suppressions(tmp_path: Path) -> None:
    root = project(tmp_path, 'HELP = "write # carve: ignore[hub-bypass] to silence it"\n')
    assert check(root) == []


# -- severities ------------------------------------------------------------------------------


def test_default_severities(tmp_path: Path) -> None:
    root = project(tmp_path, f"{BYPASS}\nfrom apps.billing.models import Gone\n")
    assert [(f.rule, f.severity) for f in check(root)] == [
        ("hub-bypass", Severity.WARNING),
        ("unresolved-import", Severity.ERROR),
    ]


def test_per_rule_severity_and_off(tmp_path: Path) -> None:
    config = '[tool.carve.severity]\nhub-bypass = "error"\nunresolved-import = "off"'
    root = project(tmp_path, f"{BYPASS}\nfrom apps.billing.models import Gone\n", config)
    assert [(f.rule, f.severity) for f in check(root)] == [("hub-bypass", Severity.ERROR)]


# -- per-file-ignores ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "rules", "left"),
    [
        ("apps/shop/*.py", '["hub-bypass"]', ["unresolved-import"]),
        ("apps/shop/views.py", '["all"]', []),
        ("apps/shop/", '["hub-bypass", "unresolved-import"]', []),
        ("apps/other/*.py", '["all"]', ["hub-bypass", "unresolved-import"]),
        ("**/views.py", '["unresolved-import"]', ["hub-bypass"]),
    ],
)
def test_per_file_ignores(tmp_path: Path, pattern: str, rules: str, left: list[str]) -> None:
    config = f'[tool.carve.per-file-ignores]\n"{pattern}" = {rules}'
    root = project(tmp_path, f"{BYPASS}\nfrom apps.billing.models import Gone\n", config)
    assert [f.rule for f in check(root)] == left


# -- hub patterns --------------------------------------------------------------------------


def test_hub_patterns_replace_detection_by_content(tmp_path: Path) -> None:
    """With `hubs` set only matching modules are hubs: `apps.billing.models` is not one."""
    api = "from .invoice_models import Invoice as Invoice\n"
    root = project(tmp_path, f"{BYPASS}\n", 'hubs = ["apps.*.api"]', apps__billing__api_py=api)
    index = build_index(root)
    assert sorted(m.name for m in index.hubs()) == ["apps.billing.api"]
    findings = check(root)
    assert where(findings, root) == [("hub-bypass", "apps/shop/views.py", 1)]
    assert "re-exported by `apps.billing.api`" in findings[0].message


def test_content_detection_without_hub_patterns(tmp_path: Path) -> None:
    root = project(tmp_path, "")
    assert sorted(m.name for m in build_index(root).hubs()) == ["apps.billing.models"]
