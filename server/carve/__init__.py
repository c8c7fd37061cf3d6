"""carve: carve monolithic Python modules into feature files without breaking imports."""

__version__ = "0.1.0"
