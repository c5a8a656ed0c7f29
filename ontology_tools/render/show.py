"""`ontology show --format html`: the docs KPI page of one point in a KPI's life."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ontology_tools.errors import OntologyError

if TYPE_CHECKING:
    from ontology_tools.project import Project
    from ontology_tools.review.show import ShownKpi


def show_page(project: Project, shown: ShownKpi) -> str:
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
