"""`ontology show`: a KPI at one point of its life, as text, its released files or a docs page."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ontology_tools.errors import OntologyError
from ontology_tools.render.plain import joined, one_line, paragraph

if TYPE_CHECKING:
    from ontology_tools.project import Project
    from ontology_tools.review.show import ShownKpi


def show_page(shown: ShownKpi, *, project: Project) -> str:
    """A standalone HTML page: the docs KPI page of that point, every value escaped."""
    from ontology_tools.project import Settings
    from ontology_tools.project.disputes import read_disputes
    from ontology_tools.render.docs.site import default_rules, prepare_site

    snapshot = shown.point.snapshot
    settings = Settings.from_config(snapshot.ontology)
    kpis: dict[str, Mapping[str, Any]] = {shown.rogue_id: shown.document.content}
    for other in snapshot.ids():  # every id, so related KPIs are known (not "not in this ontology")
        if other not in kpis:
            try:
                kpis[other] = snapshot.document(other).content
            except OntologyError:
                continue
    release = shown.point.release
    versions = {shown.rogue_id: shown.document.version} if shown.document.version else {}
    site = prepare_site(kpis, settings, rules=default_rules(settings), versions=versions,
                        ontology_version=release.version if release else None,
                        released_at=release.released_at if release else None,
                        disputes=read_disputes(project.root))
    return site.kpi_page(shown.rogue_id)


def show_json(shown: ShownKpi) -> bytes:
    """Exactly the bytes of the KPI's file in that release's bundle."""
    return shown.release_bytes()


def show_yaml(shown: ShownKpi) -> bytes:
    """The bytes of the source file as that point holds it."""
    return shown.source


@joined
def show_text(shown: ShownKpi) -> Iterator[str]:
    """A readable summary for the terminal."""
    kpi, document = shown.document.kpi, shown.document
    yield f"{kpi.label or shown.rogue_id}  ({shown.rogue_id})\n"
    yield f"version:   {document.version or 'unreleased'}"
    yield f", released {document.released_at}\n" if document.released_at else "\n"
    yield f"as of:     {shown.point.description}\n"
    source = kpi.source
    cited = ", ".join(value for value in (source.name, source.section, source.url) if value)
    yield f"tier:      {source.tier}" + (f" — {cited}" if cited else "") + "\n"
    yield f"type:      {kpi.field_type}" + (f" ({kpi.unit})" if kpi.unit else "")
    yield f"; maturity {kpi.maturity}\n"
    if kpi.basis is not None:
        yield f"basis:     {kpi.basis[0]}, {kpi.basis[1]}\n"
    for values, label in ((kpi.owners, "owners"), (kpi.stages, "stages"),
                          (kpi.related, "related"), (kpi.supersedes, "supersedes")):
        if values:
            yield f"{label + ':':<10} {', '.join(values)}\n"
    if kpi.deprecation is not None:
        deprecation = kpi.deprecation
        replaced = f"; use {deprecation.replaced_by}" if deprecation.replaced_by else ""
        yield f"DEPRECATED {deprecation.date}: {one_line(deprecation.reason)}{replaced}\n"
    for text, label in ((kpi.description, "Definition"), (kpi.formula, "Formula"),
                        (kpi.why_it_matters, "Why it matters"),
                        (kpi.interpretation, "How to interpret")):
        if text:
            yield f"\n{label}:\n{paragraph(text)}\n"
