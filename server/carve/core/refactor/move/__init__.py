"""`carve move`: `MoveSymbol` (planner.py) and its steps: what moves (dependencies,
partition), the source left as a hub (origin), the destination, importers rewritten."""
