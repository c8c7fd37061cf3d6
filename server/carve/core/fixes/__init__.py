"""Quick fixes: pure planners from findings to change sets (no protocol types here).

`quick_fixes(finding, ctx)` lists what a finding offers (cheap); `plan_fix` and
`plan_fix_all` compute the edits; `suppression_edit` writes `# carve: ignore[rule]`.
"""

from carve.core.fixes.catalog import SUPPRESS, FixContext, QuickFix, auto_fix, quick_fixes
from carve.core.fixes.fix_all import FixAllResult, plan_fix_all, verified_fix_all
from carve.core.fixes.imports import FixError
from carve.core.fixes.planner import FixPlanner, offered_fixes, plan_fix
from carve.core.fixes.suppress import DEFAULT_REASON, SuppressionEdit, suppression_edit

__all__ = [
    "DEFAULT_REASON",
    "SUPPRESS",
    "FixAllResult",
    "FixContext",
    "FixError",
    "FixPlanner",
    "QuickFix",
    "SuppressionEdit",
    "auto_fix",
    "offered_fixes",
    "plan_fix",
    "plan_fix_all",
    "quick_fixes",
    "suppression_edit",
    "verified_fix_all",
]
