"""`history` shows each KPI's disputes — raised and decided — in every format, across a rename."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from ontology_tools.schemas import schema_errors
from tests.conftest import REPO, run_cli
from tests.show.scenario import HOSTILE_CLAIM, NEW, OLD, UPHELD_CLAIM, Released
from tests.support.pages import elements


def _history(released: Released, rogue_id: str, fmt: str) -> str:
    result = run_cli(released.root, "history", rogue_id, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("rogue_id", [OLD, NEW])
def test_json_has_the_upheld_and_the_rejected_dispute(released: Released, rogue_id: str) -> None:
    """The disputes were raised against OLD; they belong to NEW's history too (a rename)."""
    document = json.loads(_history(released, rogue_id, "json"))
    disputes = {d["id"]: d for d in document["disputes"]}
    assert list(disputes) == [released.upheld, released.rejected]
    upheld, rejected = disputes[released.upheld], disputes[released.rejected]
    assert upheld["raised"] == {"date": "2026-05-10", "by": "Audit committee, Acme Corp",
                                "claim": UPHELD_CLAIM, "status": "upheld"}
    assert upheld["decided"] == {"date": "2026-05-20", "decision": "upheld",
                                 "summary": "Free-plan downgrades no longer count as churn.",
                                 "release": "2.0.0"}
    assert rejected["raised"]["claim"] == HOSTILE_CLAIM
    assert rejected["decided"] == {"date": "2026-05-25", "decision": "rejected",
                                   "summary": "Double counting was not found in the audit.",
                                   "release": None}
    # each is also the dispute's own record, as the bundle ships it
    for item in document["disputes"]:
        record = {k: v for k, v in item.items() if k not in ("raised", "decided")}
        assert list(schema_errors("dispute", {k: v for k, v in record.items()
                                              if v is not None})) == []
    # a rejected dispute changes no version: the releases are the same three either way
    assert [r["ontologyVersion"] for r in document["releases"]][-2:] == ["2.0.0", "1.0.0"]


def test_json_matches_the_history_schema_when_there_is_one(released: Released) -> None:
    if not (REPO / "schemas" / "history.schema.json").exists():
        pytest.skip("no schemas/history.schema.json yet")
    document = json.loads(_history(released, NEW, "json"))
    assert [e.message for e in schema_errors("history", document)] == []


def test_text_shows_raised_and_decided(released: Released) -> None:
    out = _history(released, NEW, "text")
    disputes = out[out.index("\ndisputes:\n"):]
    assert f"{released.upheld}  upheld ({OLD})" in disputes
    assert "raised 2026-05-10 by Audit committee, Acme Corp against 1.0.0" in disputes
    assert "upheld on 2026-05-20, resolved by release 2.0.0: Free-plan downgrades" in disputes
    assert f"{released.rejected}  rejected ({OLD})" in disputes
    assert "rejected on 2026-05-25: Double counting" in disputes
    assert "raised 2026-05-12 by <b>An analyst</b>" in disputes


def test_markdown_lists_both_disputes_with_the_claim_as_literal_text(released: Released) -> None:
    out = _history(released, OLD, "markdown")
    table = [line for line in out.splitlines() if line.startswith("|")]
    assert len(table) == 5  # the releases' table alone: header, rule, 3.0.0, 2.0.0, 1.0.0
    listing = out[out.index("#### Disputes of"):]
    items = [line for line in listing.splitlines() if line.startswith("- ")]
    assert len(items) == 2
    assert items[0].startswith(f"- **{released.upheld}** · upheld · raised 2026-05-10 by ")
    assert "  - upheld on 2026-05-20, resolved by release 2.0.0: Free-plan" in listing
    assert items[1].startswith(f"- **{released.rejected}** · rejected · raised 2026-05-12 by ")
    assert "  - rejected on 2026-05-25: Double counting was not found" in listing
    assert re.search(r"(?<!\\)<", listing) is None  # every < escaped: no tag can open
    assert r"\<script\>" in listing and r"\*free\*" in listing and r"\|" in listing


def test_html_shows_both_disputes_and_the_hostile_claim_as_text(released: Released) -> None:
    page = _history(released, NEW, "html")
    reader = elements(page)
    tags = [tag for tag, _ in reader.tags]
    assert "script" not in tags and "img" not in tags and "b" not in tags
    assert not any(name.startswith("on") for _, attrs in reader.tags for name in attrs)
    text = "".join(reader.text)
    assert HOSTILE_CLAIM in text and "<b>An analyst</b>" in text
    assert "Upheld on 2026-05-20, resolved by release 2.0.0:" in text
    assert "Rejected on 2026-05-25:" in text
    classes: list[Any] = [attrs.get("class") for tag, attrs in reader.tags if tag == "div"]
    assert "dispute upheld" in classes and "dispute rejected" in classes


def test_an_unreleased_kpi_with_an_open_dispute_still_shows_it(mini_repo: Any) -> None:
    assert run_cli(mini_repo, "dispute", "open", "sales.arr", "--claim", "ARR | MRR?",
                   "--by", "The board", "--date", "2026-05-02").exit_code == 0
    result = run_cli(mini_repo, "history", "sales.arr")
    assert result.exit_code == 0, result.stderr
    assert "has not been released yet" in result.stdout
    assert "D-2026-001  open" in result.stdout and "ARR | MRR?" in result.stdout
    document = json.loads(run_cli(mini_repo, "history", "sales.arr", "--format", "json").stdout)
    assert document["disputes"][0]["decided"] is None
