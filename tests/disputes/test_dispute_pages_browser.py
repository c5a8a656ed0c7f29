"""A dispute page and a KPI page with an open dispute, in headless Chromium: hostile text in the
claim stays inert and literal, the open-dispute flag is at the top, and no script is needed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ontology_tools.project.disputes import Dispute, DisputeStatus, Evidence
from ontology_tools.render.docs.site import build_site
from ontology_tools.render.docs.sources import read_worktree
from tests.conftest import FIXTURES
from tests.docs.site_reading import STAND_IN_RULES
from tests.docs.test_browser import ARTIFACTS, LAPTOP, browser  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

KPI = "customers.total_customers"
KPI_PAGE = "kpis/customers/total_customers.html"
DISPUTE_PAGE = "disputes/D-2026-031.html"
CLAIM = ('<script>alert("claim")</script><img src=x onerror="alert(\'img\')"> Counting '
         "*paused* accounts | twice <b>inflates</b> the total.")
BY = "<svg onload=alert('by')>Audit committee</svg>"
EVIDENCE_TITLE = "<iframe src=javascript:alert('title')>"
EVIDENCE_URL = "javascript:alert('evidence')"
HOSTILE_TAGS = "script, img, svg, iframe, object, embed"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini ontology's site with one open, hostile dispute against total customers.

    The dispute is made in memory: the dispute schema refuses a `javascript:` evidence URL in
    a file, and the page must stay inert even if one got through.
    """
    source = read_worktree(FIXTURES / "mini")
    dispute = Dispute(id="D-2026-031", file="changelog/disputes/D-2026-031.yaml", kpis=(KPI,),
                      raised_at="2026-06-02", raised_by=BY, claim=CLAIM,
                      status=DisputeStatus.OPEN, against="1.0.0",
                      evidence=(Evidence(EVIDENCE_TITLE, EVIDENCE_URL),
                                Evidence("Board pack", "https://example.org/pack?a=1&b=2")))
    out = tmp_path_factory.mktemp("dispute-site")
    build_site(source.kpis, source.settings, out, rules=STAND_IN_RULES,
               versions={KPI: "1.0.0"}, ontology_version="1.0.0", released_at="2026-05-20",
               disputes=[dispute])
    return out


@pytest.fixture(params=[True, False], ids=["script-enabled", "script-disabled"])
def page(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:  # noqa: F811
    """A page that records every dialog and console message, with and without JavaScript."""
    context = browser.new_context(viewport=LAPTOP, java_script_enabled=request.param)
    opened = context.new_page()
    opened.dialogs = []
    opened.console = []
    opened.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))
    opened.on("console", lambda message: opened.console.append(message.text))
    try:
        yield opened
    finally:
        context.close()


def _visit(page: Any, path: Path, name: str) -> str:
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    return str(page.inner_text("body"))


def _inert(page: Any) -> None:
    """Nothing fired and nothing from the claim became an element, a handler or a link."""
    assert page.dialogs == []
    assert page.locator(HOSTILE_TAGS).count() == 0
    assert page.locator("b", has_text="inflates").count() == 0
    assert page.locator("[onerror], [onload], [onclick]").count() == 0
    links = page.locator("a")
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    assert hrefs and not any(h.strip().lower().startswith("javascript:") for h in hrefs)


def test_dispute_page_shows_the_hostile_claim_as_text(page: Any, site: Path) -> None:
    text = _visit(page, site / DISPUTE_PAGE, "dispute-page-hostile")
    assert CLAIM in text
    assert "Audit committee" in text and "<svg onload=alert('by')>" in text
    assert EVIDENCE_TITLE in text and EVIDENCE_URL in text  # visible, and not a link
    assert page.get_by_role("link", name="Board pack").get_attribute("href") == \
        "https://example.org/pack?a=1&b=2"
    _inert(page)


def test_kpi_page_flags_the_open_dispute_at_the_top(page: Any, site: Path) -> None:
    text = _visit(page, site / KPI_PAGE, "kpi-page-open-dispute")
    flag = page.locator(".open-dispute")
    assert flag.count() == 1 and flag.is_visible()
    assert "Disputed: D-2026-031 is open" in flag.inner_text()
    heading = page.locator("h1").bounding_box()
    definition = page.locator("h2", has_text="Definition").first.bounding_box()
    box = flag.bounding_box()
    assert heading is not None and definition is not None and box is not None
    assert box["y"] < definition["y"]  # above the definition, near the title
    assert box["y"] < 2 * LAPTOP["height"] // 3  # on the first screen, without scrolling
    assert text.index("Disputed: D-2026-031 is open") < text.index("Formula")
    _inert(page)
    page.get_by_role("link", name="Read the claim").click()
    page.wait_for_load_state("load")
    assert page.url.endswith(DISPUTE_PAGE)
    assert CLAIM in page.inner_text("body")
    _inert(page)
