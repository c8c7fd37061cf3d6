"""Rendering findings: text (like ruff), json, GitHub workflow annotations, SARIF 2.1.0."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from carve import __version__
from carve.core.baseline import relative_path
from carve.core.findings import Finding, Fix, Severity
from carve.core.rules.registry import RULES

FORMATS = ("text", "json", "github", "sarif")
JSON_VERSION = 1


def render(findings: list[Finding], fmt: str, root: Path) -> str:
    if fmt == "json":
        return render_json(findings, root)
    if fmt == "github":
        return "".join(_github(f, root) + "\n" for f in findings)
    if fmt == "sarif":
        return json.dumps(sarif(findings, root), indent=2) + "\n"
    relative = _relative_paths(root)
    return "".join(
        f"{relative(f.path)}:{f.span.line}:{f.span.column + 1}: {f.rule} {f.message}\n"
        for f in findings
    )


def finding_to_json(finding: Finding, root: Path) -> dict[str, object]:
    data: dict[str, object] = {
        "path": relative_path(finding.path, root),
        "line": finding.span.line,
        "column": finding.span.column + 1,
        "end_line": finding.span.end_line,
        "end_column": finding.span.end_column + 1,
        "rule": finding.rule,
        "severity": finding.severity.value,
        "message": finding.message,
        "symbol": finding.symbol,
    }
    if finding.fix is not None:
        data["fix"] = _fix_to_json(finding.fix, root)
    return data


def _fix_to_json(
    fix: Fix, root: Path, relative: Callable[[Path], str] | None = None
) -> dict[str, object]:
    relative = relative or (lambda path: relative_path(path, root))
    return {
        "title": fix.title,
        "edits": [
            {
                "path": relative(edit.path),
                "line": edit.span.line,
                "column": edit.span.column + 1,
                "end_line": edit.span.end_line,
                "end_column": edit.span.end_column + 1,
                "new_text": edit.new_text,
            }
            for edit in fix.edits
        ],
    }


def render_json(findings: list[Finding], root: Path) -> str:
    """`{"version": 1, "findings": [finding_to_json(...), ...]}` as `json.dumps(...,
    indent=2, ensure_ascii=False)` writes it, built directly (json's indenting encoder
    is pure Python: it cost more than the check itself on a warm 1M-line run)."""
    relative = _relative_paths(root)
    items = [_finding_json(f, root, relative) for f in findings]
    body = "[\n    " + ",\n    ".join(items) + "\n  ]" if items else "[]"
    return f'{{\n  "version": {JSON_VERSION},\n  "findings": {body}\n}}\n'


def _relative_paths(root: Path) -> Callable[[Path], str]:
    """`relative_path` remembered per path (a file's findings share it); a path below
    `root` is cut as a string (the same parts, without building another Path)."""
    known: dict[Path, str] = {}
    prefix = str(root).rstrip(os.sep) + os.sep

    def relative(path: Path) -> str:
        text = known.get(path)
        if text is None:
            whole = str(path)
            if whole.startswith(prefix) and len(whole) > len(prefix):
                text = whole[len(prefix) :]
                text = text if os.sep == "/" else text.replace(os.sep, "/")
            else:
                text = relative_path(path, root)
            known[path] = text
        return text

    return relative


def _finding_json(finding: Finding, root: Path, relative: Callable[[Path], str]) -> str:
    span, encode = finding.span, _encode_string
    fields = [
        f'"path": {encode(relative(finding.path))}',
        f'"line": {int(span.line)}',
        f'"column": {int(span.column) + 1}',
        f'"end_line": {int(span.end_line)}',
        f'"end_column": {int(span.end_column) + 1}',
        f'"rule": {encode(finding.rule)}',
        f'"severity": {encode(finding.severity.value)}',
        f'"message": {encode(finding.message)}',
        f'"symbol": {encode(finding.symbol)}',
    ]
    if finding.fix is not None:
        parts = ['"fix": ']
        _pretty(_fix_to_json(finding.fix, root, relative), "\n      ", parts)
        fields.append("".join(parts))
    return "{\n      " + ",\n      ".join(fields) + "\n    }"


def pretty_json(value: object) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)`, byte for byte, 3x faster:
    with an indent, json's encoder is the pure-Python one (a generator per level)."""
    parts: list[str] = []
    _pretty(value, "\n", parts)
    return "".join(parts)


_encode_string = json.encoder.encode_basestring  # the C one where available


def _pretty(value: object, newline: str, parts: list[str]) -> None:
    if isinstance(value, str):
        parts.append(_encode_string(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, int):
        parts.append(int.__repr__(value))
    elif isinstance(value, float):
        parts.append(json.dumps(value))
    elif isinstance(value, dict) and all(isinstance(k, str) for k in value):
        if not value:
            parts.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            parts.append(separator)
            parts.append(_encode_string(key))
            parts.append(": ")
            _pretty(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            parts.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            parts.append(separator)
            _pretty(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "]")
    else:  # anything else json knows how to write (or refuses to)
        text = json.dumps(value, indent=2, ensure_ascii=False)
        parts.append(text.replace("\n", newline))


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github(finding: Finding, root: Path) -> str:
    level = {"error": "error", "warning": "warning"}.get(finding.severity.value, "notice")
    props = ",".join(
        [
            f"file={_escape_property(relative_path(finding.path, root))}",
            f"line={finding.span.line}",
            f"col={finding.span.column + 1}",
            f"endLine={finding.span.end_line}",
            f"endColumn={finding.span.end_column + 1}",
            f"title={_escape_property('carve ' + finding.rule)}",
        ]
    )
    return f"::{level} {props}::{_escape_data(finding.rule + ': ' + finding.message)}"


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def sarif(findings: list[Finding], root: Path) -> dict[str, object]:
    rule_ids = sorted(RULES)
    rules = [
        {
            "id": name,
            "name": name,
            "shortDescription": {"text": RULES[name].summary},
            "helpUri": RULES[name].url,
            "defaultConfiguration": {"level": _SARIF_LEVEL.get(RULES[name].severity, "warning")},
        }
        for name in rule_ids
    ]
    results = [
        {
            "ruleId": f.rule,
            "ruleIndex": rule_ids.index(f.rule),
            "level": _SARIF_LEVEL.get(f.severity, "warning"),
            "message": {"text": f.message},
            "partialFingerprints": {"carveSymbol/v1": f"{f.rule}:{f.symbol}"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": relative_path(f.path, root),
                            "uriBaseId": "%SRCROOT%",
                        },
                        "region": {
                            "startLine": f.span.line,
                            "startColumn": f.span.column + 1,
                            "endLine": f.span.end_line,
                            "endColumn": max(f.span.end_column + 1, 1),
                        },
                    }
                }
            ],
        }
        for f in findings
    ]
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "carve",
                        "version": __version__,
                        "informationUri": "https://github.com/carve-dev/carve",
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri() + "/"}},
                "results": results,
            }
        ],
    }


def statistics(findings: list[Finding]) -> str:
    counts = Counter(f.rule for f in findings)
    width = max((len(r) for r in counts), default=0)
    return "".join(f"{n:>6}  {r:<{width}}\n" for r, n in counts.most_common())
