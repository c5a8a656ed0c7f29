"""Findings of `validate`, `fmt --check` and `check` as text, json or GitHub annotations."""

from __future__ import annotations

from collections.abc import Sequence

from ontology_tools.model import Finding, Severity
from ontology_tools.records import json_text
from ontology_tools.render.github import annotation


def as_text(findings: Sequence[Finding]) -> str:
    """One `path:line:col: severity rule-id message` line per finding."""
    return "".join(f.render() + "\n" for f in findings)


def as_json(findings: Sequence[Finding], files: int) -> str:
    """The findings document of schemas/findings.schema.json."""
    document = {
        "findings": [{"path": f.path, "line": f.line, "col": f.col, "severity": str(f.severity),
                      "rule": f.rule, "message": f.message} for f in findings],
        "summary": {"files": files, "errors": _count(findings, Severity.ERROR),
                    "warnings": _count(findings, Severity.WARNING)},
    }
    return json_text(document)


def as_github(findings: Sequence[Finding]) -> str:
    """GitHub Actions workflow commands: each finding becomes an annotation on its line."""
    return "".join(annotation("error" if f.severity is Severity.ERROR else "warning", f.message,
                              file=f.path, line=f.line, col=f.col, title=f.rule)
                   for f in findings)


def summary(findings: Sequence[Finding], files: int) -> str:
    """`3 errors, 1 warning in 64 files` — the closing line on stderr."""
    errors, warnings = _count(findings, Severity.ERROR), _count(findings, Severity.WARNING)
    if not findings:
        return f"{files} files valid"
    return (f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
            f"in {files} files")


def _count(findings: Sequence[Finding], severity: Severity) -> int:
    return sum(1 for f in findings if f.severity is severity)
