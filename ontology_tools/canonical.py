"""The canonical layout of a KPI file: key order and the style of each field."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ontology_tools import yamlio
from ontology_tools.errors import OntologyError

TOP_KEYS = ("version", "releasedAt", "kpi")
KPI_KEYS = ("rogueId", "slug", "domain", "defaultLabel", "description", "fieldType", "unit",
            "maturity", "suggestedForStages", "defaultOwningFunctions", "stageRelevance",
            "definitionSource", "formula", "whyItMatters", "interpretationGuidance",
            "relatedKpiIds", "metricBasis", "deprecation", "supersedes")
SOURCE_KEYS = ("tier", "sourceName", "sourceUrl", "sectionRef", "publicationDate",
               "attributionNotice")
BASIS_KEYS = ("timeBasis", "production")
DEPRECATION_KEYS = ("date", "reason", "replacedBy")
PROSE_FIELDS = ("description", "formula", "whyItMatters", "interpretationGuidance")
FLOW_FIELDS = ("suggestedForStages", "defaultOwningFunctions", "stageRelevance", "metricBasis")
BLOCK_FIELDS = ("relatedKpiIds", "supersedes", "definitionSource", "deprecation")
PROSE_INDENT = 4


class FormatError(OntologyError):
    """Formatting would have changed the content of a file; nothing was written."""


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


def style_document(document: Any, stages: Sequence[str]) -> None:
    """Bring a round-trip KPI document into canonical order and style, in place."""
    yamlio.reorder(document, TOP_KEYS)
    kpi = document.get("kpi")
    if not isinstance(kpi, dict):
        return
    yamlio.reorder(kpi, KPI_KEYS)
    for key, order in (("definitionSource", SOURCE_KEYS), ("metricBasis", BASIS_KEYS),
                       ("deprecation", DEPRECATION_KEYS), ("stageRelevance", tuple(stages))):
        if isinstance(kpi.get(key), dict):
            yamlio.reorder(kpi[key], order)
    for key in FLOW_FIELDS:
        yamlio.set_flow(kpi.get(key), True)
    for key in BLOCK_FIELDS:
        yamlio.set_flow(kpi.get(key), False)
    for key in PROSE_FIELDS:  # a comment after a plain value would dangle below a folded one
        if isinstance(kpi.get(key), str) and not yamlio.has_comment(kpi, key):
            kpi[key] = yamlio.fold(str(kpi[key]), PROSE_INDENT)


def canonical_text(text: str, stages: Sequence[str]) -> str:
    """The canonical form of a KPI file's text; raises FormatError if content would change."""
    document = yamlio.load_round_trip(text)
    style_document(document, stages)
    result = yamlio.dump_round_trip(document)
    ensure_same_content(text, result)
    return result


def ensure_same_content(before: str, after: str) -> None:
    """Refuse a rewrite whose data differs from the original's in any value."""
    if yamlio.load_fast(before.encode("utf-8")) != yamlio.load_fast(after.encode("utf-8")):
        raise FormatError("rewriting would change the file's content")


def format_file(path: Any, stages: Sequence[str], *, write: bool) -> bool:
    """Bring one KPI file into canonical form; True when it was (or would be) changed."""
    from ontology_tools.atomic import write_atomic

    text = path.read_bytes().decode("utf-8")
    result = canonical_text(text, stages)
    if result == text:
        return False
    if write:
        write_atomic(path, result)
    return True
