"""A dispute reviewer's work end to end on a temporary git repository."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from ontology_tools.edit.dispute import Claim, open_dispute
from ontology_tools.project.disputes import DISPUTES_DIR
from tests.conftest import REPO, git, run_cli

TC = "customers.total_customers"
OLD_PHRASE = "Excludes trials, paused accounts, and $0 contracts."
NEW_PHRASE = "Excludes trials, paused accounts, $0 contracts and internal test accounts."
HOSTILE = "Test accounts <script>alert(1)</script> inflate the count | **bold**."


def schema(name: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads(
        (REPO / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")))


def ok(root: Path, *args: str) -> str:
    result = run_cli(root, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A", "--", "ontology", "changelog")
    git(root, "commit", "-q", "-m", message)


@pytest.fixture
def released(mini_repo: Path) -> Path:
    ok(mini_repo, "release", "--date", "2026-05-20", "--tag")
    return mini_repo


def test_upheld_dispute_through_a_note_and_a_release(released: Path) -> None:
    root = released
    first = ok(root, "dispute", "open", TC, "--claim", HOSTILE, "--by", "Audit committee",
               "--date", "2026-06-02", "--evidence", "Board memo=https://example.org/m?a=b")
    assert first.strip() == "D-2026-001"
    path = root / DISPUTES_DIR / "D-2026-001.yaml"
    assert "against: 1.0.0" in path.read_text(encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8") + "# reviewer: memo received 3 June\n",
                    encoding="utf-8")
    refused = run_cli(root, "dispute", "resolve", "D-2026-001", "--upheld", "--summary", "Yes.")
    assert refused.exit_code == 1
    assert "ontology note --kpi customers.total_customers" in refused.stderr
    kpi = root / "ontology/customers/total_customers.yaml"
    kpi.write_text(kpi.read_text(encoding="utf-8").replace(OLD_PHRASE, NEW_PHRASE),
                   encoding="utf-8")
    ok(root, "note", "--kpi", TC, "-m", "Exclude internal test accounts.", "--dispute",
       "D-2026-001")
    ok(root, "dispute", "resolve", "D-2026-001", "--upheld", "--summary",
       "Internal test accounts are excluded.", "--date", "2026-06-10")
    assert ok(root, "validate") == ""
    upheld = json.loads(ok(root, "dispute", "show", "D-2026-001", "--format", "json"))
    (awaiting,) = upheld["kpis"]  # decided, not yet released: the answer is in the worktree
    assert awaiting["upto"] == "WORKTREE" and awaiting["pending"] is not None
    assert NEW_PHRASE in json.dumps(awaiting["pending"])
    commit(root, "Exclude test accounts")
    ok(root, "release", "--date", "2026-06-20", "--tag")

    text = path.read_text(encoding="utf-8")
    assert "release: 2.0.0" in text and "# reviewer: memo received 3 June" in text
    changelog = (root / "changelog/CHANGELOG.md").read_text(encoding="utf-8")
    section = changelog.split("## [2.0.0]")[1].split("## [1.0.0]")[0]
    assert "### Fixed" in section
    assert "- Dispute D-2026-001 upheld (`customers.total_customers`): Internal test accounts " \
           "are excluded." in section
    bundle = root / "dist/ontology-2.0.0"
    record = json.loads((bundle / "disputes/D-2026-001.json").read_text(encoding="utf-8"))
    schema("dispute").validate(record)
    assert record["resolution"]["release"] == "2.0.0" and record["claim"] == HOSTILE
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    assert "disputes/D-2026-001.json" in {f["path"] for f in manifest["files"]}
    assert run_cli(root, "verify", str(root / "dist/ontology-2.0.0.tar.gz")).exit_code == 0
    page = (bundle / "docs/disputes/D-2026-001.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script" not in page
    kpi_page = (bundle / "docs/kpis/customers/total_customers.html").read_text(encoding="utf-8")
    assert 'id="disputes"' in kpi_page and "../../disputes/D-2026-001.html" in kpi_page
    assert "open-dispute" not in kpi_page
    assert "D-2026-001" in (bundle / "docs/disputes/index.html").read_text(encoding="utf-8")

    review = json.loads(ok(root, "dispute", "show", "D-2026-001", "--format", "json"))
    schema("dispute-review").validate(review)
    (kpi_review,) = review["kpis"]
    assert kpi_review["disputedVersion"] == "1.0.0" and kpi_review["upto"] == "2.0.0"
    assert OLD_PHRASE in kpi_review["definition"]["formula"]
    assert [r["ontologyVersion"] for r in kpi_review["changesSince"]] == ["2.0.0"]
    html = ok(root, "dispute", "show", "D-2026-001", "--format", "html")
    assert "<del>and $0 contracts.</del>" in html
    assert "<ins>$0 contracts and internal test accounts.</ins>" in html
    assert "<script" not in html


def test_rejected_dispute_is_a_record_that_changes_no_version(released: Path) -> None:
    root = released
    ok(root, "dispute", "open", TC, "--claim", "Count seats, not logos.", "--by", "An analyst",
       "--date", "2026-06-02")
    listed = json.loads(ok(root, "dispute", "list", "--format", "json", "--status", "open"))
    schema("disputes").validate(listed)
    assert [d["id"] for d in listed["disputes"]] == ["D-2026-001"]
    flagged = root / "site"
    ok(root, "docs", "--out", str(flagged))
    page = (flagged / "kpis/customers/total_customers.html").read_text(encoding="utf-8")
    assert "open-dispute" in page and "D-2026-001 is open" in page
    ok(root, "dispute", "resolve", "D-2026-001", "--rejected", "--summary",
       "Logos are the board's unit.", "--date", "2026-06-05")
    assert json.loads(ok(root, "plan", "--format", "json"))["kpis"] == []
    ok(root, "docs", "--out", str(flagged))
    page = (flagged / "kpis/customers/total_customers.html").read_text(encoding="utf-8")
    assert "open-dispute" not in page and "Logos are the board&#39;s unit." in page
    shown = ok(root, "dispute", "show", "D-2026-001")
    assert "rejected on 2026-06-05: Logos are the board's unit." in shown
    ok(root, "note", "--kpi", TC, "-m", "Reword.", "--dispute", "D-2026-001")
    kpi = root / "ontology/customers/total_customers.yaml"
    kpi.write_text(kpi.read_text(encoding="utf-8").replace(OLD_PHRASE, NEW_PHRASE),
                   encoding="utf-8")
    gate = run_cli(root, "check")
    assert gate.exit_code == 1
    assert "names dispute D-2026-001, which was rejected" in gate.stderr


def test_bad_values_are_usage_errors(released: Path) -> None:
    for args, message in (
        (("open", "sales.nope", "--claim", "x", "--by", "y"), "no KPI 'sales.nope'"),
        (("open", TC, "--claim", "x", "--by", "y", "--date", "2026-13-01"), "--date"),
        (("open", TC, "--claim", "x", "--by", "y", "--evidence", "no url"), "--evidence"),
        (("open", TC, "--claim", "x", "--by", "y", "--against", "9.9.9"), "--against"),
        (("list", "--kpi", "sales.nope"), "--kpi"),
        (("show", "D-2026-404"), "no dispute 'D-2026-404'"),
    ):
        result = run_cli(released, "dispute", *args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.stderr and "Traceback" not in result.output
    assert run_cli(released, "dispute", "list", "--status", "closed").exit_code == 2
    assert not (released / DISPUTES_DIR).exists()


def test_concurrent_opens_never_share_a_number(mini: Path) -> None:
    claim = Claim(("sales.arr",), "A claim.", "Someone", "2026-03-01")
    opened: list[str] = []
    workers = [threading.Thread(target=lambda: opened.append(
        open_dispute(mini, claim, {"sales.arr"}).id)) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(opened) == [f"D-2026-{n:03d}" for n in range(1, 9)]
    assert not list((mini / DISPUTES_DIR).glob(".*"))  # no temporary file left behind


def test_a_renamed_copy_duplicates_a_number(released: Path) -> None:
    ok(released, "dispute", "open", TC, "--claim", "x", "--by", "y", "--date", "2026-06-02")
    first = released / DISPUTES_DIR / "D-2026-001.yaml"
    (released / DISPUTES_DIR / "D-2026-002.yaml").write_text(first.read_text(encoding="utf-8"),
                                                               encoding="utf-8")
    result = run_cli(released, "validate")
    assert result.exit_code == 1
    assert f"{DISPUTES_DIR}/D-2026-002.yaml:1:5: error dispute-duplicate-id " in result.stdout
    assert f"{DISPUTES_DIR}/D-2026-002.yaml:1:5: error dispute-id-mismatch " in result.stdout
    assert not [line for line in result.stdout.splitlines()
                if line.startswith(f"{DISPUTES_DIR}/D-2026-001.yaml")]
    second = ok(released, "dispute", "open", TC, "--claim", "x", "--by", "y", "--date",
                "2026-06-03")
    assert second.strip() == "D-2026-003"
