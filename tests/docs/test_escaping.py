"""Text from KPI files is shown as text on every page: no tags, attributes or template code."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ontology_tools.render.docs.site import build_site
from ontology_tools.render.docs.sources import WorktreeOntology
from ontology_tools.render.docs.views import DocsError
from tests.docs.site_reading import HOSTILE_PAGE, STAND_IN_RULES, visible_lines
from tests.support.pages import elements

PAGES = (HOSTILE_PAGE, "index.html", "methodology.html")
ALLOWED_TAGS = {"a", "b", "body", "cite", "code", "div", "footer", "h1", "h2", "h3", "head",
                "header", "html", "li", "main", "meta", "nav", "ol", "p", "pre", "section", "span",
                "strong", "style", "table", "tbody", "td", "th", "thead", "title", "tr", "ul"}
ALLOWED_ATTRIBUTES = {"aria-current", "aria-label", "aria-labelledby", "charset", "class",
                      "content", "data-label", "href", "http-equiv", "id", "lang", "name", "rel",
                      "role", "scope", "type"}


def read(site: Path, page: str) -> str:
    """One page of a built site."""
    return (site / page).read_text(encoding="utf-8")


@pytest.mark.parametrize("page", PAGES)
def test_no_markup_from_the_source_survives(hostile_site: Path, page: str) -> None:
    html = read(hostile_site, page)
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    tags = elements(html).tags
    assert {tag for tag, _ in tags} <= ALLOWED_TAGS
    for tag, attrs in tags:
        assert set(attrs) <= ALLOWED_ATTRIBUTES, (tag, attrs)
        href = attrs.get("href") or ""
        assert not href.lower().startswith(("javascript:", "data:")), href


@pytest.mark.parametrize("page", PAGES)
def test_hostile_text_is_shown_literally(hostile_site: Path, page: str) -> None:
    text = " ".join(visible_lines(read(hostile_site, page)))
    assert "Label <script>alert(1)</script>" in text
    assert '"><img src=x onerror=alert(1)>' in text
    assert "{{ 7*7 }}" in text
    assert "{% raw %}x{% endraw %}" in text


def test_every_field_of_the_kpi_page_is_literal(hostile_site: Path) -> None:
    text = " ".join(visible_lines(read(hostile_site, HOSTILE_PAGE)))
    for field in ("Description", "Formula", "Why", "Read", "type", "unit", "related", "old",
                  "Owner", "stage", "level", "Reason", "replacement", "Source", "Section",
                  "Notice", "1.0.0"):
        assert f"{field} <script>alert(1)</script>" in text, field
    assert "javascript:alert(1)" in text  # shown, never linked


def test_code_spans_are_escaped_before_wrapping(hostile_site: Path) -> None:
    html = read(hostile_site, HOSTILE_PAGE)
    assert "<code>&lt;b&gt;code&lt;/b&gt;</code>" in html
    assert "<b>code" not in html


def test_only_the_pages_own_style_and_policy(hostile_site: Path) -> None:
    for page in PAGES:
        html = read(hostile_site, page)
        assert html.count("<style>") == 1
        metas = [a for t, a in elements(html).tags if t == "meta" and a.get("http-equiv")]
        assert metas == [{"http-equiv": "Content-Security-Policy",
                          "content": "default-src 'none'; style-src 'unsafe-inline'; "
                                     "img-src data:"}]
        assert "http://" not in html.split("</style>")[0]
        assert "https://" not in html.split("</style>")[0]


@pytest.mark.parametrize("rogue_id", ["../escape.kpi", "customers.x/../../y", "Customers.X", "x"])
def test_ids_that_are_not_file_names_are_refused(
        mini_ontology: WorktreeOntology, tmp_path: Path, rogue_id: str) -> None:
    kpis = {**mini_ontology.kpis, rogue_id: mini_ontology.kpis["sales.arr"]}
    with pytest.raises(DocsError, match=r"not <domain>\.<slug>"):
        build_site(kpis, mini_ontology.settings, tmp_path / "site", rules=STAND_IN_RULES)
    assert not (tmp_path / "site").exists()
    assert not (tmp_path / "escape.kpi").exists()


def test_build_needs_no_real_catalog_for_a_stand_in(
        mini_ontology: WorktreeOntology, build: Callable[..., Path]) -> None:
    site = build(mini_ontology, rules=STAND_IN_RULES[:1])
    assert "formula-changed" in read(site, "methodology.html")
    assert "tier-promoted" not in read(site, "methodology.html")


def test_prose_escapes_then_wraps_code_spans() -> None:
    from ontology_tools.render.docs.prose import prose, summary

    expected = "use <code>a&lt;b</code> &amp; &lt;i&gt;x&lt;/i&gt;"
    assert str(prose("use `a<b` & <i>x</i>")) == expected
    assert summary("First sentence. Second one.") == "First sentence."
    long = "word " * 60
    assert summary(long).endswith("…") and len(summary(long)) <= 161
