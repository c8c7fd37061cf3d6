"""`carve split`: `SplitModule` (planner.py) applies a `SplitPlan` (plan.py) that
`FeatureGrouping` (grouping.py) proposes; `--deprecate` (deprecation.py)."""
