"""The Sources page: every published-tier citation, grouped by source, with the KPIs on it."""

from __future__ import annotations

import copy
import json
import tarfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from markupsafe import escape

from ontology_tools import yamlio
from ontology_tools.render.docs.site import CONTENT_SECURITY_POLICY, render_site
from ontology_tools.render.docs.sources import WorktreeOntology, read_worktree
from tests.conftest import REPO, run_cli
from tests.docs.site_reading import HOSTILE, STAND_IN_RULES, visible_lines
from tests.release import scenario
from tests.support.pages import parsed

SOURCES = "sources.html"
WHOLE_SOURCE = "The whole source"


@dataclass
class Cited:
    """One citation box of the page as a reader sees it."""

    source: str
    url: str
    section: str = ""
    date: str = ""
    notice: str = ""
    kpi_pages: list[str] = field(default_factory=list)


class SourcesReader(HTMLParser):
    """The sources page read back: its sections (id, source name, link) and citation boxes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: dict[str, str] = {}  # section id -> source name
        self.boxes: list[Cited] = []
        self.hrefs: list[str] = []
        self.script = False
        self._section: str | None = None
        self._name = ""
        self._url = ""
        self._capture: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if tag == "script" or any(name.startswith("on") for name in values):
            self.script = True
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")
        section_id = values.get("id") or ""
        if tag == "section" and section_id.startswith("source-"):
            self._section, self._name, self._url = section_id, "", ""
        elif self._section is None:
            return
        if tag == "h2":
            self._start("name")
        elif tag == "a" and "source-url" in classes:
            self._url = values.get("href") or ""
        elif tag == "div" and "box" in classes:
            self.boxes.append(Cited(self._name, self._url))
        elif tag == "p" and "box-title" in classes:
            self._start("section")
        elif tag == "span" and "date" in classes:
            self._start("date")
        elif tag == "p" and self.boxes and not classes:
            self._start("paragraph")
        elif tag == "a" and self.boxes and self.boxes[-1].source == self._name:
            self.boxes[-1].kpi_pages.append(values.get("href") or "")

    def _start(self, what: str) -> None:
        self._capture, self._text = what, []

    def handle_data(self, data: str) -> None:
        if self._capture is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._capture is None or tag not in ("h2", "p", "span"):
            return
        text, what = "".join(self._text).strip(), self._capture
        self._capture = None
        if what == "name" and self._section is not None:
            self._name = self.anchors[self._section] = text
        elif what == "section":
            self.boxes[-1].section = "" if text == WHOLE_SOURCE else text
        elif what == "date":
            self.boxes[-1].date = text
        elif what == "paragraph" and text.startswith("Attribution: "):
            self.boxes[-1].notice = text.removeprefix("Attribution: ")


def read_sources(html: str) -> SourcesReader:
    """Parse a rendered sources page."""
    return parsed(SourcesReader(), html)


def text_of(value: Any) -> str:
    """A source field as the page shows it: '' for a missing one, dates as YYYY-MM-DD."""
    return "" if value is None else str(value)


def published_citations(kpis: Mapping[str, Mapping[str, Any]]) -> set[tuple[str, ...]]:
    """(page, source name, url, section, date, notice) for every published-tier KPI."""
    found: set[tuple[str, ...]] = set()
    for rogue_id, kpi in kpis.items():
        source = kpi.get("definitionSource") or {}
        if source.get("tier") != "published":
            continue
        domain, slug = rogue_id.split(".")
        found.add((f"kpis/{domain}/{slug}.html", text_of(source.get("sourceName")),
                   text_of(source.get("sourceUrl")), text_of(source.get("sectionRef")),
                   text_of(source.get("publicationDate")),
                   text_of(source.get("attributionNotice"))))
    return found


def shown_citations(reader: SourcesReader) -> set[tuple[str, ...]]:
    """The same tuples, as the page shows them: one per KPI link of each citation box."""
    return {(page, box.source, box.url, box.section, box.date, box.notice)
            for box in reader.boxes for page in box.kpi_pages}


def shipped_kpis() -> dict[str, Mapping[str, Any]]:
    """The shipped ontology's KPIs, read straight from the YAML files (not through the site)."""
    kpis = {}
    for path in sorted((REPO / "ontology").glob("*/*.yaml")):
        document = yamlio.load_fast(path.read_bytes())
        kpis[f"{path.parent.name}.{path.stem}"] = document["kpi"]
    return kpis


def site_of(source: WorktreeOntology,
            kpis: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, str]:
    """Every page of a site, in memory."""
    return render_site(source.kpis if kpis is None else kpis, source.settings,
                       rules=STAND_IN_RULES)


def published(kpi: Mapping[str, Any], **fields: Any) -> dict[str, Any]:
    """A copy of `kpi` in the published tier, citing `fields` over a default citation."""
    changed = copy.deepcopy(dict(kpi))
    changed["definitionSource"] = {
        "tier": "published", "sourceName": "SaaS Metrics Standard",
        "sourceUrl": "https://example.org/saas", "sectionRef": "Section 2",
        "publicationDate": "2025-11-01", "attributionNotice": "Adapted from the standard.",
        **fields}
    return changed


def test_every_published_kpi_of_the_shipped_ontology_is_listed_with_its_citation() -> None:
    kpis = shipped_kpis()
    expected = published_citations(kpis)
    assert expected, "the shipped ontology has published-tier KPIs"
    pages = site_of(read_worktree(REPO))
    reader = read_sources(pages[SOURCES])
    assert shown_citations(reader) == expected
    for page, *_ in expected:
        assert page in pages  # every link leads to a page of the site
    editorial = sum(1 for kpi in kpis.values()
                    if (kpi.get("definitionSource") or {}).get("tier") != "published")
    text = " ".join(visible_lines(pages[SOURCES]))
    assert f"{editorial} KPIs are in the editorial tier" in text
    assert f"{len(expected)} KPIs are in the published tier" in text
    assert "methodology.html#tiers" in reader.hrefs


def test_one_source_groups_its_sections_and_a_shared_citation_lists_every_kpi(
        mini_ontology: WorktreeOntology) -> None:
    kpis = dict(mini_ontology.kpis)
    kpis["sales.arr"] = published(kpis["sales.arr"])
    kpis["customers.logo_churn_rate"] = published(kpis["customers.logo_churn_rate"])
    kpis["customers.total_customers"] = published(kpis["customers.total_customers"],
                                                  sectionRef="Section 7")
    # same name, another address: another document, so another source
    kpis["customers.customers_churned"] = published(kpis["customers.customers_churned"],
                                                    sourceUrl="https://example.org/saas-v2")
    reader = read_sources(site_of(mini_ontology, kpis)[SOURCES])
    assert len(reader.anchors) == 2
    assert sorted((box.url, box.section, len(box.kpi_pages)) for box in reader.boxes) == [
        ("https://example.org/saas", "Section 2", 2), ("https://example.org/saas", "Section 7", 1),
        ("https://example.org/saas-v2", "Section 2", 1)]
    shared = next(box for box in reader.boxes if len(box.kpi_pages) == 2)
    # by label: ARR before Logo Churn Rate
    assert shared.kpi_pages == ["kpis/sales/arr.html", "kpis/customers/logo_churn_rate.html"]
    assert shown_citations(reader) == published_citations(kpis)


def test_an_ontology_with_no_published_kpi_says_so(mini_ontology: WorktreeOntology) -> None:
    html = site_of(mini_ontology)[SOURCES]
    text = " ".join(visible_lines(html))
    assert not read_sources(html).boxes
    assert "No KPI is in the published tier yet" in text
    assert f"{len(mini_ontology.kpis)} KPIs are in the editorial tier" in text


def test_hostile_source_fields_are_escaped_and_nothing_runs(
        mini_ontology: WorktreeOntology) -> None:
    kpis = dict(mini_ontology.kpis)
    kpis["sales.arr"] = published(
        kpis["sales.arr"], sourceName=f"<script>alert(1)</script> {HOSTILE}",
        sourceUrl="javascript:alert(1)", sectionRef=f"<b>§ 4</b> {HOSTILE}",
        publicationDate="2025-11-01<img src=x onerror=alert(1)>",
        attributionNotice=f"</p><script>alert(2)</script>{HOSTILE}")
    html = site_of(mini_ontology, kpis)[SOURCES]
    reader = read_sources(html)
    assert not reader.script, "a script element or an event handler reached the page"
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not any(href.startswith("javascript:") for href in reader.hrefs)
    box, = reader.boxes
    assert box.source == f"<script>alert(1)</script> {HOSTILE}"  # the literal text, read back
    assert box.section == f"<b>§ 4</b> {HOSTILE}"
    assert box.notice == f"</p><script>alert(2)</script>{HOSTILE}"
    assert box.url == ""  # not an http(s) address: shown as text, never linked
    assert "javascript:alert(1)" in " ".join(visible_lines(html))
    csp = f'<meta http-equiv="Content-Security-Policy" content="{escape(CONTENT_SECURITY_POLICY)}">'
    assert csp in html and csp in site_of(mini_ontology, kpis)["index.html"]


def test_every_page_links_the_sources_page_and_a_kpi_page_its_own_source(
        mini_ontology: WorktreeOntology) -> None:
    kpis = dict(mini_ontology.kpis)
    kpis["sales.arr"] = published(kpis["sales.arr"])
    pages = site_of(mini_ontology, kpis)
    anchors = read_sources(pages[SOURCES]).anchors
    assert 'href="sources.html"' in pages["index.html"]
    assert 'href="sources.html"' in pages["methodology.html"]
    arr = pages["kpis/sales/arr.html"]
    anchor, = anchors
    assert f'href="../../sources.html#{anchor}">all sources</a>' in arr
    for rogue_id in kpis:
        domain, slug = rogue_id.split(".")
        if rogue_id != "sales.arr":  # editorial: the page as a whole
            page = pages[f"kpis/{domain}/{slug}.html"]
            assert 'href="../../sources.html">all sources</a>' in page


def test_a_new_source_moves_no_other_kpi_pages_link(mini_ontology: WorktreeOntology) -> None:
    kpis = dict(mini_ontology.kpis)
    kpis["sales.arr"] = published(kpis["sales.arr"], sourceName="Zeta Standard")
    before = site_of(mini_ontology, kpis)["kpis/sales/arr.html"]
    kpis["customers.total_customers"] = published(kpis["customers.total_customers"],
                                                  sourceName="Alpha Standard")
    after = site_of(mini_ontology, kpis)["kpis/sales/arr.html"]
    link = before[before.index('href="../../sources.html#'):].split('"')[1]
    assert f'href="{link}"' in after


def test_docs_writes_the_sources_page(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run_cli(mini, "docs", "--out", str(out))
    assert result.exit_code == 0, result.output
    html = (out / SOURCES).read_text(encoding="utf-8")
    assert "No KPI is in the published tier yet" in " ".join(visible_lines(html))
    assert SOURCES in json.loads((out / ".ontology-docs.json").read_text())["files"]


def test_the_release_bundle_ships_the_sources_page_and_verifies(
        mini_repo: Path, tmp_path: Path) -> None:
    scenario.second_release_ready(mini_repo)  # promotes sales.arr to the published tier
    result = run_cli(mini_repo, "release", "--tag", "--date", scenario.SECOND_DATE)
    assert result.exit_code == 0, result.output
    folder = mini_repo / "dist/ontology-2.0.0"
    html = (folder / "docs" / SOURCES).read_bytes()
    box, = read_sources(html.decode("utf-8")).boxes
    assert (box.source, box.url, box.date) == (
        "SaaS Metrics Standard", "https://example.org/saas-metrics", "2025-11-01")
    assert box.kpi_pages == ["kpis/sales/arr.html"]
    assert (folder / "docs" / box.kpi_pages[0]).is_file()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    entry, = (f for f in manifest["files"] if f["path"] == f"docs/{SOURCES}")
    assert entry["size"] == len(html)
    with tarfile.open(folder.with_name("ontology-2.0.0.tar.gz")) as archive:
        member = archive.extractfile(f"ontology-2.0.0/docs/{SOURCES}")
        assert member is not None and member.read() == html
    for bundle in (folder, folder.with_name("ontology-2.0.0.tar.gz")):
        verified = run_cli(mini_repo, "verify", str(bundle))
        assert verified.exit_code == 0, verified.output
    (folder / "docs" / SOURCES).write_bytes(html.replace(b"SaaS", b"Saas", 1))
    verified = run_cli(mini_repo, "verify", str(folder))
    assert verified.exit_code == 1 and f"docs/{SOURCES}: sha256" in verified.output
