"""Checks of one KPI file against its path, the vocabularies and the other KPIs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any

from ontology_tools.model import Severity, Stamp, kpi_path_for, rogue_id_for
from ontology_tools.validation.context import KpiFile, OntologyContext
from ontology_tools.validation.registry import Issue, kpi_rule

SUGGESTED_LEVELS = frozenset({"core", "recommended"})


@kpi_rule("id-mismatch", Severity.ERROR, "rogueId is not domain + '.' + slug")
def id_mismatch(kpi_file: KpiFile, ctx: OntologyContext) -> Iterable[Issue]:
    kpi = kpi_file.kpi
    expected = f"{kpi['domain']}.{kpi['slug']}"
    if kpi["rogueId"] != expected:
        yield Issue(("kpi", "rogueId"),
                    f"rogueId {kpi['rogueId']!r} should be {expected!r} (domain + '.' + slug)")


@kpi_rule("path-mismatch", Severity.ERROR, "the file is not at ontology/<domain>/<slug>.yaml")
def path_mismatch(kpi_file: KpiFile, ctx: OntologyContext) -> Iterable[Issue]:
    kpi = kpi_file.kpi
    from_path = rogue_id_for(kpi_file.path)
    expected = kpi_path_for(f"{kpi['domain']}.{kpi['slug']}")
    if from_path != f"{kpi['domain']}.{kpi['slug']}":
        yield Issue(("kpi", "slug"), f"a KPI with domain {kpi['domain']!r} and slug "
                    f"{kpi['slug']!r} belongs at {expected}")


@kpi_rule("duplicate-id", Severity.ERROR, "two KPI files carry the same rogueId")
def duplicate_id(kpi_file: KpiFile, ctx: OntologyContext) -> Iterable[Issue]:
    rogue_id = kpi_file.kpi["rogueId"]
    others = [path for path in ctx.paths_by_rogue_id.get(rogue_id, ())
              if path != kpi_file.path]
    if others:
        yield Issue(("kpi", "rogueId"), f"rogueId {rogue_id!r} is also used by {others[0]}")


@kpi_rule("unknown-vocabulary", Severity.ERROR,
          "a value is not in the vocabularies of ontology.yaml")
def unknown_vocabulary(kpi_file: KpiFile, ctx: OntologyContext) -> Iterable[Issue]:
    if not ctx.vocabulary_known:  # ontology.yaml is broken; its findings say so, once
        return
    vocab = ctx.settings.vocabulary
    kpi = kpi_file.kpi
    basis = kpi["metricBasis"]
    checks: list[tuple[str, Collection[str], tuple[str | int, ...], str, bool]] = [
        (kpi["domain"], vocab.domains, ("kpi", "domain"), "domain", False),
        (kpi["fieldType"], vocab.field_types, ("kpi", "fieldType"), "field type", False),
        (kpi["maturity"], vocab.maturities, ("kpi", "maturity"), "maturity", False),
    ]
    if kpi["unit"] is not None:
        checks.append((kpi["unit"], vocab.units, ("kpi", "unit"), "unit", False))
    checks += [(stage, vocab.stages, ("kpi", "suggestedForStages", index), "stage", False)
               for index, stage in enumerate(kpi["suggestedForStages"])]
    for stage, level in kpi["stageRelevance"].items():
        checks += [(stage, vocab.stages, ("kpi", "stageRelevance", stage), "stage", True),
                   (level, vocab.relevance_levels, ("kpi", "stageRelevance", stage),
                    "stage relevance level", False)]
    checks += [(owner, vocab.owning_functions, ("kpi", "defaultOwningFunctions", index),
                "owning function", False)
               for index, owner in enumerate(kpi["defaultOwningFunctions"])]
    checks += [(basis["timeBasis"], vocab.time_bases, ("kpi", "metricBasis", "timeBasis"),
                "time basis", False),
               (basis["production"], vocab.production_kinds,
                ("kpi", "metricBasis", "production"), "production kind", False)]
    for value, allowed, at, what, on_key in checks:
        if value not in allowed:
            yield Issue(at, f"unknown {what} {value!r} (expected one of {', '.join(allowed)})",
                        on_key=on_key)


@kpi_rule("related-unknown", Severity.ERROR, "a relatedKpiIds entry names no KPI")
def related_unknown(kpi_file: KpiFile, ctx: OntologyContext) -> Iterable[Issue]:
    for index, related in enumerate(kpi_file.kpi["relatedKpiIds"]):
        if not ctx.exists(related) and related != kpi_file.kpi["rogueId"]:
            yield Issue(("kpi", "relatedKpiIds", index), f"related KPI {related!r} does not exist")


@kpi_rule("related-self", Severity.ERROR, "a KPI lists itself in relatedKpiIds")
def related_self(kpi_file: KpiFile, ctx: OntologyContext) -> Iterable[Issue]:
    for index, related in enumerate(kpi_file.kpi["relatedKpiIds"]):
        if related == kpi_file.kpi["rogueId"]:
            yield Issue(("kpi", "relatedKpiIds", index), "a KPI cannot be related to itself")


@kpi_rule("stages-mismatch", Severity.ERROR,
          "suggestedForStages is not exactly the stages whose relevance is core or recommended")
def stages_mismatch(kpi_file: KpiFile, ctx: OntologyContext) -> Iterable[Issue]:
    kpi = kpi_file.kpi
    suggested = set(kpi["suggestedForStages"])
    expected = {stage for stage, level in kpi["stageRelevance"].items()
                if level in SUGGESTED_LEVELS}
    for stage in sorted(suggested - expected):
        index = kpi["suggestedForStages"].index(stage)
        yield Issue(("kpi", "suggestedForStages", index), f"stage {stage!r} is suggested but its "
                    "relevance is not core or recommended")
    for stage in sorted(expected - suggested):
        yield Issue(("kpi", "stageRelevance", stage), f"stage {stage!r} is "
                    f"{kpi['stageRelevance'][stage]} but missing from suggestedForStages")


@kpi_rule("stages-order", Severity.WARNING, "stages are not listed in the vocabulary's order")
def stages_order(kpi_file: KpiFile, ctx: OntologyContext) -> Iterable[Issue]:
    order = {stage: index for index, stage in enumerate(ctx.settings.vocabulary.stages)}
    kpi = kpi_file.kpi
    for key, stages in (("suggestedForStages", list(kpi["suggestedForStages"])),
                        ("stageRelevance", list(kpi["stageRelevance"]))):
        known = [stage for stage in stages if stage in order]
        if known != sorted(known, key=order.__getitem__):
            yield Issue(("kpi", key), f"{key} should list stages in order: "
                        + ", ".join(sorted(known, key=order.__getitem__)))


@kpi_rule("tier-published-source", Severity.ERROR,
          "a published-tier KPI lacks sourceName, sourceUrl or sectionRef, or publicationDate")
def tier_published_source(kpi_file: KpiFile, ctx: OntologyContext) -> Iterable[Issue]:
    source = kpi_file.kpi["definitionSource"]
    if source["tier"] != "published":
        return
    at = ("kpi", "definitionSource")
    if not source["sourceName"]:
        yield Issue((*at, "sourceName"), "a published-tier KPI needs the standard's sourceName")
    if not source["sourceUrl"] and not source["sectionRef"]:
        yield Issue((*at, "sourceUrl"), "a published-tier KPI needs a sourceUrl or a sectionRef")
    if not source["publicationDate"]:
        yield Issue((*at, "publicationDate"),
                    "a published-tier KPI needs the standard's publicationDate")


@kpi_rule("tier-editorial-url", Severity.ERROR, "an editorial-tier KPI carries a sourceUrl")
def tier_editorial_url(kpi_file: KpiFile, ctx: OntologyContext) -> Iterable[Issue]:
    source = kpi_file.kpi["definitionSource"]
    if source["tier"] == "editorial" and source["sourceUrl"]:
        yield Issue(("kpi", "definitionSource", "sourceUrl"), "an editorial-tier KPI has no "
                    "sourceUrl; cite the standard with `ontology promote` instead")


@kpi_rule("date-invalid", Severity.ERROR, "a date is not a real calendar date")
def date_invalid(kpi_file: KpiFile, ctx: OntologyContext) -> Iterable[Issue]:
    for at, value in _dates(kpi_file.data):
        if value is None:
            continue
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            yield Issue(at, f"{value!r} is not a real calendar date")


def _dates(data: Mapping[str, Any]) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    kpi = data["kpi"]
    if "releasedAt" in data:
        yield ("releasedAt",), data["releasedAt"]
    yield ("kpi", "definitionSource", "publicationDate"), kpi["definitionSource"]["publicationDate"]
    if "deprecation" in kpi:
        yield ("kpi", "deprecation", "date"), kpi["deprecation"]["date"]


@kpi_rule("stamp-edited", Severity.ERROR,
          "version or releasedAt differs from what the last release stamped")
def stamp_edited(kpi_file: KpiFile, ctx: OntologyContext) -> Iterable[Issue]:
    if ctx.released is None:
        return
    stamp = ctx.released.get(kpi_file.kpi["rogueId"])
    if stamp is None:
        # a renamed KPI may keep its predecessor's stamps (the file was moved) or drop them
        stamp = _predecessor_stamp(kpi_file, ctx)
        if stamp is None or "version" not in kpi_file.data:
            stamp = None
    for key, released in (("version", stamp.version if stamp else None),
                          ("releasedAt", stamp.released_at if stamp else None)):
        current = kpi_file.data.get(key)
        if current != released:
            was = f"the last release stamped {released}" if released else "it was never released"
            yield Issue((key,) if key in kpi_file.data else ("kpi",),
                        f"{key} is {current or 'missing'} but {was}; only `ontology release` "
                        "writes it")


def _predecessor_stamp(kpi_file: KpiFile, ctx: OntologyContext) -> Stamp | None:
    released = ctx.released or {}
    for old in kpi_file.kpi.get("supersedes", []):
        if old in released and old not in ctx.kpis:
            return released[old]
    return None


@kpi_rule("lifecycle-unknown", Severity.ERROR,
          "supersedes or deprecation.replacedBy names an id that never existed")
def lifecycle_unknown(kpi_file: KpiFile, ctx: OntologyContext) -> Iterable[Issue]:
    kpi = kpi_file.kpi
    for index, old in enumerate(kpi.get("supersedes", [])):
        if old == kpi["rogueId"]:
            yield Issue(("kpi", "supersedes", index), "a KPI cannot supersede itself")
        elif ctx.past_known and not ctx.existed(old):
            yield Issue(("kpi", "supersedes", index), f"supersedes {old!r}, which never existed")
    replaced_by = kpi.get("deprecation", {}).get("replacedBy")
    if replaced_by == kpi["rogueId"]:
        yield Issue(("kpi", "deprecation", "replacedBy"), "a KPI cannot replace itself")
    elif replaced_by and not ctx.exists(replaced_by):
        yield Issue(("kpi", "deprecation", "replacedBy"),
                    f"replacedBy {replaced_by!r} does not exist")
