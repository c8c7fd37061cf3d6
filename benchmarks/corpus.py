"""Fetch real-world corpora into benchmarks/.corpus/ (gitignored).

Usage: python benchmarks/corpus.py [django]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent / ".corpus"
DJANGO_VERSION = "5.1.4"


def ensure_django(version: str = DJANGO_VERSION) -> Path:
    """Return the unpacked Django tree (the dir holding `django/`), fetching it once."""
    dest = CORPUS_DIR / f"django-{version}"
    # Written only after a full unzip, so an interrupted run is redone, not trusted.
    marker = dest / ".complete"
    if marker.exists():
        return _own_project(dest)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                f"django=={version}",
                "--no-deps",
                "--only-binary=:all:",
                "--dest",
                tmp,
                "--quiet",
            ],
            check=True,
        )
        wheel = next(Path(tmp).glob("Django-*.whl"), None) or next(Path(tmp).glob("*.whl"))
        with zipfile.ZipFile(wheel) as zf:
            zf.extractall(dest)
    marker.touch()
    return _own_project(dest)


def _own_project(tree: Path) -> Path:
    """An empty carve.toml makes the tree its own project: without it carve would take the
    repository's pyproject.toml as the project root (and gitignore the corpus)."""
    (tree / "carve.toml").touch()
    return tree


CORPORA = {"django": ensure_django}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # No `choices=`: on Python < 3.12 it rejects an empty nargs="*" list.
    parser.add_argument("names", nargs="*", help=f"corpora (default: all of {sorted(CORPORA)})")
    args = parser.parse_args(argv)
    unknown = set(args.names) - set(CORPORA)
    if unknown:
        parser.error(f"unknown corpus: {', '.join(sorted(unknown))}")
    for name in args.names or sorted(CORPORA):
        path = CORPORA[name]()
        files = list(path.rglob("*.py"))
        lines = sum(p.read_bytes().count(b"\n") for p in files)
        print(f"{name}: {path} ({len(files)} .py files, {lines} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
