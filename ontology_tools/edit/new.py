"""`ontology new`: a valid editorial-tier skeleton for a new KPI."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ontology_tools import yamlio
from ontology_tools.edit.fmt import format_text
from ontology_tools.errors import OntologyError, UsageError
from ontology_tools.model import kpi_path_for
from ontology_tools.project import Settings
from ontology_tools.runtime.atomic import write_atomic

NAME = re.compile(r"^[a-z][a-z0-9_]{0,79}$")


def new_kpi(root: Path, settings: Settings, domain: str, slug: str, *, label: str | None,
            owner: str | None, today: dt.date) -> Path:
    """Write `ontology/<domain>/<slug>.yaml`; refuse bad names and existing files."""
    vocab = settings.vocabulary
    for what, value in (("domain", domain), ("slug", slug)):
        if not NAME.match(value):
            raise UsageError(f"{what} {value!r} must be lower-case letters, digits and "
                             "underscores, starting with a letter")
    if domain not in vocab.domains:
        raise UsageError(f"unknown domain {domain!r} (expected one of "
                         f"{', '.join(vocab.domains)}; add it to ontology.yaml first)")
    owner = owner or (vocab.owning_functions[0] if vocab.owning_functions else "Executive")
    if owner not in vocab.owning_functions:
        raise UsageError(f"unknown owning function {owner!r} (expected one of "
                         f"{', '.join(vocab.owning_functions)})")
    rogue_id = f"{domain}.{slug}"
    path = root / kpi_path_for(rogue_id)
    if path.exists():
        raise OntologyError(f"{kpi_path_for(rogue_id)} already exists")
    document = _skeleton(settings, rogue_id, label or slug.replace("_", " ").title(), owner, today)
    write_atomic(path, format_text(yamlio.dump_round_trip(document), list(vocab.stages)))
    return path


def _skeleton(settings: Settings, rogue_id: str, label: str, owner: str, today: dt.date) -> object:
    domain, _, slug = rogue_id.partition(".")
    vocab = settings.vocabulary
    todo = "TODO: {}."
    kpi = yamlio.new_mapping([
        ("rogueId", rogue_id), ("slug", slug), ("domain", domain), ("defaultLabel", label),
        ("description", todo.format("what is counted, in which unit, and the common pitfall")),
        ("fieldType", "number" if "number" in vocab.field_types else next(iter(vocab.field_types))),
        ("unit", None), ("maturity", next(iter(vocab.maturities), "general")),
        ("suggestedForStages", yamlio.new_sequence([])),
        ("defaultOwningFunctions", yamlio.new_sequence([owner])),
        ("stageRelevance", yamlio.new_mapping([])),
        ("definitionSource", yamlio.new_mapping([
            ("tier", "editorial"), ("sourceName", f"{settings.publisher} Editorial"),
            ("sourceUrl", None), ("sectionRef", None),
            ("publicationDate", yamlio.plain_date(today.isoformat())),
            ("attributionNotice", None)])),
        ("formula", todo.format("numerator, denominator, period, inclusions and exclusions")),
        ("whyItMatters", todo.format("why a board reads this")),
        ("interpretationGuidance", todo.format("how to read it and what to pair it with")),
        ("relatedKpiIds", yamlio.new_sequence([])),
        ("metricBasis", yamlio.new_mapping([
            ("timeBasis", next(iter(vocab.time_bases), "point_in_time")),
            ("production", next(iter(vocab.production_kinds), "primary"))])),
    ])
    return yamlio.new_mapping([("kpi", kpi)])
