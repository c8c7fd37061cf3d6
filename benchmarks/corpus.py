"""Fetch real-world corpora into benchmarks/.corpus/ (gitignored).

Usage: python benchmarks/corpus.py [django]

`ensure_sdist(name, version)` fetches one pinned PyPI sdist into `.corpus/sdist/` and
unpacks it once (the corpus of `corpus_check.py`).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
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
        _pip_download(f"django=={version}", tmp, "--only-binary=:all:")
        wheel = next(Path(tmp).glob("Django-*.whl"), None) or next(Path(tmp).glob("*.whl"))
        with zipfile.ZipFile(wheel) as zf:
            zf.extractall(dest)
    marker.touch()
    return _own_project(dest)


def _pip_download(spec: str, dest: str, *flags: str) -> None:
    """`pip download SPEC` alone (no dependencies) into `dest`, quietly."""
    command = [sys.executable, "-m", "pip", "download", spec, "--no-deps", *flags]
    subprocess.run([*command, "--dest", dest, "--quiet"], check=True, capture_output=True)


def ensure_sdist(name: str, version: str) -> Path:
    """Return the unpacked sdist tree of `name==version` (the dir holding its setup files),
    fetching it once. Only the project itself is taken as source (`--no-binary NAME`);
    its build backend may come as a wheel, which pip needs to read the sdist's metadata."""
    dest = CORPUS_DIR / "sdist" / f"{name.lower()}-{version}"
    marker = dest / ".complete"
    if marker.exists():
        return _own_project(_single_child(dest))
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        _pip_download(f"{name}=={version}", tmp, "--no-binary", name)
        archive = next(p for p in Path(tmp).iterdir() if p.is_file())
        if archive.suffix == ".zip":
            with zipfile.ZipFile(archive) as zf:
                zf.extractall(dest)
        else:
            with tarfile.open(archive) as tf:
                tf.extractall(dest, filter="data")
    marker.touch()
    return _own_project(_single_child(dest))


def _single_child(dest: Path) -> Path:
    """An sdist unpacks into one `name-version/` directory."""
    children = [p for p in dest.iterdir() if p.is_dir()]
    return children[0] if len(children) == 1 else dest


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
