"""The changelog section of a release, rendered from the package's Jinja2 templates."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import jinja2

from ontology_tools.classify.catalog import KPI_ADDED, KPI_DEPRECATED, KPI_REMOVED
from ontology_tools.model import Bump, Change, KpiPlan, Note, Plan, Status

CHANGELOG_FILE = "changelog/CHANGELOG.md"
GROUP_ORDER = ("Definition changes", "Added", "Changed", "Deprecated", "Removed")


@dataclass(frozen=True)
class Entry:
    """One bullet of the changelog: a headline and its sub-bullets."""

    headline: str
    details: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    """A `###` group of entries."""

    title: str
    entries: tuple[Entry, ...]


@functools.cache
def environment() -> jinja2.Environment:
    """Templates for markdown and plain text: no autoescaping, strict about undefined names."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("ontology_tools", "templates/release"),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )


def group_of(kpi: KpiPlan) -> str:
    """Which group a KPI's entry goes in."""
    if kpi.status in (Status.ADDED, Status.RESTORED):  # a restored KPI is back for consumers
        return "Added"
    if kpi.status is Status.REMOVED:
        return "Removed"
    if any(change.rule == KPI_DEPRECATED for change in kpi.changes):
        return "Deprecated"
    if kpi.bump is Bump.MAJOR:
        return "Definition changes"
    return "Changed"


def kpi_entry(kpi: KpiPlan) -> Entry:
    """A KPI's bullet: id, label, old → new version, then rules, waivers and notes."""
    label = f" ({kpi.label})" if kpi.label else ""
    renamed = f", supersedes {', '.join(f'`{old}`' for old in kpi.renamed_from)}" \
        if kpi.renamed_from else ""
    headline = (f"`{kpi.rogue_id}`{label}: {kpi.version or 'new'} → "
                f"{kpi.next_version or 'removed'} ({kpi.bump.label}){renamed}")
    return Entry(headline, (*_change_lines(kpi.changes), *_note_lines(kpi.notes)))


SELF_EVIDENT_RULES = (KPI_ADDED, KPI_REMOVED)  # the group already says it


def _change_lines(changes: Sequence[Change]) -> Iterator[str]:
    """Each distinct rule message once, then each waiver once with its justification."""
    lines: dict[str, None] = {}
    waivers: dict[str, None] = {}
    for change in changes:
        if change.rule in SELF_EVIDENT_RULES and change.waived_by is None:
            continue
        level = "blocking" if change.blocking else change.bump.label
        lines[f"{change.message} (`{change.rule}`, {level})"] = None
        if change.waived_by is not None:
            waivers[f"waived `{change.rule}` to {change.waived_by.bump.label}: "
                    f"{change.waived_by.justification}"] = None
    yield from lines
    yield from waivers


def _note_lines(notes: Sequence[Note]) -> Iterator[str]:
    for note in notes:
        dispute = f" (dispute {note.dispute})" if note.dispute else ""
        yield f"note: {' '.join(note.summary.split())}{dispute}"


def ontology_entries(plan: Plan) -> Iterator[Entry]:
    """Changes to ontology.yaml (vocabularies, settings) as Changed entries."""
    for change in plan.ontology_changes:
        yield Entry(f"ontology.yaml: {change.message} (`{change.rule}`, {change.bump.label})", ())


def groups(plan: Plan) -> tuple[Group, ...]:
    """The non-empty groups of a plan, in GROUP_ORDER."""
    buckets: dict[str, list[Entry]] = {title: [] for title in GROUP_ORDER}
    for kpi in plan.kpis:
        buckets[group_of(kpi)].append(kpi_entry(kpi))
    buckets["Changed"].extend(ontology_entries(plan))
    return tuple(Group(title, tuple(buckets[title])) for title in GROUP_ORDER if buckets[title])


def render_section(plan: Plan, version: str, released_at: str) -> str:
    """The `## [version] - date` section, ending with one newline."""
    template = environment().get_template("changelog_section.md.j2")
    return template.render(version=version, released_at=released_at, groups=groups(plan))


def render_header(name: str) -> str:
    """The Keep a Changelog 1.1.0 header of a new CHANGELOG.md."""
    return environment().get_template("changelog_header.md.j2").render(name=name)


def insert_section(existing: str | None, section: str, name: str) -> str:
    """The changelog with `section` above the newest release (below an Unreleased section)."""
    text = existing if existing is not None else render_header(name)
    lines = text.splitlines(keepends=True)
    at = _insertion_line(lines)
    before = "".join(lines[:at])
    after = "".join(lines[at:])
    if before and not before.endswith("\n"):
        before += "\n"
    if before and not before.endswith("\n\n"):
        before += "\n"
    return before + section + ("\n" + after if after else "")


def _insertion_line(lines: Sequence[str]) -> int:
    """The index of the first release heading that is not Unreleased, or the end."""
    for index, line in enumerate(lines):
        if not line.startswith("## "):
            if line.startswith("[") and "]: " in line:  # link references close the releases
                return index
            continue
        if not line[3:].strip().lower().startswith("[unreleased]"):
            return index
    return len(lines)
