"""Every check of `ontology validate`: JSON Schema and cross-file rules over the files of an
ontology (what a run does when `validation.replay` cannot answer for it)."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ontology_tools import layout, yamlio
from ontology_tools.gitrepo import blob_sha
from ontology_tools.layout import ONTOLOGY_FILE, Entry, PathProblem, rogue_id_for
from ontology_tools.model import Finding, Severity, Stamp, ValidationBaseline
from ontology_tools.project import Settings
from ontology_tools.validation import Report
from ontology_tools.validation.cache import SchemaVerdicts, file_results
from ontology_tools.validation.config_rules import TAG_PREFIX_INVALID, tag_prefix_issues
from ontology_tools.validation.context import KpiFile, OntologyContext
from ontology_tools.validation.dispute_rules import check_disputes, project_releases
from ontology_tools.validation.registry import RULES, Issue

if TYPE_CHECKING:
    from ontology_tools.project import Project
    from ontology_tools.project.disputes import KpiReleases

CHANGELOG_FILE = "changelog/CHANGELOG.md"


class _ReleasedStamps(Mapping[str, Stamp]):
    """The baseline's stamps, taken from the worktree's own data for files the release left."""

    def __init__(self, baseline: ValidationBaseline, kpis: Mapping[str, KpiFile],
                 files: _Files) -> None:
        self._baseline = baseline
        self._kpis = kpis
        self._files = files

    def __getitem__(self, rogue_id: str) -> Stamp:
        kpi_file = self._kpis.get(rogue_id)
        released = self._baseline.digests.get(rogue_id)
        if kpi_file is not None and released is not None and \
                released == blob_sha(self._files.raw[kpi_file.path]):
            data = kpi_file.data
            return Stamp(_text(data.get("version")), _text(data.get("releasedAt")))
        return self._baseline.stamps[rogue_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._baseline.stamps)

    def __len__(self) -> int:
        return len(self._baseline.stamps)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


class _Files:
    """The files read, and the positions of the findings in each (one parse per file)."""

    def __init__(self, root: Path, verdicts: SchemaVerdicts) -> None:
        self.root = root
        self.verdicts = verdicts
        self.text: dict[str, str] = {}
        self.raw: dict[str, bytes] = {}
        self._positions: dict[str, yamlio.Positions] = {}

    def read(self, entry: Entry) -> bytes:
        """The bytes of a file whose checks may run from the cache (decoded only if needed)."""
        data = self.raw[entry.path] = layout.read_entry(self.root, entry)
        return data

    def load(self, rel: str, entry: Entry | None = None) -> tuple[Any, Finding | None]:
        """Parse a file read here (a fixed path, or a listed entry); a finding if it fails."""
        try:
            data = layout.read_entry(self.root, entry) if entry else layout.read_file(
                self.root, rel)
        except layout.PathRefused as refused:
            return None, path_finding(rel, refused.problem)
        try:
            parsed = yamlio.load_fast(data)
        except yamlio.YamlProblem as problem:
            return None, Finding(rel, problem.line, problem.col, Severity.ERROR, problem.rule,
                                 problem.message)
        self.raw[rel] = data
        self.text[rel] = data.decode("utf-8")
        return parsed, None

    def conforming(self, rel: str, schema: str, entry: Entry) -> tuple[Any, list[Finding]]:
        """A listed file parsed and checked against `schema`: its data (None unless it parsed
        and conforms) and the findings that say why not."""
        data, failure = self.load(rel, entry)
        if failure is not None:
            return None, [failure]
        findings = self.schema_findings(schema, rel, data)
        return (None if findings else data), findings

    def schema_findings(self, name: str, rel: str, instance: Any) -> list[Finding]:
        """A `schema` finding for each violation of schema `name` by a file read here (the
        verdict is kept by the file's hash)."""
        return [self.finding(rel, "schema", Issue(error.path, error.message, on_key=error.on_key))
                for error in self.verdicts.errors(name, rel, self.raw[rel], instance)]

    def loaded(self, rel: str, data: bytes, parsed: Any,
               problem: yamlio.YamlProblem | None) -> tuple[Any, Finding | None]:
        """`load` for a file the caller has already read and parsed."""
        self.raw[rel] = data
        if problem is not None:
            return None, Finding(rel, problem.line, problem.col, Severity.ERROR, problem.rule,
                                 problem.message)
        return parsed, None

    def finding(self, rel: str, rule: str, issue: Issue) -> Finding:
        """A finding of `rule` at the node `issue.at` points at."""
        positions = self._positions.get(rel)
        if positions is None:
            text = self.text.get(rel)
            if text is None:
                text = self.text[rel] = self.raw[rel].decode("utf-8")
            positions = self._positions[rel] = yamlio.Positions(text)
        line, col = positions.locate(issue.at, on_key=issue.on_key)
        return Finding(rel, line, col, RULES[rule].severity, rule, issue.message)


def path_finding(rel: str, problem: PathProblem) -> Finding:
    """A file-kind finding (a link, a folder, a stray file): at 1:1, nothing was read."""
    return Finding(rel, 1, 1, RULES[problem.rule].severity, problem.rule, problem.message)


def validate(root: Path, only: Collection[str] | None = None,
             baseline: ValidationBaseline | None = None, *, use_cache: bool = True,
             project: Project | None = None) -> Report:
    """Validate the ontology under `root`; report findings of `only` these files when given.

    Per-file results come from `.ontology-cache/` for unchanged files unless `use_cache` is
    False; cross-file rules always run. With `project`, ontology.yaml is taken as the project
    has already read and parsed it, once per command, and the dispute rules check versions and
    releases against its release index.
    """
    files = _Files(root, SchemaVerdicts(root, use_cache))
    findings: list[Finding] = []
    config, config_problem = files.load(ONTOLOGY_FILE) if project is None else files.loaded(
        ONTOLOGY_FILE, project.config_bytes, *project.loaded_config)
    config_findings = list(_check_config(files, config, config_problem))
    findings.extend(config_findings)
    if not config_findings:
        findings.extend(_check_settings(files, config))
    settings = Settings.from_config(config if isinstance(config, dict) else {})
    entries = layout.source_entries(root)
    vocabularies = config.get("vocabularies") if isinstance(config, dict) else None
    kpis, unreadable = _read_sources(files, entries, vocabularies, use_cache, findings)
    ctx = OntologyContext(
        settings=settings, kpis=kpis, ids_by_path={k.path: i for i, k in kpis.items()},
        released=_ReleasedStamps(baseline, kpis, files) if baseline and not baseline.missing
        else None,
        past_ids=baseline.past_ids if baseline else frozenset(),
        past_known=baseline is None or (baseline.missing is None
                                        and baseline.history_gap is None),
        unreadable_ids=frozenset(unreadable), vocabulary_known=not config_findings)
    if baseline is not None and baseline.missing is not None and not config_findings:
        findings.append(files.finding(ONTOLOGY_FILE, "baseline-missing", Issue(
            ("version",), baseline.missing + "; checks against the last release were skipped")))
        if baseline.version_edited:
            findings.append(files.finding(ONTOLOGY_FILE, "stamp-edited", Issue(
                ("version",), "version names no release; only `ontology release` writes it")))
    elif baseline is not None and baseline.history_gap is not None and not config_findings:
        findings.append(files.finding(ONTOLOGY_FILE, "history-shallow", Issue(
            ("version",), baseline.history_gap)))
    for kpi_file in kpis.values():
        findings.extend(_check_kpi(files, kpi_file, ctx))
    findings.extend(_check_notes(files, root, ctx))
    findings.extend(_check_changelog(root))
    releases = project_releases(project) if project is not None else None
    findings.extend(_damaged_records(releases))
    findings.extend(check_disputes(files, root, ctx, releases))
    files.verdicts.save()
    if project is not None:
        project.save_past_facts()
    if only is not None:
        wanted = set(only)
        findings = [f for f in findings if f.path in wanted]
    return Report(tuple(sorted(findings)), len(entries) + 1)


def _read_sources(files: _Files, entries: list[Entry], vocabularies: Any, use_cache: bool,
                  findings: list[Finding]) -> tuple[dict[str, KpiFile], set[str]]:
    """Each KPI file's data (keyed by its path's id), the ids of the unreadable ones; the
    per-file findings go into `findings`."""
    kpis: dict[str, KpiFile] = {}
    unreadable: set[str] = set()
    ids = {entry.path: rogue_id_for(entry.path) for entry in entries}
    readable = [entry for entry in entries if entry.problem is None and ids[entry.path]]
    results = file_results(files.root, {entry.path: files.read(entry) for entry in readable},
                           vocabularies, use_cache=use_cache)
    for entry in entries:
        rel, rogue_id, problem = entry.path, ids[entry.path], entry.problem
        if problem is not None:
            findings.append(path_finding(rel, problem))
            if rogue_id is not None:  # it is there: KPIs that point at it are not wrong too
                unreadable.add(rogue_id)
            continue
        if rogue_id is None:
            findings.append(Finding(rel, 1, 1, Severity.ERROR, "layout",
                                    "not a KPI file: KPIs live at ontology/<domain>/<slug>.yaml"))
            continue
        findings.extend(results[rel].findings)
        data = results[rel].data
        if data is not None:
            kpis[rogue_id] = KpiFile(rel, data)
        else:
            unreadable.add(rogue_id)
    return kpis, unreadable


def _check_config(files: _Files, config: Any, problem: Finding | None) -> Iterable[Finding]:
    if problem is not None:
        yield problem
        return
    errors = files.schema_findings("ontology", ONTOLOGY_FILE, config)
    yield from errors
    if not errors:
        yield from _check_policy(files, config.get("policy") or {})


def _check_settings(files: _Files, config: Any) -> Iterable[Finding]:
    """Findings on ontology.yaml that leave the vocabularies usable (KPIs are still checked)."""
    if not isinstance(config, dict):
        return
    for issue in tag_prefix_issues(config):
        yield files.finding(ONTOLOGY_FILE, TAG_PREFIX_INVALID.id, issue)


def _check_policy(files: _Files, policy: Mapping[str, Any]) -> Iterable[Finding]:
    from ontology_tools.classify.catalog import CHANGE_RULES

    for rule_id in policy:
        if rule_id not in CHANGE_RULES:
            yield files.finding(ONTOLOGY_FILE, "policy-unknown-rule", Issue(
                ("policy", rule_id), f"policy names unknown change rule {rule_id!r} "
                "(see `ontology rules`)", on_key=True))


def _check_kpi(files: _Files, kpi_file: KpiFile, ctx: OntologyContext) -> Iterable[Finding]:
    for rule in RULES.values():
        if rule.check is None:
            continue
        for issue in rule.check(kpi_file, ctx):
            yield files.finding(issue.path or kpi_file.path, rule.id, issue)


def _check_notes(files: _Files, root: Path, ctx: OntologyContext) -> Iterable[Finding]:
    for entry in layout.note_entries(root):
        problem = layout.stray_note_problem(entry)
        if problem is not None:
            yield path_finding(entry.path, problem)
            continue
        rel = entry.path
        data, findings = files.conforming(rel, "note", entry)
        yield from findings
        if data is None:
            continue
        for index, rogue_id in enumerate(data["kpis"]):
            if ctx.past_known and not ctx.existed(rogue_id):
                yield files.finding(rel, "note-unknown-kpi", Issue(
                    ("kpis", index), f"the note names {rogue_id!r}, which is not a KPI"))


def _damaged_records(releases: KpiReleases | None) -> Iterable[Finding]:
    """One warning per release whose committed record cannot be read, at that record (the
    position is the release's file, where the JSON itself is broken)."""
    for damaged in releases.damaged if releases is not None else ():
        yield Finding(damaged.path, damaged.line, damaged.col,
                      RULES["release-record-unreadable"].severity, "release-record-unreadable",
                      damaged.message)


def _check_changelog(root: Path) -> Iterable[Finding]:
    """CHANGELOG.md goes into every bundle: it must be a file of the repository, not a link."""
    path = root / CHANGELOG_FILE
    if not os.path.islink(path) and layout.is_inside(root, path):
        return
    kind = layout.EntryKind.LINK_OUTSIDE if not layout.is_inside(root, path) else \
        layout.EntryKind.LINK_INSIDE if os.path.exists(path) else layout.EntryKind.LINK_DANGLING
    yield path_finding(CHANGELOG_FILE, layout.PROBLEMS[kind])
