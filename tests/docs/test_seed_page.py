"""The KPI page of customers.customer_segments shows what the seed documentation page shows."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from ontology_tools.render.docs.sources import WorktreeOntology
from tests.docs.site_reading import SEGMENTS_PAGE, normalise, squash, visible_lines
from tests.support.pages import parsed

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "customer_segments.page.txt"
LONG_LINE = 60  # seed lines at least this long are whole paragraphs: they must match exactly


def seed_lines() -> list[str]:
    """The seed page's visible text, one normalised line per non-empty line."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    return [normalise(line.strip().removeprefix("•")) for line in lines if line.strip()]


class Outline(HTMLParser):
    """The headings, table rows and links of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[str, str]] = []
        self.rows: list[list[str]] = []
        self.links: list[tuple[str, str]] = []
        self._text: list[str] | None = None
        self._tag = ""
        self._href = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h1", "h2", "td", "th", "a"):
            self._text, self._tag = [], tag
            self._href = dict(attrs).get("href") or ""
        if tag == "tr":
            self.rows.append([])

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._text is None or tag != self._tag:
            return
        text = normalise("".join(self._text))
        if tag in ("h1", "h2"):
            self.headings.append((tag, text))
        elif tag == "a":
            self.links.append((text, self._href))
        else:
            self.rows[-1].append(text)
        self._text = None


def outline(html: str) -> Outline:
    """Parse a page's outline."""
    return parsed(Outline(), html)


def segments_page(mini_site: Path) -> str:
    """The generated page of customers.customer_segments."""
    return (mini_site / SEGMENTS_PAGE).read_text(encoding="utf-8")


def test_every_seed_line_appears_in_order(mini_site: Path) -> None:
    page = squash(" ".join(visible_lines(segments_page(mini_site))))
    cursor = 0
    for line in seed_lines():
        found = page.find(squash(line), cursor)
        assert found >= 0, f"seed line missing or out of order: {line!r}"
        cursor = found + len(squash(line))


def test_seed_paragraphs_are_whole_lines_of_the_page(mini_site: Path) -> None:
    page = visible_lines(segments_page(mini_site))
    paragraphs = [line for line in seed_lines() if len(line) >= LONG_LINE]
    assert len(paragraphs) >= 8
    cursor = 0
    for paragraph in paragraphs:
        assert paragraph in page[cursor:], f"paragraph differs from the seed: {paragraph!r}"
        cursor = page.index(paragraph, cursor) + 1


def test_facts_line_is_exact(mini_site: Path) -> None:
    assert ("Rogue ID: customers.customer_segments Type: Text Domain: Customers"
            in visible_lines(segments_page(mini_site)))


def test_headings_follow_the_seed(mini_site: Path) -> None:
    headings = outline(segments_page(mini_site)).headings
    assert headings[0] == ("h1", "Customer Segments")
    titles = [text for tag, text in headings if tag == "h2"]
    expected = ["Definition", "Formula", "Why it matters", "How to interpret", "Source",
                "Stage relevance", "Default owning functions", "Machine-readable", "On this page"]
    assert [t for t in titles if t in expected] == expected
    assert titles[-1] == "On this page"


def test_stage_table_lists_present_stages_in_order(mini_site: Path) -> None:
    rows = outline(segments_page(mini_site)).rows
    assert rows == [["Company stage", "Priority"], ["Series A", "Recommended"],
                    ["Series B", "Recommended"], ["Series C+", "Recommended"],
                    ["Public", "Recommended"]]
    assert "Suggested for stages: Series A, Series B, Series C+, Public." in visible_lines(
        segments_page(mini_site))


def test_related_kpis_link_to_their_pages(mini_site: Path) -> None:
    links = dict(outline(segments_page(mini_site)).links)
    assert links["customers.total_customers"] == "../../kpis/customers/total_customers.html"
    assert links["customers.top_customer_concentration"] == (
        "../../kpis/customers/top_customer_concentration.html")
    assert links["sales.arr"] == "../../kpis/sales/arr.html"
    for target in ("total_customers", "top_customer_concentration"):
        assert (mini_site / "kpis" / "customers" / f"{target}.html").is_file()


def test_methodology_and_machine_readable_links(mini_site: Path) -> None:
    links = outline(segments_page(mini_site)).links
    assert ("ontology methodology", "../../methodology.html#tiers") in links
    assert ("ontology methodology", "../../methodology.html") in links
    json_links = [href for _, href in links if href.endswith(".json")]
    assert json_links == ["../../../kpis/customers/customer_segments.json"]


def test_version_and_json_base_are_shown_when_given(
        mini_ontology: WorktreeOntology, build: Callable[..., Path]) -> None:
    site = build(mini_ontology, versions={"customers.customer_segments": "1.3.0"},
                 ontology_version="2.0.0", released_at="2026-05-20", json_base="kpis")
    html = (site / SEGMENTS_PAGE).read_text(encoding="utf-8")
    lines = visible_lines(html)
    assert "Rogue ID: customers.customer_segments Type: Text Domain: Customers Version: 1.3.0" \
        in lines
    assert any("2.0.0, released 2026-05-20" in line for line in lines)
    assert [href for _, href in outline(html).links if href.endswith(".json")] == [
        "../../kpis/customers/customer_segments.json"]


def test_index_groups_kpis_by_domain(mini_site: Path) -> None:
    html = (mini_site / "index.html").read_text(encoding="utf-8")
    parsed = outline(html)
    assert [text for tag, text in parsed.headings if tag == "h2"] == ["Customers", "Sales"]
    assert ("Customer Segments", "kpis/customers/customer_segments.html") in parsed.links
    assert ("ARR", "kpis/sales/arr.html") in parsed.links
    assert "Annual recurring revenue from active subscriptions." in visible_lines(html)


def test_methodology_lists_the_rules(mini_site: Path) -> None:
    html = (mini_site / "methodology.html").read_text(encoding="utf-8")
    rows = outline(html).rows
    assert rows[0] == ["Rule", "Bump", "Message", "Rationale"]
    assert ["formula-changed", "major", "formula changed", "Numbers stop comparing."] in rows
    assert ["unclassified", "blocking", "unclassified change to {field}", "No rule."] in rows
    text = " ".join(visible_lines(html))
    assert "promotion is a minor version bump" in text
    for phrase in ("D-2026-007", "--dispute", "ontology history ID",
                   "ontology diff --kpi ID --from A --to B --format html"):
        assert phrase in text


def test_output_is_deterministic(mini_ontology: WorktreeOntology,
                                 build: Callable[..., Path]) -> None:
    first, second = build(mini_ontology), build(mini_ontology)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for relative in files:
        assert (first / relative).read_bytes() == (second / relative).read_bytes()
