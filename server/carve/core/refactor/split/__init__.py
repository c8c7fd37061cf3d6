"""`carve split`: `SplitModule` (planner.py) applies a `SplitPlan` (plan.py) that
`FeatureGrouping` (grouping.py, over the modularity clustering of clustering.py)
proposes; `--deprecate` (deprecation.py)."""
