"""SPEC 7.2: docs label unreleased edits as such, and remove only the files they wrote."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.classify.conftest import edit_kpi
from tests.conftest import run_cli
from tests.release import scenario

CHURN_ID = "customers.logo_churn_rate"


@pytest.fixture
def released(mini_repo: Path) -> Path:
    scenario.first_release(mini_repo)
    return mini_repo


def _docs(root: Path, out: Path) -> str:
    result = run_cli(root, "docs", "--out", str(out))
    assert result.exit_code == 0, result.output
    return result.output


def _version_line(page: str) -> str:
    found = re.search(r"<b>Version:</b> ([^<]*)</span>", page)
    assert found, "a KPI page names its version"
    return found.group(1)


def test_a_page_of_an_edited_kpi_says_unreleased_changes(released: Path, tmp_path: Path) -> None:
    edit_kpi(released, CHURN_ID, lambda kpi: kpi.__setitem__("formula", "Logos lost / logos."))
    path = released / scenario.ARR  # a comment only: the released definition still stands
    path.write_text("# Owned by Finance.\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "site"
    _docs(released, out)
    churn = (out / "kpis/customers/logo_churn_rate.html").read_text(encoding="utf-8")
    assert _version_line(churn) == "unreleased changes"
    assert "1.0.0" not in _version_line(churn)
    arr = (out / "kpis/sales/arr.html").read_text(encoding="utf-8")
    assert _version_line(arr) == "1.0.0"
    data = json.loads((out / "kpis/customers/logo_churn_rate.json").read_text(encoding="utf-8"))
    assert "version" not in data, "the edited content is not the released 1.0.0"
    assert json.loads((out / "kpis/sales/arr.json").read_text(encoding="utf-8"))["version"] \
        == "1.0.0"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "1.0.0 with unreleased changes" in index


def test_a_new_kpi_is_unreleased(released: Path, tmp_path: Path) -> None:
    assert run_cli(released, "new", "sales", "net_new_arr").exit_code == 0
    out = tmp_path / "site"
    _docs(released, out)
    page = (out / "kpis/sales/net_new_arr.html").read_text(encoding="utf-8")
    assert _version_line(page) == "unreleased changes"


def test_a_released_worktree_shows_the_released_versions(released: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    _docs(released, out)
    for page in (out / "kpis").glob("*/*.html"):
        assert _version_line(page.read_text(encoding="utf-8")) == "1.0.0", page
    assert "unreleased" not in (out / "index.html").read_text(encoding="utf-8")


def test_a_rebuild_keeps_every_file_it_did_not_write(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    (out / "kpis/sales").mkdir(parents=True)
    theirs = [out / "kpis/sales/handwritten.html", out / "kpis/sales/handwritten.json",
              out / "kpis/other/page.html", out / "notes.txt"]
    for path in theirs:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("not written by ontology docs", encoding="utf-8")
    _docs(mini, out)
    assert (out / ".ontology-docs.json").is_file()
    (mini / "ontology/sales/arr.yaml").unlink()
    for path in (mini / "ontology").rglob("*.yaml"):
        path.write_text(path.read_text().replace("sales.arr", "sales.gone"), encoding="utf-8")
    output = _docs(mini, out)
    assert "removed 2 stale files" in output
    assert not (out / "kpis/sales/arr.html").exists()
    assert not (out / "kpis/sales/arr.json").exists()
    for path in theirs:
        assert path.read_text(encoding="utf-8") == "not written by ontology docs", path


def test_a_record_that_points_outside_is_ignored(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    _docs(mini, out)
    outside = tmp_path / "precious.html"
    outside.write_text("keep me", encoding="utf-8")
    record = out / ".ontology-docs.json"
    files = json.loads(record.read_text(encoding="utf-8"))["files"]
    record.write_text(json.dumps({"files": [*files, "../precious.html", str(outside)]}),
                      encoding="utf-8")
    _docs(mini, out)
    assert outside.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("record", ["not json", "[1, 2]", '{"files": 3}', '{"files": [1]}'])
def test_a_broken_record_removes_nothing(mini: Path, tmp_path: Path, record: str) -> None:
    out = tmp_path / "site"
    _docs(mini, out)
    (out / ".ontology-docs.json").write_text(record, encoding="utf-8")
    (out / "kpis/sales/old.html").write_text("an earlier page", encoding="utf-8")
    _docs(mini, out)
    assert (out / "kpis/sales/old.html").is_file()


def test_docs_and_verify_draw_progress_on_a_terminal(released: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    from ontology_tools.runtime import progress

    monkeypatch.setattr(progress, "wanted", lambda stream=None, environ=None: True)
    monkeypatch.setattr(progress, "DELAY_SECONDS", 0.0)
    result = run_cli(released, "docs", "--out", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    assert "\r writing docs 1/10" in result.stderr  # 7 KPI pages, index, methodology, sources
    result = run_cli(released, "verify", str(released / "dist/ontology-1.0.0"))
    assert result.exit_code == 0, result.output
    assert "\r verifying 1/" in result.stderr
