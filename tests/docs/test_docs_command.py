"""`ontology docs`: the worktree's KPIs to a site, with the real change-rule catalog."""

from __future__ import annotations

import json
from pathlib import Path

from ontology_tools.classify.catalog import CHANGE_RULES
from tests.conftest import run_cli


def test_docs_writes_pages_and_json(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run_cli(mini, "docs", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote 10 pages to {out}"
    assert (out / "index.html").is_file() and (out / "methodology.html").is_file()
    assert (out / "sources.html").is_file()
    data = json.loads((out / "kpis" / "sales" / "arr.json").read_text(encoding="utf-8"))
    assert data["kpi"]["rogueId"] == "sales.arr"
    page = (out / "kpis" / "sales" / "arr.html").read_text(encoding="utf-8")
    assert 'href="../../kpis/sales/arr.json"' in page


def test_docs_defaults_to_dist_docs_in_the_repository(mini: Path) -> None:
    result = run_cli(mini, "docs")
    assert result.exit_code == 0, result.output
    assert (mini / "dist" / "docs" / "kpis" / "customers" / "customer_segments.html").is_file()


def test_methodology_shows_the_real_catalog(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run_cli(mini, "docs", "--out", str(out))
    html = (out / "methodology.html").read_text(encoding="utf-8")
    for rule_id in CHANGE_RULES:
        assert f"<code>{rule_id}</code>" in html


def test_docs_refuses_a_file_that_does_not_load(mini: Path, tmp_path: Path) -> None:
    (mini / "ontology" / "sales" / "broken.yaml").write_text("kpi: [unclosed\n", encoding="utf-8")
    result = run_cli(mini, "docs", "--out", str(tmp_path / "site"))
    assert result.exit_code == 1
    assert "ontology/sales/broken.yaml:" in result.output
    assert "ontology validate" in result.output
    assert not (tmp_path / "site").exists()


def test_a_rebuild_removes_the_pages_of_removed_kpis_only(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run_cli(mini, "docs", "--out", str(out))
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "kpis" / "sales" / "extra.css").write_text("mine", encoding="utf-8")
    (mini / "ontology" / "sales" / "arr.yaml").unlink()
    related = [p for p in (mini / "ontology").rglob("*.yaml") if "sales.arr" in p.read_text()]
    for path in related:  # keep the ontology valid: nothing may point at the removed KPI
        path.write_text(path.read_text().replace("sales.arr", "sales.gone"), encoding="utf-8")
    result = run_cli(mini, "docs", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "removed 2 stale files" in result.output
    assert not (out / "kpis" / "sales" / "arr.html").exists()
    assert not (out / "kpis" / "sales" / "arr.json").exists()
    assert (out / "notes.txt").is_file() and (out / "kpis" / "sales" / "extra.css").is_file()
