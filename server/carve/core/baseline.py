"""Baselines: record today's findings so CI fails only on new ones, and only shrinks.

Entries are keyed by path + rule + symbol (never the line), with a count, so edits that
shift lines keep matching. Entries no longer found are reported as `stale-baseline`.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from carve.core.findings import Finding, Severity, Span

BASELINE_VERSION = 1

Key = tuple[str, str, str]


class BaselineError(Exception):
    pass


def _key(finding: Finding, root: Path) -> Key:
    return (relative_path(finding.path, root), finding.rule, finding.symbol)


def relative_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def write_baseline(findings: list[Finding], root: Path, target: Path) -> int:
    counts = Counter(_key(f, root) for f in findings if f.rule != "stale-baseline")
    entries = [
        {"path": p, "rule": r, "symbol": s, "count": n} for (p, r, s), n in sorted(counts.items())
    ]
    data = {"version": BASELINE_VERSION, "entries": entries}
    target.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(entries)


def read_baseline(source: Path) -> Counter[Key]:
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
        if data.get("version") != BASELINE_VERSION:
            raise BaselineError(f"{source}: unsupported baseline version {data.get('version')!r}")
        return Counter(
            {(e["path"], e["rule"], e["symbol"]): int(e.get("count", 1)) for e in data["entries"]}
        )
    except OSError as exc:
        raise BaselineError(f"{source}: cannot read baseline: {exc.strerror or exc}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BaselineError(f"{source}: not a carve baseline ({exc})") from None


def apply_baseline(
    findings: list[Finding], baseline: Counter[Key], root: Path, baseline_path: Path
) -> list[Finding]:
    remaining = Counter(baseline)
    kept: list[Finding] = []
    for finding in findings:
        key = _key(finding, root)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            kept.append(finding)
    for (path, rule, symbol), count in sorted(remaining.items()):
        if count <= 0:
            continue
        kept.append(
            Finding(
                "stale-baseline",
                baseline_path,
                Span(1, 0, 1, 0),
                f"baseline entry no longer occurs ({count} times): {path} {rule} {symbol}; "
                "re-run with --write-baseline to shrink the baseline",
                Severity.WARNING,
                f"{path}:{rule}:{symbol}",
            )
        )
    return kept
