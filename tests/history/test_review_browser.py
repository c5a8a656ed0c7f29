"""The dispute reviewer's pages in headless Chromium: readable, marked, and inert."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.classify.conftest import edit_kpi
from tests.conftest import run_cli
from tests.disputes.records import record_dispute
from tests.docs.test_browser import ARTIFACTS, LAPTOP, browser  # noqa: F401  (fixture)
from tests.history.test_history import OLD, _note, _release

pytestmark = pytest.mark.browser
PAYLOAD = "<script>alert(1)</script> <img src=x onerror=alert(2)>"


@pytest.fixture
def disputed(mini_repo: Path) -> Path:
    """Two releases of customers_churned; the second changes the formula with hostile text."""
    _release(mini_repo, "2026-05-01")
    edit_kpi(mini_repo, OLD, lambda kpi: kpi.__setitem__(
        "formula", f"Logos lost in the period, excluding free-plan downgrades. {PAYLOAD}"))
    record_dispute(mini_repo, "D-2026-007", OLD)
    _note(mini_repo, OLD, f"Downgrades are not churn. {PAYLOAD}", "--dispute", "D-2026-007")
    _release(mini_repo, "2026-06-01")
    return mini_repo


def _open(browser: Any, path: Path, name: str) -> tuple[Any, list[str]]:  # noqa: F811
    page = browser.new_page(viewport=LAPTOP)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    return page, dialogs


def test_review_page_in_chromium(browser: Any, disputed: Path, tmp_path: Path) -> None:  # noqa: F811
    html = run_cli(disputed, "diff", "--kpi", OLD, "--from", "v1.0.0", "--to", "v2.0.0",
                   "--format", "html").stdout
    path = tmp_path / "review.html"
    path.write_text(html, encoding="utf-8")
    page, dialogs = _open(browser, path, "review-kpi-laptop")
    text = page.inner_text("body")
    assert "Definition review" in text and "formula-changed" in text
    assert "D-2026-007" in text and "Downgrades are not churn." in text
    assert "<script>alert(1)</script>" in text  # shown as text
    assert page.locator("ins").count() >= 1 and page.locator("del").count() >= 1
    assert page.evaluate("document.querySelectorAll('script, img').length") == 0
    assert dialogs == []
    page.close()


def test_history_page_in_chromium(browser: Any, disputed: Path, tmp_path: Path) -> None:  # noqa: F811
    html = run_cli(disputed, "history", OLD, "--format", "html").stdout
    path = tmp_path / "history.html"
    path.write_text(html, encoding="utf-8")
    page, dialogs = _open(browser, path, "history-kpi-laptop")
    text = page.inner_text("body")
    assert "Ontology 2.0.0" in text and "Ontology 1.0.0" in text
    assert "<img src=x onerror=alert(2)>" in text
    assert page.evaluate("document.querySelectorAll('script, img').length") == 0
    assert dialogs == []
    page.close()
