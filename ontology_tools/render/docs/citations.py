"""The Sources page: every published-tier citation, grouped by source, with the KPIs resting on it.

A source is its `sourceName` and `sourceUrl` together (two documents of one publisher are two
sources); a citation is one `sectionRef`, `publicationDate` and `attributionNotice` of a source.
Editorial KPIs cite no outside standard, so the page only counts them. Everything is built from
the KPI summaries the index already holds, so the page costs nothing per KPI beyond its line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from ontology_tools.render.docs.views import KpiSummary

SOURCES_PAGE = "sources.html"


@dataclass(frozen=True)
class Citation:
    """One section of a source, as the published KPIs cite it, and those KPIs by label."""

    section: str
    date: str
    notice: str
    kpis: tuple[KpiSummary, ...]


@dataclass(frozen=True)
class SourceGroup:
    """One outside source: its name, its link (only an http(s) URL is linked), its citations."""

    anchor: str
    name: str
    url: str | None
    url_text: str
    citations: tuple[Citation, ...]

    @property
    def kpi_count(self) -> int:
        """How many KPIs rest on this source, over all its citations."""
        return sum(len(citation.kpis) for citation in self.citations)


@dataclass(frozen=True)
class SourcesPage:
    """What sources.html shows: the sources in name order and the tier counts."""

    groups: tuple[SourceGroup, ...]
    published_count: int
    editorial_count: int


def source_anchor(name: str, url: str) -> str:
    """The id of a source's section on the Sources page.

    Derived from the source itself, not from its position, so adding a source changes no
    other KPI page's link (and no other page's bytes).
    """
    digest = hashlib.sha256(f"{name}\0{url}".encode()).hexdigest()[:12]
    return f"source-{digest}"


def sources_page(summaries: Iterable[KpiSummary]) -> SourcesPage:
    """Group the published-tier KPIs by source, then by citation; count the editorial ones."""
    grouped: dict[tuple[str, str], dict[tuple[str, str, str], list[KpiSummary]]] = {}
    links: dict[tuple[str, str], str | None] = {}
    editorial = 0
    for entry in summaries:
        source = entry.source
        if source.editorial:
            editorial += 1
            continue
        key = (source.name, source.url_text)
        links[key] = source.url
        citation = (source.section, source.date, source.notice)
        grouped.setdefault(key, {}).setdefault(citation, []).append(entry)
    groups = tuple(
        SourceGroup(anchor=source_anchor(*key), name=key[0], url=links[key], url_text=key[1],
                    citations=_citations(grouped[key]))
        for key in sorted(grouped, key=lambda k: (k[0].casefold(), k[0], k[1])))
    published = sum(group.kpi_count for group in groups)
    return SourcesPage(groups, published, editorial)


def _citations(by_citation: dict[tuple[str, str, str], list[KpiSummary]]) -> tuple[Citation, ...]:
    return tuple(
        Citation(section, date, notice,
                 tuple(sorted(kpis, key=lambda v: (v.label.casefold(), v.rogue_id))))
        for (section, date, notice), kpis in sorted(
            by_citation.items(), key=lambda item: (item[0][0].casefold(), item[0])))
