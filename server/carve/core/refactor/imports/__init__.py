"""`carve imports`: `RewriteImports` (rewrite_imports.py) migrates a hub's importers to
the defining modules or back through the hub; `--report` (hub_report.py)."""
