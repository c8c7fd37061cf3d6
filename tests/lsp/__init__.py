"""End-to-end tests of `carve serve`.

A package, so its conftest never shadows tests/conftest.py as module `conftest`.
"""
