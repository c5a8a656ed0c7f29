"""End to end in headless Chromium: the pages render, read well on a phone and run nothing."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ontology_tools.render.docs.site import build_site
from ontology_tools.render.docs.sources import read_worktree
from tests.conftest import FIXTURES
from tests.docs.site_reading import (
    HOSTILE_ID,
    HOSTILE_PAGE,
    SEGMENTS_PAGE,
    STAND_IN_RULES,
    hostile_kpi,
)

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_NAMES = ("chromium", "chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
PUBLISHED_SOURCE = {
    "tier": "published", "sourceName": "SaaS Metrics Standards Board, ARR Standard",
    "sourceUrl": "https://example.org/standards/arr", "sectionRef": "Section 2.1",
    "publicationDate": "2024-06-30",
    "attributionNotice": "Definition adapted from the ARR Standard, section 2.1."}
LAPTOP = {"width": 1280, "height": 800}


def find_chromium() -> str | None:
    """The system's Chromium, if one is installed."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium driven by Playwright; skipped locally, required in CI."""
    executable = find_chromium()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but no chromium is installed")
        pytest.skip("no chromium found (install Debian's chromium to run browser tests)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The mini ontology's site, built once for this module, and one with a hostile KPI."""
    source = read_worktree(FIXTURES / "mini")
    out = tmp_path_factory.mktemp("browser-sites")
    kpis = dict(source.kpis)
    kpis[HOSTILE_ID] = hostile_kpi(kpis["customers.customer_segments"])
    kpis["sales.arr"] = {**kpis["sales.arr"], "definitionSource": PUBLISHED_SOURCE}
    build_site(source.kpis, source.settings, out / "mini", rules=STAND_IN_RULES)
    build_site(kpis, source.settings, out / "varied", rules=STAND_IN_RULES,
               versions={"sales.arr": "2.1.0"}, ontology_version="1.4.0",
               released_at="2026-05-20")
    return {"mini": out / "mini", "varied": out / "varied"}


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh laptop-sized page that records dialogs and console errors."""
    context = browser.new_context(viewport=LAPTOP)
    opened = context.new_page()
    opened.dialogs = []
    opened.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))
    try:
        yield opened
    finally:
        context.close()


def screenshot(page: Any, name: str) -> Path:
    """A full-page screenshot into test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


def test_kpi_page_shows_its_values(page: Any, sites: dict[str, Path]) -> None:
    page.goto((sites["mini"] / SEGMENTS_PAGE).as_uri())
    assert page.title() == "Customer Segments · I'mBoard Docs"
    assert page.locator("h1").inner_text() == "Customer Segments"
    headings = page.locator("h2").all_text_contents()
    assert headings[:4] == ["Definition", "Formula", "Why it matters", "How to interpret"]
    assert headings[-1] == "On this page"
    body = page.locator("body").inner_text()
    for value in ("Rogue ID: customers.customer_segments", "Series C+", "Recommended",
                  "Suggested for stages: Series A, Series B, Series C+, Public.",
                  "I'mBoard-authored (editorial tier)"):
        assert value in body
    assert screenshot(page, "docs-kpi-laptop.png").stat().st_size > 0
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert screenshot(page, "docs-kpi-phone.png").stat().st_size > 0
    page.get_by_role("link", name="sales.arr").click()
    assert page.locator("h1").inner_text() == "ARR"


def test_index_and_methodology_render(page: Any, sites: dict[str, Path]) -> None:
    page.goto((sites["mini"] / "index.html").as_uri())
    assert page.locator("h2").all_inner_texts() == ["Customers", "Sales"]
    screenshot(page, "docs-index-laptop.png")
    page.get_by_role("link", name="Methodology").first.click()
    assert page.locator("h1").inner_text() == "Ontology methodology"
    screenshot(page, "docs-methodology-laptop.png")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "docs-methodology-phone.png")


def test_published_kpi_page_cites_its_standard(page: Any, sites: dict[str, Path]) -> None:
    page.goto((sites["varied"] / "kpis" / "sales" / "arr.html").as_uri())
    body = page.locator("body").inner_text()
    assert "Published standard (published tier)" in body
    assert "Version: 2.1.0" in body
    link = page.get_by_role("link", name="Read the standard")
    assert link.get_attribute("href") == "https://example.org/standards/arr"
    screenshot(page, "docs-kpi-published.png")


def test_all_sources_leads_to_the_kpis_source_and_back(page: Any,
                                                       sites: dict[str, Path]) -> None:
    page.goto((sites["varied"] / "kpis" / "sales" / "arr.html").as_uri())
    page.get_by_role("link", name="all sources").click()
    assert page.locator("h1").inner_text() == "Sources"
    anchor = page.url.split("#", 1)[1]
    section = page.locator(f"section#{anchor}")
    assert section.locator("h2").inner_text() == PUBLISHED_SOURCE["sourceName"]
    text = section.inner_text()
    for key in ("sectionRef", "publicationDate", "attributionNotice"):
        assert PUBLISHED_SOURCE[key] in text
    screenshot(page, "docs-sources-laptop.png")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "docs-sources-phone.png")
    section.get_by_role("link", name="ARR", exact=True).click()
    assert page.locator("h1").inner_text() == "ARR"


def test_hostile_kpi_runs_nothing(page: Any, sites: dict[str, Path]) -> None:
    for target in (HOSTILE_PAGE, "index.html", "methodology.html", "sources.html"):
        page.goto((sites["varied"] / target).as_uri())
        page.wait_for_load_state("load")
        assert page.dialogs == [], target
        assert page.evaluate("document.querySelectorAll('script').length") == 0, target
        assert page.evaluate("document.querySelectorAll('img').length") == 0, target
        assert "<script>alert(1)</script>" in page.locator("body").inner_text(), target
    page.goto((sites["varied"] / HOSTILE_PAGE).as_uri())
    screenshot(page, "docs-kpi-hostile.png")
