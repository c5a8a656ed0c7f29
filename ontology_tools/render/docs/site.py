"""The static documentation site: an index, one page per KPI, the methodology and the sources.

`render_site` is a pure function of the KPIs, the settings and the change-rule catalog; the same
input gives the same bytes (sorted iteration, no clock). `build_site` writes its pages atomically.
Pages carry no script, load nothing from the network and declare a strict Content-Security-Policy.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ontology_tools.canonical import ordered_kpi
from ontology_tools.classify.catalog import ChangeRule, with_policy
from ontology_tools.kpi import Kpi
from ontology_tools.layout import bundle_kpi_path
from ontology_tools.project import Settings
from ontology_tools.project.disputes import Dispute
from ontology_tools.records import json_text
from ontology_tools.render.docs.citations import (
    SOURCES_PAGE,
    SourcesPage,
    source_anchor,
    sources_page,
)
from ontology_tools.render.docs.dispute_pages import dispute_pages, disputes_of
from ontology_tools.render.docs.views import (
    DEFAULT_JSON_BASE,
    DomainSection,
    KpiSummary,
    KpiView,
    Methodology,
    domain_sections,
    kpi_summary,
    kpi_view,
    methodology,
    split_id,
)
from ontology_tools.render.templating import CONTENT_SECURITY_POLICY, render
from ontology_tools.runtime.atomic import write_atomic
from ontology_tools.runtime.progress import Progress

SECTION_NAME = "Board Ontology"
INDEX_PAGE = "index.html"
METHODOLOGY_PAGE = "methodology.html"
BUILD_RECORD = ".ontology-docs.json"  # the files the last `ontology docs` wrote into its folder


def default_rules(settings: Settings) -> Sequence[ChangeRule]:
    """The change-rule catalog, with the project's policy applied."""
    return list(with_policy(settings.policy).values())


@dataclass(frozen=True)
class Site:
    """A documentation site ready to render.

    Preparing needs every KPI but only cheaply (the index lines, the methodology's table); a
    KPI page is built from its own KPI when it is rendered, so pages can be rendered anywhere,
    in any order, one by one.
    """

    kpis: Mapping[str, Kpi]
    settings: Settings
    summaries: tuple[KpiSummary, ...]
    values: Mapping[str, Any]
    sections: tuple[DomainSection, ...]
    method: Methodology
    versions: Mapping[str, str]
    json_base: str
    disputes: tuple[Dispute, ...] = ()

    @functools.cached_property
    def known(self) -> frozenset[str]:
        """The ids that have a page to link to (one set for every page, not one per page)."""
        return frozenset(self.kpis)

    def view(self, rogue_id: str) -> KpiView:
        """Everything the page of one KPI shows."""
        return kpi_view(self.kpis[rogue_id], self.settings, self.known,
                        version=self.versions.get(rogue_id), json_base=self.json_base)

    def index_page(self) -> str:
        """index.html: every KPI by domain."""
        return render("docs/index.html", site=self.values, root="", current="index",
                      sections=self.sections)

    def methodology_page(self) -> str:
        """methodology.html: the change rules, the tiers and the published KPIs."""
        return render("docs/methodology.html", site=self.values, root="", current="methodology",
                      method=self.method)

    @functools.cached_property
    def sources(self) -> SourcesPage:
        """The Sources page's values: the published-tier citations grouped by source."""
        return sources_page(self.summaries)

    def sources_page(self) -> str:
        """sources.html: every published-tier citation with the KPIs resting on it."""
        return render("docs/sources.html", site=self.values, root="", current="sources",
                      sources=self.sources)

    def kpi_page(self, rogue_id: str) -> str:
        """One KPI's page (at `page_for(rogue_id)`)."""
        view = self.view(rogue_id)
        return render("docs/kpi.html", site=self.values, root="../../", current="kpi", kpi=view,
                      disputes=disputes_of(self.disputes, rogue_id),
                      sources_href=sources_href(view))

    def dispute_pages(self) -> Iterator[tuple[str, str]]:
        """A page per dispute and the disputes index, in path order (none without disputes)."""
        yield from dispute_pages(self.disputes, self.values, self.known)

    def pages(self) -> Iterator[tuple[str, str]]:
        """Every page with its path, in path order: the disputes, the index, the KPI pages, the
        methodology, the sources."""
        yield from self.dispute_pages()
        yield INDEX_PAGE, self.index_page()
        for entry in self.summaries:
            yield entry.page, self.kpi_page(entry.rogue_id)
        yield METHODOLOGY_PAGE, self.methodology_page()
        yield SOURCES_PAGE, self.sources_page()


def sources_href(view: KpiView) -> str:
    """The Sources page, at this KPI's source when it cites one (site-root relative)."""
    source = view.source
    if source.editorial:
        return SOURCES_PAGE
    return f"{SOURCES_PAGE}#{source_anchor(source.name, source.url_text)}"


def prepare_site(kpis: Mapping[str, Mapping[str, Any]], settings: Settings, *,
                 rules: Sequence[ChangeRule], versions: Mapping[str, str] | None = None,
                 ontology_version: str | None = None, released_at: str | None = None,
                 json_base: str = DEFAULT_JSON_BASE, disputes: Sequence[Dispute] = ()) -> Site:
    """Everything the pages are made of, with the KPIs in the order of their pages."""
    for rogue_id in kpis:
        split_id(rogue_id)
    values_of = {rogue_id: _definition(rogue_id, content) for rogue_id, content in kpis.items()}
    versions = versions or {}
    summaries = tuple(sorted((kpi_summary(kpi, settings, version=versions.get(rid))
                              for rid, kpi in values_of.items()),
                             key=lambda entry: entry.page.split("/")))
    values = {"publisher": settings.publisher, "name": settings.name, "section": SECTION_NAME,
              "version": ontology_version, "released_at": released_at,
              "kpi_count": len(summaries)}
    return Site(values_of, settings, summaries, values, domain_sections(summaries, settings),
                methodology(rules, summaries, settings), versions, json_base, tuple(disputes))


def _definition(rogue_id: str, content: Mapping[str, Any]) -> Kpi:
    """The typed definition of a KPI, known by the id it is documented under."""
    kpi = Kpi.from_content(content)
    return kpi if kpi.rogue_id == rogue_id else dataclasses.replace(kpi, rogue_id=rogue_id)


def render_site(kpis: Mapping[str, Mapping[str, Any]], settings: Settings, *,
                rules: Sequence[ChangeRule], versions: Mapping[str, str] | None = None,
                ontology_version: str | None = None, released_at: str | None = None,
                json_base: str = DEFAULT_JSON_BASE,
                disputes: Sequence[Dispute] = ()) -> dict[str, str]:
    """Every page of the site as text, keyed by its path relative to the site root."""
    site = prepare_site(kpis, settings, rules=rules, versions=versions,
                        ontology_version=ontology_version, released_at=released_at,
                        json_base=json_base, disputes=disputes)
    return dict(site.pages())


def build_site(kpis: Mapping[str, Mapping[str, Any]], settings: Settings, out: Path, *,
               versions: Mapping[str, str] | None = None, ontology_version: str | None = None,
               released_at: str | None = None, rules: Sequence[ChangeRule] | None = None,
               json_base: str = DEFAULT_JSON_BASE,
               disputes: Sequence[Dispute] = ()) -> list[Path]:
    """Write the documentation site into `out` and return the files written, sorted.

    `kpis` maps each rogueId to its `kpi` mapping; `versions` maps rogueIds to released KPI
    versions (absent before a first release). `ontology_version` and `released_at` (YYYY-MM-DD)
    describe the release the site documents, if any. `rules` defaults to the change-rule catalog.
    `json_base` is the folder holding `<domain>/<slug>.json` for each KPI, relative to the site
    root (or an absolute URL): the default `../kpis` fits a release bundle, whose `docs/` folder
    sits beside `kpis/`, so a KPI page links to `../../../kpis/<domain>/<slug>.json`.
    """
    site = prepare_site(kpis, settings,
                        rules=default_rules(settings) if rules is None else rules,
                        versions=versions, ontology_version=ontology_version,
                        released_at=released_at, json_base=json_base, disputes=disputes)
    written = []
    # pages are rendered one by one as they are written, with progress on a terminal
    pages = len(site.summaries) + 3 + (len(site.disputes) + 1 if site.disputes else 0)
    with Progress("writing docs", pages) as progress:
        for relative, text in site.pages():
            write_atomic(out / relative, text)
            written.append(out / relative)
            progress.advance()
    return sorted(written)


def kpi_json_files(kpis: Mapping[str, Mapping[str, Any]], settings: Settings, *,
                   versions: Mapping[str, str] | None = None) -> dict[str, str]:
    """Each KPI as JSON at `kpis/<domain>/<slug>.json`, shaped like a release bundle's files.

    For a site built outside a release: written beside the pages and built with
    `json_base="kpis"`, the Machine-readable links of the KPI pages resolve.
    """
    stages = list(settings.vocabulary.stages)
    files: dict[str, str] = {}
    for rogue_id in sorted(kpis):
        split_id(rogue_id)  # refuses an id that is not a safe file name
        document: dict[str, Any] = {}
        if versions and rogue_id in versions:
            document["version"] = versions[rogue_id]
        document["kpi"] = ordered_kpi(kpis[rogue_id], stages)
        files[bundle_kpi_path(rogue_id)] = json_text(document)
    return files


def write_kpi_json(kpis: Mapping[str, Mapping[str, Any]], settings: Settings, out: Path, *,
                   versions: Mapping[str, str] | None = None) -> list[Path]:
    """Write `kpi_json_files` into `out` and return the files written, sorted."""
    return _write(out, kpi_json_files(kpis, settings, versions=versions))


def remove_stale(out: Path, kept: Collection[Path]) -> list[Path]:
    """Remove the files an earlier build recorded in `out` that this build did not write.

    Each build records the files it wrote in `out/.ontology-docs.json`; only those can be
    removed later (SPEC 7.2), so a file someone else put in `out`, even a `kpis/*/*.html`, is
    never touched. The new record is written last.
    """
    keep = {path.resolve() for path in kept}
    removed = []
    for path in sorted(recorded_files(out)):
        if path.resolve() not in keep and path.is_file() and not path.is_symlink():
            path.unlink()
            removed.append(path)
    _remove_empty_folders(out, removed)
    write_atomic(out / BUILD_RECORD, json.dumps(
        {"files": sorted(p.relative_to(out).as_posix() for p in kept)}, indent=2) + "\n")
    return removed


def recorded_files(out: Path) -> list[Path]:
    """The files the last build recorded in `out`; none when there is no readable record."""
    try:
        record = json.loads((out / BUILD_RECORD).read_bytes())
    except (OSError, ValueError, RecursionError):
        return []
    names = record.get("files") if isinstance(record, dict) else None
    if not isinstance(names, list):
        return []
    root = out.resolve()
    paths = []
    for name in names:
        if not isinstance(name, str) or not name or name.startswith("/") or "\\" in name:
            continue
        path = out / name
        if ".." not in Path(name).parts and path.resolve().is_relative_to(root):
            paths.append(path)  # a record edited to point outside `out` is ignored
    return paths


def _remove_empty_folders(out: Path, removed: Collection[Path]) -> None:
    folders = {parent for path in removed for parent in path.parents
               if parent != out and parent.is_relative_to(out)}
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def _write(out: Path, files: Mapping[str, str]) -> list[Path]:
    written = []
    for relative in sorted(files):
        path = out / relative
        write_atomic(path, files[relative])
        written.append(path)
    return written


__all__ = ["CONTENT_SECURITY_POLICY", "DEFAULT_JSON_BASE", "SOURCES_PAGE", "KpiView", "Site",
           "build_site", "kpi_json_files", "prepare_site", "remove_stale", "render_site",
           "write_kpi_json"]
