"""`carve check`: exit codes, formats, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import CarveRunner, make_project

HUB_PROJECT = {
    "apps/__init__.py": "",
    "apps/billing/__init__.py": "",
    "apps/billing/models.py": """
        from .invoice_models import Invoice as Invoice
        __all__ = ["Invoice"]
    """,
    "apps/billing/invoice_models.py": """
        class Invoice:
            pass
    """,
    "apps/orders/__init__.py": "",
    "apps/orders/views.py": """
        from apps.billing.invoice_models import Invoice  # bypasses the hub

        def show() -> Invoice:
            return Invoice()
    """,
}
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "shop"


def test_clean_project_exits_zero(tmp_path: Path, carve: CarveRunner) -> None:
    root = make_project(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "X = 1\n"})
    run = carve("check", str(root))
    assert run.code == 0
    assert "All checks passed (2 files)" in run.out


def test_findings_exit_one_and_text_is_ruff_like(tmp_path: Path, carve: CarveRunner) -> None:
    root = make_project(tmp_path, HUB_PROJECT)
    run = carve("check", str(root))
    assert run.code == 1
    assert run.out.splitlines()[0] == (
        "apps/orders/views.py:1:41: hub-bypass `Invoice` is re-exported by "
        "`apps.billing.models`; import it from there"
    )
    assert carve("check", str(root), "--exit-zero").code == 0


def test_select_and_ignore(tmp_path: Path, carve: CarveRunner) -> None:
    root = make_project(tmp_path, HUB_PROJECT)
    assert carve("check", str(root), "--ignore", "hub-bypass").code == 0
    assert carve("check", str(root), "--select", "import-cycle").code == 0
    assert carve("check", str(root), "--select", "hub-bypass").code == 1
    with pytest.raises(SystemExit) as exit_info:
        carve("check", str(root), "--select", "no-such-rule")
    assert exit_info.value.code == 2


def test_paths_limit_the_report_not_the_index(tmp_path: Path, carve: CarveRunner) -> None:
    root = make_project(tmp_path, HUB_PROJECT)
    assert carve("check", str(root / "apps" / "billing")).code == 0
    run = carve("check", str(root / "apps" / "orders" / "views.py"))
    assert run.code == 1 and "hub-bypass" in run.out


def test_summary_counts_the_checked_files_not_the_project(
    tmp_path: Path, carve: CarveRunner
) -> None:
    root = make_project(tmp_path, HUB_PROJECT)
    run = carve("check", str(root / "apps" / "orders" / "views.py"))
    assert run.out.endswith("Found 1 finding in 1 file.\n")
    assert carve("check", str(root / "apps" / "billing")).out == "All checks passed (3 files).\n"
    assert carve("check", str(root)).out.endswith("Found 1 finding in 6 files.\n")


def test_unwritable_report_or_baseline_is_an_error_not_a_traceback(
    tmp_path: Path, carve: CarveRunner
) -> None:
    root = make_project(tmp_path, HUB_PROJECT)
    report = tmp_path / "no" / "such" / "dir" / "report.txt"
    for option, what in (("--output", ""), ("--write-baseline", "baseline ")):
        run = carve("check", str(root), option, str(report))
        assert run.code == 2, run.err
        assert run.err == f"carve: error: cannot write {what}{report}: No such file or directory\n"


def test_write_baseline_with_a_missing_path_still_exits_2(
    tmp_path: Path, carve: CarveRunner
) -> None:
    root = make_project(tmp_path, HUB_PROJECT)
    run = carve("check", str(root), str(root / "nope.py"), "--write-baseline", str(root / "b.json"))
    assert run.code == 2 and "nope.py: no such file or directory" in run.err
    assert (root / "b.json").exists()


def test_json_format(tmp_path: Path, carve: CarveRunner) -> None:
    root = make_project(tmp_path, HUB_PROJECT)
    run = carve("check", "--format", "json", cwd=root)
    payload = json.loads(run.out)
    assert payload["version"] == 1
    [finding] = payload["findings"]
    assert finding == {
        "path": "apps/orders/views.py",
        "line": 1,
        "column": 41,
        "end_line": 1,
        "end_column": 48,
        "rule": "hub-bypass",
        "severity": "warning",
        "message": finding["message"],
        "symbol": "apps.billing.invoice_models.Invoice",
        **({"fix": finding["fix"]} if "fix" in finding else {}),
    }


def test_github_format(tmp_path: Path, carve: CarveRunner) -> None:
    root = make_project(tmp_path, HUB_PROJECT)
    run = carve("check", str(root), "--format", "github")
    assert run.out.startswith(
        "::warning file=apps/orders/views.py,line=1,col=41,endLine=1,endColumn=48,"
        "title=carve hub-bypass::hub-bypass: `Invoice` is re-exported"
    )


def test_sarif_is_valid_against_the_schema(carve: CarveRunner) -> None:
    schema_path = Path(__file__).parents[1] / "data" / "sarif-2.1.0-rtm.5.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    run = carve("check", str(EXAMPLE), "--format", "sarif", "--no-cache")
    document = json.loads(run.out)
    jsonschema.Draft4Validator(schema).validate(document)
    results = document["runs"][0]["results"]
    assert len(results) >= 12
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)


def test_statistics(tmp_path: Path, carve: CarveRunner) -> None:
    root = make_project(tmp_path, HUB_PROJECT)
    run = carve("check", str(root), "--statistics")
    assert run.out.splitlines()[0].split() == ["1", "hub-bypass"]


def test_invalid_config_names_file_and_key(tmp_path: Path, carve: CarveRunner) -> None:
    root = make_project(tmp_path, {"a.py": ""}, config="max-lines = -3")
    run = carve("check", str(root))
    assert run.code == 2
    assert str(root / "pyproject.toml") in run.err and "max-lines" in run.err
    root2 = make_project(tmp_path / "b", {"a.py": ""}, config='import-policy = "sideways"')
    assert "import-policy" in carve("check", str(root2)).err
    root3 = make_project(tmp_path / "c", {"a.py": ""}, config="colour = 1")
    assert "colour: unknown key" in carve("check", str(root3)).err


def test_missing_and_outside_paths(tmp_path: Path, carve: CarveRunner) -> None:
    root = make_project(tmp_path / "proj", {"a.py": "X = 1\n"})
    run = carve("check", str(root / "nope.py"))
    assert run.code == 2 and "nope.py: no such file or directory" in run.err
    outside = tmp_path / "elsewhere.py"
    outside.write_text("Y = 2\n")
    run = carve("check", str(root), str(outside))
    assert run.code == 2 and "outside the project" in run.err


def test_empty_directory(tmp_path: Path, carve: CarveRunner) -> None:
    (tmp_path / "carve.toml").write_text("")
    run = carve("check", str(tmp_path))
    assert run.code == 0 and "0 files" in run.out


def test_bad_files_are_reported_and_the_rest_checked(tmp_path: Path, carve: CarveRunner) -> None:
    files: dict[str, str | bytes] = dict(HUB_PROJECT)
    files["apps/broken.py"] = "def f(:\n    pass\n"
    files["apps/binary.py"] = b"\x00\x01\x02ELF"
    files["apps/latin.py"] = b"# -*- coding: utf-8 -*-\nX = '\xff\xfe'\n"
    root = make_project(tmp_path, files)
    (root / "apps" / "loop").mkdir()
    (root / "apps" / "loop" / "self").symlink_to(root / "apps", target_is_directory=True)
    run = carve("check", str(root), "--no-cache")
    assert run.code == 1
    assert "apps/broken.py:1:7: parse-error syntax error" in run.out
    assert "apps/binary.py:1:1: parse-error file contains NUL bytes" in run.out
    assert "apps/latin.py:2:1: parse-error cannot decode as utf-8" in run.out
    assert "hub-bypass" in run.out  # everything else is still checked
    assert "Traceback" not in run.err


def test_huge_generated_file_is_counted_not_parsed(tmp_path: Path, carve: CarveRunner) -> None:
    line = "VALUE_%d = %d  # generated\n"
    text = "".join(line % (i, i) for i in range(800_000))  # ~20 MB
    root = make_project(tmp_path, {"gen/__init__.py": "", "gen/table.py": text})
    run = carve("check", str(root), "--select", "parse-error,file-too-long")
    assert "gen/table.py:1:1: file-too-long 800000 lines" in run.out
    assert "parse-error not indexed" in run.out


def test_version_and_module_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "carve", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("carve ")


def test_check_does_not_import_the_language_server(tmp_path: Path) -> None:
    root = make_project(tmp_path, HUB_PROJECT)
    code = (
        "import sys\nfrom carve.cli.main import main\n"
        f"main(['check', {str(root)!r}, '--exit-zero'])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_example_project_shows_every_rule(carve: CarveRunner) -> None:
    run = carve("check", str(EXAMPLE), "--format", "json", "--no-cache")
    rules = {f["rule"] for f in json.loads(run.out)["findings"]}
    expected = {
        "parse-error", "file-too-long", "too-many-classes", "hub-bypass", "legacy-hub-import",
        "broken-reexport", "unresolved-import", "dunder-all-mismatch", "missing-reexport",
        "hub-self-import", "import-cycle", "invalid-suppression", "unused-suppression",
    }  # fmt: skip
    assert expected <= rules
