"""Assemble the plan: a pure function of two snapshots (and the notes of the newer one)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from ontology_tools.classify.catalog import (
    ABSENT,
    ChangeRule,
    Difference,
    Subject,
    classify,
    make_change,
    rule_for,
    with_policy,
)
from ontology_tools.classify.diff import classify_kpi, ontology_differences
from ontology_tools.classify.versioning import FIRST_VERSION, compare, next_version
from ontology_tools.model import (
    Blocker,
    Bump,
    Change,
    KpiPlan,
    Note,
    Plan,
    ReleasedKpi,
    Snapshot,
    Status,
)
from ontology_tools.project import Settings

IDENTITY_FIELDS = ("rogueId", "slug", "domain", "supersedes")
NO_PAST: Mapping[str, ReleasedKpi] = MappingProxyType({})


def assemble_plan(old: Snapshot, new: Snapshot, *, only: AbstractSet[str] | None = None,
                  past: Mapping[str, ReleasedKpi] = NO_PAST) -> Plan:
    """Everything that changed from `old` to `new`, classified, bumped and annotated.

    `past` holds what earlier releases knew of ids the baseline `old` does not hold: an id
    added in `new` that is in `past` is restored and continues from its version there.

    When `new` is a release, the target versions are the ones it stamped, not the ones the
    next release after `old` would get: from 2.0.0 to 3.0.1 ends at 3.0.1 and at each KPI's
    version in 3.0.1, whatever releases lie between. The bumps and rules stay the computed
    ones: they say how much changed between the two points.
    """
    settings = Settings.from_config(new.ontology)
    rules = with_policy(settings.policy)
    kpis = [_as_released(_apply_notes(kpi, new.notes), new)
            for kpi in _kpi_plans(old, new, rules, past)]
    ontology_changes = tuple(_ontology_changes(old.ontology, new.ontology, rules))
    bump = max([kpi.bump for kpi in kpis] + [c.bump for c in ontology_changes],
               default=Bump.NONE)
    blocking = tuple(_blockers(kpis, ontology_changes))
    used = {note.file for kpi in kpis for note in kpi.notes}
    shown = [kpi for kpi in kpis if only is None or kpi.rogue_id in only
             or not only.isdisjoint(kpi.renamed_from)]
    target = _released_version(new)
    return Plan(
        from_ref=old.ref, from_version=old.version, to_ref=new.ref, version=old.version,
        next_version=target or next_version(old.version, bump), bump=bump,
        ontology_changes=ontology_changes, kpis=tuple(shown), blocking=blocking,
        unused_notes=tuple(note for note in new.notes if note.file not in used),
        to_version=target)


def _released_version(snapshot: Snapshot) -> str | None:
    """The ontology version a release snapshot carries (its ontology.yaml's, or its bundle's);
    None for the worktree or any other point that is no release."""
    if snapshot.release is None:
        return None
    return snapshot.version or snapshot.release


def _as_released(kpi: KpiPlan, new: Snapshot) -> KpiPlan:
    """A KPI of a plan to a release, at the version that release stamped in its file (a KPI
    it removed has none; a file without a stamp keeps the computed version)."""
    if new.release is None or kpi.rogue_id not in new.sources:
        return kpi
    stamped = new.document(kpi.rogue_id).version
    return kpi if stamped is None else replace(kpi, next_version=stamped)


def _kpi_plans(old: Snapshot, new: Snapshot, rules: Mapping[str, ChangeRule],
               past: Mapping[str, ReleasedKpi]) -> Iterator[KpiPlan]:
    old_ids, new_ids = set(old.sources), set(new.sources)
    renamed_from = _renames(new, sorted(new_ids - old_ids), old_ids - new_ids)
    consumed = {gone for olds in renamed_from.values() for gone in olds}
    for rogue_id in sorted(old_ids | new_ids):
        if rogue_id in renamed_from:
            yield _renamed(old, new, rogue_id, renamed_from[rogue_id], rules,
                           past.get(rogue_id))
        elif rogue_id not in old_ids and rogue_id in past:
            yield _restored(new, rogue_id, past[rogue_id], rules)
        elif rogue_id not in old_ids:
            yield _added(new, rogue_id, rules)
        elif rogue_id not in new_ids:
            if rogue_id not in consumed:
                yield _removed(old, rogue_id, rules)
        elif old.sources[rogue_id].digest != new.sources[rogue_id].digest:
            plan = _changed(old, new, rogue_id, rules)
            if plan is not None:
                yield plan


def _renames(new: Snapshot, added: Sequence[str], gone: set[str]) -> dict[str, tuple[str, ...]]:
    renames = {}
    for rogue_id in added:
        olds = tuple(old for old in new.document(rogue_id).kpi.supersedes if old in gone)
        if olds:
            renames[rogue_id] = olds
    return renames


def _label(snapshot: Snapshot, rogue_id: str) -> str | None:
    return snapshot.document(rogue_id).kpi.label or None


def _whole_kpi(before: Any, after: Any, rules: Mapping[str, ChangeRule]) -> ChangeRule:
    """The rule for a KPI as a whole, from its id before (or ABSENT) and after (or ABSENT)."""
    return rule_for(Difference(Subject.KPI, (), before, after), rules)


def _added(new: Snapshot, rogue_id: str, rules: Mapping[str, ChangeRule]) -> KpiPlan:
    rule = _whole_kpi(ABSENT, rogue_id, rules)
    change = make_change(rule, "", None, None)
    return KpiPlan(rogue_id, Status.ADDED, None, FIRST_VERSION, rule.bump, (change,),
                   computed_bump=rule.bump, label=_label(new, rogue_id))


def _removed(old: Snapshot, rogue_id: str, rules: Mapping[str, ChangeRule]) -> KpiPlan:
    rule = _whole_kpi(rogue_id, ABSENT, rules)
    change = make_change(rule, "", None, None)
    return KpiPlan(rogue_id, Status.REMOVED, old.document(rogue_id).version, None, rule.bump,
                   (change,), computed_bump=rule.bump, label=_label(old, rogue_id))


def _restored(new: Snapshot, rogue_id: str, released: ReleasedKpi,
              rules: Mapping[str, ChangeRule]) -> KpiPlan:
    """An id back from an earlier release: its changes are against what was released last."""
    current = new.document(rogue_id)
    restore = make_change(_whole_kpi(rogue_id, rogue_id, rules), "", None, None,
                          version=released.version)
    content = () if released.content == current.content else classify_kpi(
        released.content, current.content, rules)
    changes = (restore, *content)
    bump = _content_bump(changes)
    return KpiPlan(rogue_id, Status.RESTORED, released.version,
                   next_version(released.version, bump), bump, changes, computed_bump=bump,
                   label=_label(new, rogue_id))


def _renamed(old: Snapshot, new: Snapshot, rogue_id: str, olds: tuple[str, ...],
             rules: Mapping[str, ChangeRule], released: ReleasedKpi | None) -> KpiPlan:
    """A new id superseding gone ones; an id that had versions of its own continues above them."""
    predecessor = old.document(olds[0])
    current = new.document(rogue_id)
    rename = make_change(_whole_kpi(olds[0], rogue_id, rules), "rogueId", olds[0], rogue_id,
                         previous=", ".join(olds))
    content = classify_kpi(_without_identity(predecessor.content),
                           _without_identity(current.content), rules)
    changes = (rename, *content)
    bump = max(change.bump for change in changes)
    version = _highest(predecessor.version, released.version if released else None)
    return KpiPlan(rogue_id, Status.RENAMED, version, next_version(version, bump), bump,
                   changes, computed_bump=bump, renamed_from=olds, label=_label(new, rogue_id))


def _highest(version: str | None, other: str | None) -> str | None:
    if version is None or other is None:
        return version or other
    return other if compare(other, version) > 0 else version


def _without_identity(kpi: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in kpi.items() if key not in IDENTITY_FIELDS}


def _changed(old: Snapshot, new: Snapshot, rogue_id: str,
             rules: Mapping[str, ChangeRule]) -> KpiPlan | None:
    before, after = old.document(rogue_id), new.document(rogue_id)
    if before.content == after.content:
        return None  # comments, layout or stamps only
    changes = classify_kpi(before.content, after.content, rules)
    if not changes:
        return None  # only the order of keys or list items moved
    bump = _content_bump(changes)
    return KpiPlan(rogue_id, Status.CHANGED, before.version, next_version(before.version, bump),
                   bump, changes, computed_bump=bump, label=_label(new, rogue_id))


def _content_bump(changes: Sequence[Change]) -> Bump:
    """The highest level among the changes, and never below patch: one version, one content."""
    return max([Bump.PATCH, *(change.bump for change in changes)])


def _apply_notes(kpi: KpiPlan, notes: Sequence[Note]) -> KpiPlan:
    mine = tuple(note for note in notes if kpi.rogue_id in note.kpis
                 or any(old in note.kpis for old in kpi.renamed_from))
    if not mine:
        return kpi
    waivers = {waiver.rule: waiver for note in mine for waiver in note.waive}
    changes = tuple(_waive(change, waivers.get(change.rule)) for change in kpi.changes)
    continues = kpi.status.continues_version
    computed = (_content_bump(changes) if continues
                else max(change.bump for change in changes))
    declared = max((note.bump for note in mine if note.bump is not None), default=Bump.NONE)
    bump = max(computed, declared)
    next_ver = next_version(kpi.version, bump) if continues else kpi.next_version
    return replace(kpi, changes=changes, notes=mine, computed_bump=computed, bump=bump,
                   next_version=next_ver)


def _waive(change: Change, waiver: Any) -> Change:
    if waiver is None:
        return change
    return replace(change, bump=min(change.bump, waiver.bump), blocking=False, waived_by=waiver)


def _blockers(kpis: Sequence[KpiPlan], ontology: Sequence[Change]) -> Iterator[Blocker]:
    for kpi in kpis:
        for change in kpi.changes:
            if change.blocking:
                yield Blocker(f"{kpi.rogue_id}: {change.message} — add a rule or a waiver in "
                              "a change note", kpi.rogue_id, change.rule)
    for change in ontology:
        if change.blocking:
            yield Blocker(f"ontology.yaml: {change.message}", None, change.rule)


def _ontology_changes(old: Mapping[str, Any], new: Mapping[str, Any],
                      rules: Mapping[str, ChangeRule]) -> Iterator[Change]:
    if not old.get("vocabularies"):
        return  # the first release: everything is new, nothing to classify
    for difference in ontology_differences(old, new):
        yield classify(difference, rules)
