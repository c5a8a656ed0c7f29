"""DeepDiff per changed KPI, each difference matched to one rule of the catalog."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ontology_tools.classify.catalog import ChangeRule
from ontology_tools.model import Change

PROSE = ("description", "whyItMatters", "interpretationGuidance")
SIMPLE_FIELDS = {
    "fieldType": "field-type-changed", "unit": "unit-changed", "maturity": "maturity-changed",
    "defaultLabel": "label-changed", "suggestedForStages": "stages-changed",
    "stageRelevance": "stage-relevance-changed", "defaultOwningFunctions": "owners-changed",
    "relatedKpiIds": "related-changed", "supersedes": "supersedes-changed",
    **{field: "text-changed" for field in PROSE},
}
BASIS_FIELDS = {"timeBasis": "time-basis-changed", "production": "production-changed"}
MISSING = None


def changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """The field paths DeepDiff finds changed, lists compared as sets (a reorder is no change).

    Paths are cut to the KPI's first level, or two levels inside definitionSource and
    metricBasis, so that one edited field yields one change.
    """
    from deepdiff import DeepDiff

    diff = DeepDiff(dict(old), dict(new), ignore_order=True, view="tree",
                    ignore_string_type_changes=False, threshold_to_diff_deeper=0)
    fields: set[tuple[str, ...]] = set()
    for levels in diff.values():
        for level in levels:
            path = [str(step) for step in level.path(output_format="list")]
            depth = 2 if path and path[0] in ("definitionSource", "metricBasis") else 1
            fields.add(tuple(path[:depth]))
    return sorted(fields)


def classify_kpi(old: Mapping[str, Any], new: Mapping[str, Any],
                 rules: Mapping[str, ChangeRule]) -> tuple[Change, ...]:
    """Every change between two versions of one KPI's content, each under one rule."""
    return tuple(change for field in changed_fields(old, new)
                 for change in _classify_field(field, old, new, rules))


def _value(kpi: Mapping[str, Any], field: tuple[str, ...]) -> Any:
    value: Any = kpi
    for step in field:
        if not isinstance(value, Mapping) or step not in value:
            return MISSING
        value = value[step]
    return value


def _classify_field(field: tuple[str, ...], old: Mapping[str, Any], new: Mapping[str, Any],
                    rules: Mapping[str, ChangeRule]) -> Iterator[Change]:
    before, after = _value(old, field), _value(new, field)
    rule_id = _rule_for(field, before, after)
    yield make_change(rules[rule_id], ".".join(field), before, after)


def _rule_for(field: tuple[str, ...], before: Any, after: Any) -> str:
    head = field[0]
    if head in SIMPLE_FIELDS and len(field) == 1:
        return SIMPLE_FIELDS[head]
    if head == "formula":
        return "formula-reflowed" if _same_words(before, after) else "formula-changed"
    if head == "metricBasis" and len(field) == 2 and field[1] in BASIS_FIELDS:
        return BASIS_FIELDS[field[1]]
    if head == "definitionSource" and len(field) == 2:
        if field[1] == "tier":
            return _tier_rule(before, after)
        return "source-changed"
    if head == "deprecation":
        if before is MISSING:
            return "kpi-deprecated"
        return "kpi-undeprecated" if after is MISSING else "deprecation-changed"
    return "unclassified"


def _tier_rule(before: Any, after: Any) -> str:
    if (before, after) == ("editorial", "published"):
        return "tier-promoted"
    if (before, after) == ("published", "editorial"):
        return "tier-demoted"
    return "unclassified"


def _same_words(before: Any, after: Any) -> bool:
    return isinstance(before, str) and isinstance(after, str) and before.split() == after.split()


def make_change(rule: ChangeRule, path: str, old: Any, new: Any, **fields: str) -> Change:
    """A Change under `rule`, its message filled in."""
    message = rule.message.format(field=path, **fields) if "{" in rule.message else rule.message
    return Change(rule.id, rule.bump, path, old, new, message, blocking=rule.blocking)
