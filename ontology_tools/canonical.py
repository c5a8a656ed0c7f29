"""The canonical layout of a KPI file: key order, stage order and which fields are written how.

The bundle (`records`), the docs and `fmt` all write a KPI in this order, so it sits below them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

TOP_KEYS = ("version", "releasedAt", "kpi")
KPI_KEYS = ("rogueId", "slug", "domain", "defaultLabel", "description", "fieldType", "unit",
            "maturity", "suggestedForStages", "defaultOwningFunctions", "stageRelevance",
            "definitionSource", "formula", "whyItMatters", "interpretationGuidance",
            "relatedKpiIds", "metricBasis", "deprecation", "supersedes")
SOURCE_KEYS = ("tier", "sourceName", "sourceUrl", "sectionRef", "publicationDate",
               "attributionNotice")
BASIS_KEYS = ("timeBasis", "production")
DEPRECATION_KEYS = ("date", "reason", "replacedBy")
# Prose is written as a `>-` folded scalar wrapped at the text width.
PROSE_FIELDS = ("description", "formula", "whyItMatters", "interpretationGuidance")
# Short lists and mappings of vocabulary values stay on one line, `[a, b]` / `{k: v}`.
FLOW_FIELDS = ("suggestedForStages", "defaultOwningFunctions", "stageRelevance", "metricBasis")
STAGE_ORDERED = ("suggestedForStages",)  # lists put in the order of `vocabularies.stages`

Path = tuple[str, ...]


def key_order(path: Path, stages: Sequence[str]) -> Sequence[str] | None:
    """The canonical key order of the mapping at `path` (keys of mappings only), if it has one."""
    if path == ():
        return TOP_KEYS
    if path == ("kpi",):
        return KPI_KEYS
    if len(path) == 2 and path[0] == "kpi":
        return {"definitionSource": SOURCE_KEYS, "metricBasis": BASIS_KEYS,
                "deprecation": DEPRECATION_KEYS, "stageRelevance": tuple(stages)}.get(path[1])
    return None


def is_stage_list(path: Path) -> bool:
    """True for the list at `path` that is kept in stage order."""
    return len(path) == 2 and path[0] == "kpi" and path[1] in STAGE_ORDERED


def is_flow_field(path: Path) -> bool:
    """True for the collection at `path` that is written on one line when it can be."""
    return len(path) == 2 and path[0] == "kpi" and path[1] in FLOW_FIELDS


def is_prose(path: Path) -> bool:
    """True for the text at `path` that is folded into `>-` lines."""
    return len(path) == 2 and path[0] == "kpi" and path[1] in PROSE_FIELDS


def ranked(order: Sequence[str]) -> Mapping[str, int]:
    """Position of each name in `order`; names outside it sort after all of them, as they came."""
    return {name: index for index, name in enumerate(order)}


def in_canonical_order(data: Any, stages: Sequence[str]) -> Any:
    """`data` (plain, as `yamlio.load_fast` gives it) with the stage lists put in stage order.

    That and key order (which plain dicts compare without) are all that `fmt` may change in
    a file's data.
    """
    if not isinstance(data, dict) or not isinstance(data.get("kpi"), dict):
        return data
    kpi = dict(data["kpi"])
    rank = ranked(stages)
    for name in STAGE_ORDERED:
        if isinstance(kpi.get(name), list):
            kpi[name] = sorted(kpi[name], key=lambda item: _stage_rank(item, rank))
    return {**data, "kpi": kpi}


def _stage_rank(item: Any, rank: Mapping[str, int]) -> int:
    return rank.get(item, len(rank)) if isinstance(item, str) else len(rank)


def ordered_kpi(kpi: Mapping[str, Any], stages: Sequence[str]) -> dict[str, Any]:
    """A plain KPI mapping with its keys in canonical order (as a bundle writes it)."""
    ordered = {key: kpi[key] for key in KPI_KEYS if key in kpi}
    ordered.update({key: value for key, value in kpi.items() if key not in ordered})
    if isinstance(ordered.get("definitionSource"), dict):
        ordered["definitionSource"] = _ordered(ordered["definitionSource"], SOURCE_KEYS)
    if isinstance(ordered.get("metricBasis"), dict):
        ordered["metricBasis"] = _ordered(ordered["metricBasis"], BASIS_KEYS)
    if isinstance(ordered.get("stageRelevance"), dict):
        ordered["stageRelevance"] = _ordered(ordered["stageRelevance"], stages)
    return ordered


def _ordered(mapping: Mapping[str, Any], order: Sequence[str]) -> dict[str, Any]:
    result = {key: mapping[key] for key in order if key in mapping}
    result.update({key: value for key, value in mapping.items() if key not in result})
    return result
