"""`ontology diff` and `plan` between refs, bundles and the worktree, in every format."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path
from typing import Any

import jsonschema

from ontology_tools import yamlio
from ontology_tools.schemas import schema
from tests.classify.conftest import diff_json, edit_kpi
from tests.conftest import git, run_cli

TC = "customers.total_customers"


def _make_bundle(root: Path, out: Path) -> Path:
    """A bundle folder of the worktree as it stands (what a release would ship)."""
    folder = out / "ontology-1.2.0"
    for path in sorted((root / "ontology").glob("*/*.yaml")):
        data = yamlio.load_fast(path.read_bytes())
        target = folder / "kpis" / path.parent.name / f"{path.stem}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "manifest.json").write_text(json.dumps({"name": "Mini", "version": "1.2.0"}))
    return folder


def test_from_tag_to_head_reads_the_object_store_not_the_worktree(released: Path) -> None:
    edit_kpi(released, TC, lambda kpi: kpi.__setitem__("unit", "people"))
    git(released, "commit", "-q", "-am", "Count customers in people")
    edit_kpi(released, "sales.arr", lambda kpi: kpi.__setitem__("maturity", "emerging"))
    plan = diff_json(released, "--from", "v1.2.0", "--to", "HEAD")
    assert plan["to"]["ref"] == "HEAD"
    assert [kpi["rogueId"] for kpi in plan["kpis"]] == [TC]
    assert plan["kpis"][0]["changes"][0]["rule"] == "unit-changed"


def test_from_a_bundle_folder_and_tarball(released: Path, tmp_path: Path) -> None:
    folder = _make_bundle(released, tmp_path)
    tarball = tmp_path / "ontology-1.2.0.tar.gz"
    with tarfile.open(tarball, "w:gz") as archive:
        archive.add(folder, arcname=folder.name)
    edit_kpi(released, TC, lambda kpi: kpi.__setitem__("defaultLabel", "Customers"))
    for source in (folder, tarball):
        plan = diff_json(released, "--from", str(source))
        assert [(k["rogueId"], k["bump"], k["nextVersion"]) for k in plan["kpis"]] == [
            (TC, "patch", "1.2.1")]


def test_kpi_filter_shows_only_that_kpi(released: Path) -> None:
    edit_kpi(released, TC, lambda kpi: kpi.__setitem__("defaultLabel", "Customers"))
    edit_kpi(released, "sales.arr", lambda kpi: kpi.__setitem__("unit", "months"))
    plan = diff_json(released, "--kpi", TC)
    assert [kpi["rogueId"] for kpi in plan["kpis"]] == [TC]
    assert plan["ontology"]["bump"] == "major"  # the ontology still counts every change


def test_json_output_validates_against_the_plan_schema(released: Path) -> None:
    edit_kpi(released, TC, lambda kpi: kpi.__setitem__("formula", "Every logo, ever."))
    (released / "ontology/customers/customer_segments.yaml").unlink()
    jsonschema.validate(diff_json(released), schema("plan"))


def test_text_output_marks_prose_word_by_word(released: Path) -> None:
    edit_kpi(released, TC, lambda kpi: kpi.__setitem__(
        "whyItMatters", str(kpi["whyItMatters"]).replace("simplest read", "plainest read")))
    result = run_cli(released, "diff")
    assert "[-simplest-]{+plainest+}" in result.stdout
    assert "text-changed" in result.stdout


def test_markdown_and_github_formats(released: Path) -> None:
    edit_kpi(released, TC, lambda kpi: kpi.__setitem__("fieldType", "ratio"))
    markdown = run_cli(released, "diff", "--format", "markdown").stdout
    assert "| `customers.total_customers` | changed | 1.2.0 → 2.0.0 | major |" in markdown
    github = run_cli(released, "diff", "--format", "github").stdout
    assert github.startswith("::warning file=ontology/customers/total_customers.yaml")


def test_fail_on_sets_the_exit_code(released: Path) -> None:
    edit_kpi(released, TC, lambda kpi: kpi.__setitem__("maturity", "emerging"))
    assert run_cli(released, "diff", "--fail-on", "major").exit_code == 0
    assert run_cli(released, "diff", "--fail-on", "minor").exit_code == 1


def test_plan_on_a_clean_release_reports_nothing_pending(released: Path) -> None:
    result = run_cli(released, "plan")
    assert result.exit_code == 0
    assert "no changes since v1.2.0" in result.stdout


def test_last_release_falls_back_to_the_trailer_then_names_what_it_looked_for(
        released: Path) -> None:
    git(released, "tag", "-d", "v1.2.0")
    assert diff_json(released)["from"]["version"] == "1.2.0"
    git(released, "commit", "-q", "--amend", "-m", "Stamped by hand")
    result = run_cli(released, "diff")
    assert result.exit_code == 1
    assert "neither a tag 'v1.2.0' nor a commit with the trailer" in result.stderr


def test_an_unknown_ref_is_one_clear_line(released: Path) -> None:
    result = run_cli(released, "diff", "--from", "no-such-tag")
    assert result.exit_code == 1
    assert result.stderr.strip() == "ontology: error: git ref 'no-such-tag' does not name a commit"


def _plan(root: Path) -> dict[str, Any]:
    result = run_cli(root, "plan", "--format", "json")
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


def test_the_review_page_shows_old_and_new_side_by_side_escaped(released: Path) -> None:
    edit_kpi(released, TC, lambda kpi: kpi.__setitem__(
        "formula", str(kpi["formula"]).replace("Excludes trials", "Excludes <script>x</script>")))
    run_cli(released, "note", "--kpi", TC, "-m", "Exclusions reworded.", "--dispute", "D-2026-007")
    page = run_cli(released, "diff", "--kpi", TC, "--format", "html").stdout
    assert page.startswith("<!doctype html>")
    assert "<del>trials,</del>" in page or "<del>trials" in page
    assert "&lt;script&gt;" in page and "<script" not in page
    assert "formula-changed" in page and "D-2026-007" in page
    assert run_cli(released, "diff", "--format", "html").exit_code == 2
