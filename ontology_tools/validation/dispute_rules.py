"""Checks of the dispute files and of every change note's `dispute:` reference (SPEC 7.3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ontology_tools import layout
from ontology_tools.model import Finding, Severity
from ontology_tools.project.disputes import (
    DISPUTES_DIR,
    DisputeStatus,
    KpiReleases,
    id_number,
    kpi_releases,
)
from ontology_tools.validation.context import OntologyContext
from ontology_tools.validation.registry import RULES, Issue, ValidationRule, register

if TYPE_CHECKING:
    from ontology_tools.project import Project

for _id, _summary in (
    ("dispute-id-mismatch", "a dispute's id is not its file name"),
    ("dispute-duplicate-id", "two dispute files carry the same id (or the same number)"),
    ("dispute-unknown-kpi", "a dispute names a KPI that does not exist and never existed"),
    ("dispute-against-unknown", "a dispute's `against` is not a version its KPIs were released at"),
    ("dispute-resolution", "a decided dispute has no resolution, or an open one has one"),
    ("dispute-release-unknown",
     "resolution.release is not a release that changed the disputed KPI"),
    ("dispute-upheld-unchanged", "an upheld dispute has neither a change note nor a release"),
    ("note-unknown-dispute", "a change note's `dispute:` names no dispute file"),
):
    register(ValidationRule(_id, Severity.ERROR, _summary), __name__)


class FileReader(Protocol):
    """How validation reads a file and places a finding in it (validation's `_Files`)."""

    def load(self, rel: str, entry: layout.Entry | None = None) -> tuple[Any, Finding | None]: ...

    def finding(self, rel: str, rule: str, issue: Issue) -> Finding: ...

    def conforming(self, rel: str, schema: str,
                   entry: layout.Entry) -> tuple[Any, list[Finding]]: ...


@dataclass(frozen=True)
class _Loaded:
    """A dispute file that parsed and matched its schema."""

    rel: str
    data: Mapping[str, Any]


def check_disputes(files: FileReader, root: Path, ctx: OntologyContext,
                   releases: KpiReleases | None) -> Iterator[Finding]:
    """Every finding in the dispute files and in the notes' references to them."""
    loaded: list[_Loaded] = []
    readable: list[str] = []
    for entry in layout.dispute_entries(root):
        rel = entry.path
        kind_problem = layout.dispute_entry_problem(entry)
        if kind_problem is not None:  # a link or a folder: named, never read
            yield Finding(rel, 1, 1, RULES[kind_problem.rule].severity, kind_problem.rule,
                          kind_problem.message)
            continue
        readable.append(rel)
        data, findings = files.conforming(rel, "dispute", entry)
        yield from findings
        if data is not None:
            loaded.append(_Loaded(rel, data))
    notes = list(_note_references(files, root))
    named = {dispute_id for _, dispute_id in notes}
    for item in loaded:
        for rule, issue in _dispute_issues(item, ctx, releases, named):
            yield files.finding(item.rel, rule, issue)
    yield from _duplicates(files, loaded)
    ids = {item.data["id"] for item in loaded}
    ids |= {layout.dispute_file_id(name) for name in readable}
    for rel, dispute_id in notes:
        if dispute_id not in ids:
            yield files.finding(rel, "note-unknown-dispute", Issue(
                ("dispute",), f"the note names dispute {dispute_id!r}, but there is no "
                f"{DISPUTES_DIR}/{dispute_id}.yaml (open it with `ontology dispute open`)"))


def _note_references(files: FileReader, root: Path) -> Iterator[tuple[str, str]]:
    """(note file, dispute id) for every readable note with a `dispute:`."""
    for entry in layout.note_entries(root):  # links and stray files: `_check_notes` says so
        if not layout.is_note(entry) or entry.problem is not None:
            continue
        rel = entry.path
        data, problem = files.load(rel, entry)
        if problem is None and isinstance(data, dict) and isinstance(data.get("dispute"), str):
            yield rel, data["dispute"]


def _dispute_issues(item: _Loaded, ctx: OntologyContext, releases: KpiReleases | None,
                    named: set[str]) -> Iterator[tuple[str, Issue]]:
    data = item.data
    name = layout.dispute_file_id(item.rel)
    if data["id"] != name:
        yield "dispute-id-mismatch", Issue(("id",), f"id {data['id']!r} should be {name!r}, the "
                                           "file's name (rename one of them; see the README)")
    for index, rogue_id in enumerate(data["kpis"]):
        if ctx.past_known and not ctx.existed(rogue_id):
            yield "dispute-unknown-kpi", Issue(("kpis", index), f"the dispute names {rogue_id!r}, "
                                               "which does not exist and never existed")
    yield from _date_issues(data)
    yield from _resolution_issues(data, named)
    if releases is not None and releases.complete:
        yield from _against_issues(data, releases)
        yield from _release_issues(data, releases)


def _date_issues(data: Mapping[str, Any]) -> Iterator[tuple[str, Issue]]:
    dates: list[tuple[tuple[str | int, ...], str]] = [(("raisedAt",), data["raisedAt"])]
    if isinstance(data.get("resolution"), dict):
        dates.append((("resolution", "decidedAt"), data["resolution"]["decidedAt"]))
    for at, value in dates:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            yield "date-invalid", Issue(at, f"{value!r} is not a real calendar date")


def _resolution_issues(data: Mapping[str, Any],
                       named: set[str]) -> Iterator[tuple[str, Issue]]:
    status = DisputeStatus(data["status"])
    resolution = data.get("resolution")
    if status.decided and resolution is None:
        yield "dispute-resolution", Issue(("status",), f"a {status.value} dispute needs a "
                                          "resolution (decidedAt, summary): record it with "
                                          "`ontology dispute resolve`")
        return
    if not status.decided and resolution is not None:
        yield "dispute-resolution", Issue(("resolution",), "an open dispute has no resolution; "
                                          "set the status it was decided with", on_key=True)
        return
    if resolution is None:
        return
    if str(resolution["decidedAt"]) < str(data["raisedAt"]):
        yield "dispute-resolution", Issue(("resolution", "decidedAt"), (
            f"decided on {resolution['decidedAt']}, before it was raised ({data['raisedAt']})"))
    release = resolution.get("release")
    if status is DisputeStatus.UPHELD and release is None and data["id"] not in named:
        yield "dispute-upheld-unchanged", Issue(("status",), (
            "upheld, but no change note names it and no release resolved it: write one with "
            f"`ontology note --kpi {data['kpis'][0]} -m \"…\" --dispute {data['id']}`"))
    if status is not DisputeStatus.UPHELD and release is not None:
        yield "dispute-release-unknown", Issue(("resolution", "release"), (
            f"a {status.value} dispute changed nothing, so it names no release"))


def _against_issues(data: Mapping[str, Any],
                    releases: KpiReleases) -> Iterator[tuple[str, Issue]]:
    against = data.get("against")
    if against is None:
        return
    for rogue_id in data["kpis"]:
        held = releases.held(rogue_id)
        if against not in held and not releases.uncertain(rogue_id):
            known = ", ".join(held) or "none: it was never released"
            yield "dispute-against-unknown", Issue(("against",), (
                f"{rogue_id} was never released at version {against} (its versions: {known})"))


def _release_issues(data: Mapping[str, Any],
                    releases: KpiReleases) -> Iterator[tuple[str, Issue]]:
    resolution = data.get("resolution")
    release = resolution.get("release") if isinstance(resolution, dict) else None
    if release is None or data["status"] != DisputeStatus.UPHELD.value:
        return
    if release in releases.unknown:
        return  # what it changed cannot be told: its record is absent or damaged
    if release not in releases.changed:
        yield "dispute-release-unknown", Issue(("resolution", "release"), (
            f"there is no release {release} (releases: {', '.join(releases.releases) or 'none'})"))
    elif not releases.changed[release] & set(data["kpis"]):
        yield "dispute-release-unknown", Issue(("resolution", "release"), (
            f"release {release} did not change {', '.join(data['kpis'])}"))


def _duplicates(files: FileReader, loaded: Iterable[_Loaded]) -> Iterator[Finding]:
    """Two files, one number: report every file but the one whose name is the id."""
    by_number: dict[tuple[int, int] | str, list[_Loaded]] = {}
    for item in loaded:
        by_number.setdefault(id_number(item.data["id"]) or item.data["id"], []).append(item)
    for items in by_number.values():
        if len(items) < 2:
            continue
        keeper = next((i for i in items if i.rel.endswith(f"/{i.data['id']}.yaml")), items[0])
        for item in items:
            if item is not keeper:
                yield files.finding(item.rel, "dispute-duplicate-id", Issue(("id",), (
                    f"id {item.data['id']!r} is also the number of {keeper.rel}; renumber this "
                    "dispute (see the README)")))


def project_releases(project: Project) -> KpiReleases | None:
    """What each release of the project published (incomplete when its baseline is missing);
    None while ontology.yaml does not parse (its own findings say so)."""
    config, problem = project.loaded_config
    if problem is not None:
        return None
    past = project.past_facts()
    if past.found:  # then the history is complete, and remembered between runs
        return past.kpi_releases()
    version = config.get("version") if isinstance(config, dict) else None
    return kpi_releases(project.releases, str(version) if version else None)
