"""file-too-long, too-many-classes, parse-error, internal-error."""

from __future__ import annotations

from collections.abc import Iterator

from carve.core.findings import Finding, Span
from carve.core.rules.context import RuleContext


def check_size(ctx: RuleContext) -> Iterator[Finding]:
    max_lines, max_classes = ctx.config.max_lines, ctx.config.max_classes
    for module in ctx.reported_modules():
        summary = module.summary
        if summary.line_count > max_lines:
            yield ctx.finding(
                "file-too-long",
                module,
                Span(1, 0, 1, 0),
                f"{summary.line_count} lines (max {max_lines}) with {summary.class_count} "
                f"top-level classes and {summary.function_count} functions; "
                "split it into feature files",
                symbol=module.name,
            )
        if summary.class_count > max_classes:
            yield ctx.finding(
                "too-many-classes",
                module,
                Span(1, 0, 1, 0),
                f"{summary.class_count} top-level classes (max {max_classes})",
                symbol=module.name,
            )


def check_parse_errors(ctx: RuleContext) -> Iterator[Finding]:
    for module in ctx.reported_modules():
        error = module.summary.parse_error
        if error is not None:
            line, column, message = error
            rule = "internal-error" if module.summary.internal_error else "parse-error"
            span = Span(line, column, line, column + 1)
            yield ctx.finding(rule, module, span, message, module.name)
