"""The changelog section of a release, rendered from the package's Markdown templates.

Sections use only Keep a Changelog's types (SPEC 8); every value from a source goes through the
`md` or `code` filter of `render.markdown`, so a note's `<b>` or `|` reads as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ontology_tools.classify.catalog import KPI_ADDED, KPI_DEPRECATED
from ontology_tools.model import Change, KpiPlan, Plan, Status, Waiver
from ontology_tools.render.markdown import code, md
from ontology_tools.render.templating import render

CHANGELOG_FILE = "changelog/CHANGELOG.md"
# Keep a Changelog 1.1.0's types, in its order; a release uses those it needs.
CHANGE_TYPES = ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security")
# a restored KPI is back for consumers: Added
STATUS_TYPES = {Status.ADDED: "Added", Status.RESTORED: "Added", Status.REMOVED: "Removed"}
RULE_TYPES = {KPI_DEPRECATED: "Deprecated", "vocabulary-added": "Added",
              "vocabulary-removed": "Removed"}
SELF_EVIDENT_RULES = (KPI_ADDED,)  # "Added" already says it; a removal still names its rule


@dataclass(frozen=True)
class Entry:
    """One KPI's bullet: id, label, old → new version, then its changes, waivers and notes.

    Each distinct rule message is stated once, and each waiver once.
    """

    kpi: KpiPlan
    changes: tuple[Change, ...]
    waivers: tuple[Waiver, ...]

    @classmethod
    def of(cls, kpi: KpiPlan) -> Entry:
        """A KPI's bullet, from its plan."""
        return cls(kpi, _stated_changes(kpi.changes), _waivers(kpi.changes))

    @property
    def headline(self) -> str:
        """`` `id` (Label): old → new (bump) ``, every value escaped for Markdown."""
        kpi = self.kpi
        label = f" ({md(kpi.label)})" if kpi.label else ""
        renamed = (", supersedes " + ", ".join(code(old) for old in kpi.renamed_from)
                   if kpi.renamed_from else "")
        return (f"{code(kpi.rogue_id)}{label}: {md(kpi.version) or 'new'} → "
                f"{md(kpi.next_version) or 'removed'} ({kpi.bump.label}){renamed}")


@dataclass(frozen=True)
class Group:
    """A `###` group: KPI entries, then changes of ontology.yaml, under one change type."""

    title: str
    entries: tuple[Entry, ...]
    ontology: tuple[Change, ...] = ()


def change_type(kpi: KpiPlan) -> str:
    """The Keep a Changelog type of a KPI's entry: Added, Changed, Deprecated or Removed."""
    if kpi.status in STATUS_TYPES:
        return STATUS_TYPES[kpi.status]
    if any(change.rule == KPI_DEPRECATED for change in kpi.changes):
        return "Deprecated"
    return "Changed"


def _stated_changes(changes: Sequence[Change]) -> tuple[Change, ...]:
    """The changes a bullet states: one per (message, rule, level), a self-evident one only
    when it was waived."""
    seen: dict[tuple[str, str, str], Change] = {}
    for change in changes:
        if change.rule in SELF_EVIDENT_RULES and change.waived_by is None:
            continue
        seen.setdefault((change.message, change.rule, change.level), change)
    return tuple(seen.values())


def _waivers(changes: Sequence[Change]) -> tuple[Waiver, ...]:
    return tuple(dict.fromkeys(change.waived_by for change in changes
                               if change.waived_by is not None))


def groups(plan: Plan) -> tuple[Group, ...]:
    """The non-empty groups of a plan, in Keep a Changelog's order."""
    entries: dict[str, list[Entry]] = {title: [] for title in CHANGE_TYPES}
    ontology: dict[str, list[Change]] = {title: [] for title in CHANGE_TYPES}
    for kpi in plan.kpis:
        entries[change_type(kpi)].append(Entry.of(kpi))
    for change in plan.ontology_changes:
        ontology[RULE_TYPES.get(change.rule, "Changed")].append(change)
    return tuple(Group(title, tuple(entries[title]), tuple(ontology[title]))
                 for title in CHANGE_TYPES if entries[title] or ontology[title])


def render_section(plan: Plan, version: str, released_at: str) -> str:
    """The `## [version] - date` section, ending with one newline."""
    return render("release/changelog_section.md.j2", version=version, released_at=released_at,
                  groups=groups(plan))


def render_header(name: str) -> str:
    """The Keep a Changelog 1.1.0 header of a new CHANGELOG.md."""
    return render("release/changelog_header.md.j2", name=name)


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
