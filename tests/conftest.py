"""Shared helpers: small fixture projects written inside each test, then checked."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from carve.core.check import CheckOptions, run_checks
from carve.core.config import load_config
from carve.core.findings import Finding
from carve.core.index import WorkspaceIndex
from carve.core.project import Project


def make_project(tmp_path: Path, files: dict[str, str | bytes], config: str = "") -> Path:
    """Write `files` (dedented text, or raw bytes) under `tmp_path` with a pyproject.toml
    holding `[tool.carve]` plus `config`; returns the project root."""
    root = tmp_path
    root.mkdir(parents=True, exist_ok=True)
    pyproject = "[tool.carve]\n" + textwrap.dedent(config).strip() + "\n"
    if "pyproject.toml" not in files:
        (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def build_index(root: Path) -> WorkspaceIndex:
    return Project(load_config(root), use_cache=False).build()


def check(root: Path, select: Iterable[str] | None = None) -> list[Finding]:
    """Every finding `carve check` reports for the project at `root` (optionally one rule set)."""
    config = load_config(root)
    index = Project(config, use_cache=False).build()
    options = CheckOptions(select=frozenset(select or ()))
    return run_checks(index, config, options).findings


def where(findings: Iterable[Finding], root: Path) -> list[tuple[str, str, int]]:
    """(rule, posix path relative to root, line) per finding: compact for assertions."""
    return [(f.rule, f.path.relative_to(root).as_posix(), f.span.line) for f in findings]


@dataclass
class Run:
    """What one in-process `carve …` invocation returned and printed."""

    code: int
    out: str
    err: str


CarveRunner = Callable[..., Run]


@pytest.fixture
def carve(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> CarveRunner:
    """Run the real CLI entry point in-process (fast) and capture its output."""
    from carve.cli.main import main

    def run(*args: str, cwd: Path | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run
