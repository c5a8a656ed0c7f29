"""`ontology promote`: back-attribution — editorial → published tier, edited in place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ontology_tools import yamlio
from ontology_tools.dates import parse_date
from ontology_tools.errors import OntologyError
from ontology_tools.model import kpi_path_for
from ontology_tools.runtime.atomic import write_atomic


@dataclass(frozen=True)
class Attribution:
    """The public standard a KPI's definition is now attributed to."""

    source_name: str
    publication_date: str
    source_url: str | None = None
    section_ref: str | None = None
    notice: str | None = None


def promote(root: Path, rogue_id: str, attribution: Attribution) -> Path:
    """Set the KPI's definitionSource to the standard, keeping comments and layout."""
    _check(attribution)
    path = root / kpi_path_for(rogue_id)
    if not path.is_file():
        raise OntologyError(f"no KPI {rogue_id!r} (looked for {kpi_path_for(rogue_id)})")
    text = path.read_text(encoding="utf-8")
    document = yamlio.load_round_trip(text)
    source = document.get("kpi", {}).get("definitionSource")
    if not isinstance(source, dict):
        raise OntologyError(f"{kpi_path_for(rogue_id)} has no kpi.definitionSource "
                            "(run `ontology validate`)")
    if source.get("tier") == "published":
        raise OntologyError(f"{rogue_id} is already on the published tier "
                            f"({source.get('sourceName')})")
    source["tier"] = "published"
    source["sourceName"] = attribution.source_name
    source["sourceUrl"] = attribution.source_url
    source["sectionRef"] = attribution.section_ref
    source["publicationDate"] = yamlio.plain_date(attribution.publication_date)
    source["attributionNotice"] = attribution.notice
    write_atomic(path, yamlio.dump_round_trip(document))
    return path


def _check(attribution: Attribution) -> None:
    if not attribution.source_name.strip():
        raise OntologyError("--source-name must not be empty")
    if not attribution.source_url and not attribution.section_ref:
        raise OntologyError("a published source needs --source-url or --section-ref")
    if attribution.source_url and not attribution.source_url.startswith(("https://", "http://")):
        raise OntologyError(f"--source-url {attribution.source_url!r} must start with https://")
    parse_date(attribution.publication_date, "--publication-date")
