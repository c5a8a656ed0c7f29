"""`ontology validate`: JSON Schema and cross-file rules over the files of an ontology."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ontology_tools import yamlio
from ontology_tools.model import NOTES_DIR, ONTOLOGY_FILE, Finding, Severity, rogue_id_for
from ontology_tools.project import Settings
from ontology_tools.schemas import schema_errors
from ontology_tools.validation import kpi_rules  # noqa: F401  (registers the KPI rules)
from ontology_tools.validation.context import KpiFile, OntologyContext, Stamp
from ontology_tools.validation.registry import RULES, Issue

IGNORED_NAMES = frozenset({".gitkeep", ".DS_Store"})


@dataclass(frozen=True)
class Report:
    """The findings of one run, sorted by file and position, and how many files were read."""

    findings: tuple[Finding, ...]
    files: int

    @property
    def errors(self) -> int:
        """How many findings are errors."""
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        """How many findings are warnings."""
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)


@dataclass(frozen=True)
class Baseline:
    """What the last release says: the stamps it wrote and every id that ever existed."""

    stamps: Mapping[str, Stamp]
    past_ids: frozenset[str]


class _Files:
    """The text of each file read, to find the position of each finding in it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.text: dict[str, str] = {}

    def load(self, rel: str) -> tuple[Any, Finding | None]:
        data = (self.root / rel).read_bytes()
        try:
            parsed = yamlio.load_fast(data)
        except yamlio.YamlProblem as problem:
            return None, Finding(rel, problem.line, problem.col, Severity.ERROR, problem.rule,
                                 problem.message)
        self.text[rel] = data.decode("utf-8")
        return parsed, None

    def finding(self, rel: str, rule: str, issue: Issue) -> Finding:
        line, col = yamlio.locate(self.text[rel], issue.at, on_key=issue.on_key)
        return Finding(rel, line, col, RULES[rule].severity, rule, issue.message)


def validate(root: Path, only: Collection[str] | None = None,
             baseline: Baseline | None = None) -> Report:
    """Validate the ontology under `root`; report findings of `only` these files when given."""
    files = _Files(root)
    findings: list[Finding] = []
    config, problem = files.load(ONTOLOGY_FILE)
    config_findings = list(_check_config(files, config, problem))
    findings.extend(config_findings)
    settings = Settings.from_config(config if isinstance(config, dict) else {})
    kpis: dict[str, KpiFile] = {}
    unreadable: set[str] = set()
    paths = _source_paths(root)
    for rel in paths:
        rogue_id = rogue_id_for(rel)
        if rogue_id is None:
            findings.append(Finding(rel, 1, 1, Severity.ERROR, "layout",
                                    "not a KPI file: KPIs live at ontology/<domain>/<slug>.yaml"))
            continue
        kpi_file, file_findings = _load_kpi(files, rel)
        findings.extend(file_findings)
        if kpi_file is not None:
            kpis[rogue_id] = kpi_file
        else:
            unreadable.add(rogue_id)
    ctx = OntologyContext(
        settings=settings, kpis=kpis, ids_by_path={k.path: i for i, k in kpis.items()},
        released=baseline.stamps if baseline else None,
        past_ids=baseline.past_ids if baseline else frozenset(),
        unreadable_ids=frozenset(unreadable), vocabulary_known=not config_findings)
    for kpi_file in kpis.values():
        findings.extend(_check_kpi(files, kpi_file, ctx))
    findings.extend(_check_notes(files, root, ctx))
    if only is not None:
        wanted = set(only)
        findings = [f for f in findings if f.path in wanted]
    return Report(tuple(sorted(findings)), len(paths) + 1)


def _source_paths(root: Path) -> list[str]:
    folder = root / "ontology"
    found = (p for p in folder.rglob("*") if p.is_file() and p.name not in IGNORED_NAMES)
    return sorted(p.relative_to(root).as_posix() for p in found
                  if p.relative_to(root).as_posix() != ONTOLOGY_FILE)


def _check_config(files: _Files, config: Any, problem: Finding | None) -> Iterable[Finding]:
    if problem is not None:
        yield problem
        return
    for error in schema_errors("ontology", config):
        yield files.finding(ONTOLOGY_FILE, "schema",
                            Issue(error.path, error.message, on_key=error.on_key))


def _load_kpi(files: _Files, rel: str) -> tuple[KpiFile | None, list[Finding]]:
    data, problem = files.load(rel)
    if problem is not None:
        return None, [problem]
    errors = [files.finding(rel, "schema", Issue(e.path, e.message, on_key=e.on_key))
              for e in schema_errors("kpi", data)]
    return (None if errors else KpiFile(rel, data)), errors


def _check_kpi(files: _Files, kpi_file: KpiFile, ctx: OntologyContext) -> Iterable[Finding]:
    for rule in RULES.values():
        if rule.check is None:
            continue
        for issue in rule.check(kpi_file, ctx):
            yield files.finding(issue.path or kpi_file.path, rule.id, issue)


def _check_notes(files: _Files, root: Path, ctx: OntologyContext) -> Iterable[Finding]:
    folder = root / NOTES_DIR
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.yaml")):
        rel = path.relative_to(root).as_posix()
        data, problem = files.load(rel)
        if problem is not None:
            yield problem
            continue
        errors = list(schema_errors("note", data))
        for error in errors:
            yield files.finding(rel, "schema", Issue(error.path, error.message,
                                                     on_key=error.on_key))
        if errors:
            continue
        for index, rogue_id in enumerate(data["kpis"]):
            if not ctx.existed(rogue_id):
                yield files.finding(rel, "note-unknown-kpi", Issue(
                    ("kpis", index), f"the note names {rogue_id!r}, which is not a KPI"))
