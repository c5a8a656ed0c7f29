"""Snapshots built in memory, as `snapshots.py` builds them from files, for tests of the pure core.

A KPI's digest is the hash of its stamps and content, as a git blob's is of its bytes: equal
KPIs on two sides have equal digests, so the fast path of `assemble_plan` is exercised as it is
on a repository.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from ontology_tools.model import Bump, KpiDocument, KpiSource, Note, Snapshot, Waiver, kpi_path_for

RELEASED = "1.2.0"

_VOCABULARIES: dict[str, Any] = {
    "domains": {"customers": "Customers", "sales": "Sales"},
    "stages": {"preSeed": "Pre-Seed", "seed": "Seed", "seriesA": "Series A"},
    "owningFunctions": ["Executive", "Finance", "Sales"],
    "fieldTypes": {"number": "Number", "currency": "Currency", "ratio": "Ratio"},
    "units": {"USD": "US dollars", "days": "Days", "people": "People"},
    "maturities": {"general": "General", "emerging": "Emerging"},
    "stageRelevanceLevels": {"core": "Core", "optional": "Optional"},
    "timeBases": {"point_in_time": "Point in time", "period": "Over a period"},
    "productionKinds": {"primary": "Primary", "derived": "Derived"},
    "tiers": {"editorial": "Editorial", "published": "Published"},
}


def ontology(version: str | None = RELEASED, **settings: Any) -> dict[str, Any]:
    """An ontology.yaml mapping with small vocabularies; `settings` add or replace keys."""
    released_at = "2026-05-20" if version else None
    return {"name": "Memory Ontology", "publisher": "I'mBoard", "version": version,
            "releasedAt": released_at, "tagPrefix": "v", "requireNotes": True,
            "vocabularies": copy.deepcopy(_VOCABULARIES), **settings}


def kpi(rogue_id: str, **fields: Any) -> dict[str, Any]:
    """A complete, valid KPI `kpi` mapping for `rogue_id`; `fields` replace its defaults."""
    domain, _, slug = rogue_id.partition(".")
    content: dict[str, Any] = {
        "rogueId": rogue_id, "slug": slug, "domain": domain,
        "defaultLabel": slug.replace("_", " ").title(),
        "description": f"How many {slug.replace('_', ' ')} there are at the end of the period.",
        "fieldType": "number", "unit": None, "maturity": "general",
        "suggestedForStages": ["preSeed", "seed", "seriesA"],
        "defaultOwningFunctions": ["Sales"],
        "stageRelevance": {"preSeed": "core", "seed": "core", "seriesA": "core"},
        "definitionSource": {"tier": "editorial", "sourceName": "imboard Editorial",
                             "sourceUrl": None, "sectionRef": None,
                             "publicationDate": "2026-04-01", "attributionNotice": None},
        "formula": "Count of customer logos with an active paid contract on the reporting date.",
        "whyItMatters": "The denominator beneath every retention metric.",
        "interpretationGuidance": "Compare with the company's own trailing trend.",
        "relatedKpiIds": [],
        "metricBasis": {"timeBasis": "point_in_time", "production": "primary"},
    }
    content.update(fields)
    return content


def edited(content: Mapping[str, Any], **fields: Any) -> dict[str, Any]:
    """A deep copy of a KPI's content with `fields` replaced (nested mappings copied too)."""
    result = copy.deepcopy(dict(content))
    result.update(copy.deepcopy(fields))
    return result


def snapshot_of(kpis: Mapping[str, Mapping[str, Any]], *,
                config: Mapping[str, Any] | None = None,
                versions: Mapping[str, str | None] | None = None,
                notes: Sequence[Note] = (), ref: str = "memory") -> Snapshot:
    """A snapshot holding `kpis` (rogueId → `kpi` mapping) and the ontology `config`.

    Each KPI is stamped with `versions[rogueId]`, else with the ontology's version.
    """
    config = dict(ontology() if config is None else config)
    documents = {}
    for rogue_id, content in kpis.items():
        version = (versions or {}).get(rogue_id, config.get("version"))
        documents[rogue_id] = KpiDocument(rogue_id, kpi_path_for(rogue_id), version,
                                          config.get("releasedAt") if version else None,
                                          copy.deepcopy(dict(content)))
    sources = {rogue_id: _source(document) for rogue_id, document in documents.items()}
    return Snapshot(ref, config, sources, lambda source: documents[source.rogue_id],
                    notes=tuple(notes))


def _source(document: KpiDocument) -> KpiSource:
    data = json.dumps({"version": document.version, "releasedAt": document.released_at,
                       "kpi": document.content}, sort_keys=True).encode()
    return KpiSource(document.rogue_id, document.path, hashlib.sha1(data).hexdigest(),
                     lambda: data)


def note(file: str, *kpis: str, summary: str = "Why it changed.", bump: Bump | None = None,
         waive: Sequence[Waiver] = (), dispute: str | None = None) -> Note:
    """A change note naming `kpis`."""
    return Note(f"changelog/unreleased/{file}.yaml", kpis, summary, dispute, bump, tuple(waive))
