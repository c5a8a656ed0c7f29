"""Validation against a release history that is not all there: a shallow clone that reaches only
the last release, and a release whose committed record was damaged (SPEC 6.3, 7.3).

What cannot be told is never reported as wrong: one warning says why checks were skipped, and
the checks that can still be made (the last release's stamps) are made.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, git, run_cli
from tests.project.scenarios import OLD, commit_all, json_of, note, release, rename_churned

TC = "customers.total_customers"
TC_FILE = "ontology/customers/total_customers.yaml"
RECORD = "changelog/2.0.0.json"


def ok(root: Path, *args: str) -> str:
    result = run_cli(root, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def findings(root: Path, *args: str) -> tuple[int, list[str]]:
    """Exit code and finding lines of `ontology validate`."""
    result = run_cli(root, "validate", *args)
    return result.exit_code, result.stdout.splitlines()


def rules(lines: list[str]) -> list[str]:
    return [line.split()[2] for line in lines]


@pytest.fixture
def released(mini_repo: Path) -> Path:
    """1.0.0; then 2.0.0, which changes total_customers for an upheld dispute raised against
    1.0.0 and renames customers_churned (a rejected dispute names the old id). HEAD is 2.0.0."""
    root = mini_repo
    release(root, "2026-05-01")
    assert ok(root, "dispute", "open", TC, "--claim", "Test accounts are counted.", "--by",
              "Audit committee", "--date", "2026-05-02").strip() == "D-2026-001"
    assert ok(root, "dispute", "open", OLD, "--claim", "Downgrades are churn.", "--by",
              "An analyst", "--date", "2026-05-03").strip() == "D-2026-002"
    path = root / TC_FILE
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Excludes trials, paused", "Excludes trials, internal test accounts, paused"),
        encoding="utf-8")
    note(root, TC, "Exclude test accounts.", "--dispute", "D-2026-001")
    ok(root, "dispute", "resolve", "D-2026-001", "--upheld", "--summary", "Excluded.",
       "--date", "2026-05-10")
    ok(root, "dispute", "resolve", "D-2026-002", "--rejected", "--summary", "They are not.",
       "--date", "2026-05-11")
    rename_churned(root)
    release(root, "2026-06-01")
    dispute = (root / "changelog/disputes/D-2026-001.yaml").read_text(encoding="utf-8")
    assert "against: 1.0.0" in dispute and "release: 2.0.0" in dispute
    assert findings(root) == (0, [])  # the full history: nothing to say
    return root


def shallow_clone(origin: Path, target: Path, depth: int) -> Path:
    subprocess.run(["git", "clone", "-q", "--depth", str(depth), origin.as_uri(), str(target)],
                   check=True)
    assert git(target, "rev-parse", "--is-shallow-repository") == "true"
    return target


def write_dispute(root: Path, dispute_id: str, kpi: str, against: str) -> None:
    (root / f"changelog/disputes/{dispute_id}.yaml").write_text(
        f"id: {dispute_id}\nkpis: [{kpi}]\nraisedAt: 2026-06-02\nraisedBy: The board\n"
        f"against: {against}\nclaim: Disputed.\nstatus: open\n", encoding="utf-8")


class TestShallowClone:
    """CI checks out main after a release with `--depth 1`: the last release is there, the
    releases before it are not."""

    def test_a_release_the_clone_does_not_reach_is_refused_with_the_fetch_command(
            self, released: Path, tmp_path: Path) -> None:
        clone = shallow_clone(released, tmp_path / "clone", 1)
        result = run_cli(clone, "diff", "--from", "1.0.0")
        assert result.exit_code == 1
        (line,) = result.stderr.strip().splitlines()
        assert "'1.0.0'" in line and "shallow" in line and "git fetch --unshallow --tags" in line
        full = run_cli(released, "diff", "--from", "no-such-ref")
        assert full.exit_code == 1 and "shallow" not in full.stderr

    def test_a_release_from_a_shallow_clone_is_refused_and_writes_nothing(
            self, released: Path, tmp_path: Path) -> None:
        """An id removed before the clone's first commit would restart at 1.0.0 there."""
        clone = shallow_clone(released, tmp_path / "clone", 1)
        path = clone / TC_FILE
        path.write_text(path.read_text(encoding="utf-8").replace("paused", "paused or frozen"),
                        encoding="utf-8")
        note(clone, TC, "Frozen accounts too.")
        commit_all(clone, "An edit in a shallow clone")
        head = git(clone, "rev-parse", "HEAD")
        before = {p: p.read_bytes() for p in sorted(clone.rglob("*")) if p.is_file()
                  and ".git" not in p.parts}
        result = run_cli(clone, "release", "--date", "2026-07-01", "--commit", "--tag")
        assert result.exit_code == 1
        (line,) = result.stderr.strip().splitlines()
        assert "shallow" in line and "git fetch --unshallow --tags" in line
        assert git(clone, "rev-parse", "HEAD") == head and not git(clone, "tag", "-l", "v3*")
        after = {p: p.read_bytes() for p in sorted(clone.rglob("*")) if p.is_file()
                 and ".git" not in p.parts and ".ontology-cache" not in p.parts}
        assert after == {p: b for p, b in before.items() if ".ontology-cache" not in p.parts}

    def test_a_dispute_review_says_the_clone_is_shallow_in_every_format(
            self, released: Path, tmp_path: Path) -> None:
        """What it cannot see it must not present as "no change": it says why, and how to see."""
        from jsonschema import Draft202012Validator

        full = json_of(released, "dispute", "show", "D-2026-001")
        assert "note" not in full
        clone = shallow_clone(released, tmp_path / "clone", 1)
        document = json_of(clone, "dispute", "show", "D-2026-001")
        schema = json.loads((REPO / "schemas/dispute-review.schema.json").read_text("utf-8"))
        Draft202012Validator(schema).validate(document)
        assert "shallow" in document["note"] and "git fetch --unshallow --tags" in document["note"]
        assert ok(clone, "dispute", "show", "D-2026-001").startswith("note: this clone is shallow")
        html = ok(clone, "dispute", "show", "D-2026-001", "--format", "html")
        assert "<strong>Note:</strong> this clone is shallow" in html

    @pytest.mark.parametrize("depth", [1, 2])
    def test_one_warning_instead_of_false_errors(self, released: Path, tmp_path: Path,
                                                 depth: int) -> None:
        clone = shallow_clone(released, tmp_path / "clone", depth)
        code, lines = findings(clone)
        assert code == 0, lines
        assert rules(lines) == ["history-shallow"], lines
        (line,) = lines
        assert line.startswith("ontology/ontology.yaml:") and " warning " in line
        assert "git fetch --unshallow --tags" in line
        assert findings(clone) == (code, lines) == findings(clone, "--no-cache")  # warm too
        checked = run_cli(clone, "check")
        assert checked.exit_code == 0, checked.output
        assert "error" not in checked.stdout and "history-shallow" in checked.stdout

    def test_a_note_or_dispute_naming_an_id_gone_before_the_clone_is_not_refused(
            self, released: Path, tmp_path: Path) -> None:
        clone = shallow_clone(released, tmp_path / "clone", 1)
        (clone / "changelog/unreleased").mkdir()
        (clone / "changelog/unreleased/about-the-old-id.yaml").write_text(
            f"kpis: [{OLD}]\nsummary: Reword what the old id meant.\n", encoding="utf-8")
        write_dispute(clone, "D-2026-003", OLD, "1.0.0")
        code, lines = findings(clone)
        assert code == 0 and rules(lines) == ["history-shallow"], lines
        assert not any("never existed" in line or "not a KPI" in line for line in lines)

    def test_the_last_release_is_still_checked(self, released: Path, tmp_path: Path) -> None:
        clone = shallow_clone(released, tmp_path / "clone", 1)
        path = clone / TC_FILE
        text = path.read_text(encoding="utf-8")
        stamped = next(line for line in text.splitlines() if line.startswith("version: "))
        path.write_text(text.replace(stamped, "version: 7.0.0", 1), encoding="utf-8")
        code, lines = findings(clone)
        assert code == 1
        assert sorted(rules(lines)) == ["history-shallow", "stamp-edited"], lines

    def test_a_deepened_clone_gets_every_check_back(self, released: Path,
                                                    tmp_path: Path) -> None:
        clone = shallow_clone(released, tmp_path / "clone", 1)
        write_dispute(clone, "D-2026-003", TC, "1.5.0")  # no release ever had 1.5.0
        assert rules(findings(clone)[1]) == ["history-shallow"]  # cannot be told: silent
        assert rules(findings(clone)[1]) == ["history-shallow"]  # and remembered so
        git(clone, "fetch", "-q", "--unshallow", "--tags")
        code, lines = findings(clone)  # the remembered shallow past is not reused
        assert code == 1 and rules(lines) == ["dispute-against-unknown"], lines
        assert "1.5.0" in lines[0] and "(its versions: 1.0.0, " in lines[0]
        assert findings(clone, "--no-cache") == (code, lines)

    def test_a_shallow_clone_of_an_ontology_never_released_says_nothing(
            self, mini_repo: Path, tmp_path: Path) -> None:
        commit_all(mini_repo, "One more commit, so that depth 1 is shallow")
        (mini_repo / "README.md").write_text("x\n", encoding="utf-8")
        commit_all(mini_repo, "And another")
        git(mini_repo, "add", "-A")
        git(mini_repo, "commit", "-q", "--allow-empty", "-m", "Empty")
        clone = shallow_clone(mini_repo, tmp_path / "clone", 1)
        assert findings(clone) == (0, [])  # no release, so no release is missing


def _not_json(_: Any) -> Any:
    return "not json"


def _no_kpis(record: dict[str, Any]) -> Any:
    del record["kpis"]
    return record


def _a_list(_: Any) -> Any:
    return [1, 2]


def _broken_field(record: dict[str, Any]) -> Any:
    record["kpis"][0]["changes"] = "several"
    return record


def _edited_next_version(record: dict[str, Any]) -> Any:
    entry = next(kpi for kpi in record["kpis"] if kpi["rogueId"] == TC)
    entry["nextVersion"] = "9.9.9"
    return record


def _an_id_no_tree_holds(record: dict[str, Any]) -> Any:
    entry = next(kpi for kpi in record["kpis"] if kpi["rogueId"] == TC)
    entry["rogueId"] = "customers.nope"  # 2.0.0 would vanish from TC's history, unsaid
    return record


def _a_null_id(record: dict[str, Any]) -> Any:
    record["kpis"][0]["rogueId"] = None
    return record


def damage_record(root: Path, edit: Callable[[Any], Any] | None) -> str:
    """Rewrite 2.0.0's committed record (None: remove it, as a release tagged by hand has
    none), amend the release commit and move its tag; the new commit's short id."""
    path = root / RECORD
    if edit is None:
        git(root, "rm", "-q", RECORD)
    else:
        changed = edit(json.loads(path.read_text(encoding="utf-8")))
        path.write_text(changed if isinstance(changed, str) else json.dumps(changed, indent=2),
                        encoding="utf-8")
        git(root, "add", RECORD)
    git(root, "commit", "-q", "--amend", "--no-edit")
    git(root, "tag", "-f", "-a", "v2.0.0", "-m", "Ontology 2.0.0, amended")
    return git(root, "rev-parse", "--short=7", "HEAD")


def stamped_version(root: Path, rel: str) -> str:
    text = (root / rel).read_text(encoding="utf-8")
    return next(line for line in text.splitlines() if line.startswith("version: "))[9:]


class TestDamagedRecord:
    """A release's `changelog/<version>.json` edited after the release committed it."""

    @pytest.mark.parametrize("edit", [_not_json, _no_kpis, _a_list, _broken_field,
                                      _edited_next_version, _an_id_no_tree_holds, _a_null_id])
    def test_one_warning_at_the_record_and_no_false_finding(
            self, released: Path, edit: Callable[[Any], Any]) -> None:
        commit = damage_record(released, edit)
        code, lines = findings(released)
        assert code == 0, lines
        assert rules(lines) == ["release-record-unreadable"], lines
        (line,) = lines
        assert line.startswith(f"{RECORD}:") and " warning " in line
        assert f"release 2.0.0 ({commit})" in line
        assert findings(released) == (code, lines) == findings(released, "--no-cache")
        checked = run_cli(released, "check")
        assert checked.exit_code == 0, checked.output

    def test_not_json_is_located_where_it_breaks(self, released: Path) -> None:
        damage_record(released, lambda record: json.dumps(record, indent=2)[:40])
        (line,) = findings(released)[1]
        assert line.startswith(f"{RECORD}:") and not line.startswith(f"{RECORD}:1:1:")
        assert "not JSON" in line

    def test_the_edited_version_is_named(self, released: Path) -> None:
        damage_record(released, _edited_next_version)
        (line,) = findings(released)[1]
        assert f"{TC} went from 1.0.0 to 9.9.9" in line

    def test_the_damage_is_said_in_json_words(self, released: Path) -> None:
        damage_record(released, _a_null_id)
        (line,) = findings(released)[1]
        assert "found null" in line and "None" not in line

    @pytest.mark.parametrize("edit", [_not_json, _edited_next_version, _an_id_no_tree_holds])
    def test_history_recomputes_the_release_and_says_so(
            self, released: Path, edit: Callable[[Any], Any]) -> None:
        damage_record(released, edit)
        document = json_of(released, "history", TC)
        latest = document["releases"][0]
        assert (latest["ontologyVersion"], latest["previousVersion"], latest["kpiVersion"]) == (
            "2.0.0", "1.0.0", stamped_version(released, TC_FILE))
        assert "9.9.9" not in json.dumps(document)
        assert "record of release 2.0.0 is damaged" in document["note"]
        assert document["shallow"] is False
        text = ok(released, "history", TC)
        assert text.startswith("note: the changelog record of release 2.0.0 is damaged")
        markdown = ok(released, "history", TC, "--format", "markdown")
        assert "_Note: the changelog record of release 2.0.0 is damaged" in markdown
        html = ok(released, "history", TC, "--format", "html")
        assert "<strong>Note:</strong> the changelog record of release 2.0.0 is damaged" in html

    def test_a_release_without_a_record_is_unknown_and_not_wrong(self, released: Path) -> None:
        damage_record(released, None)  # as if 2.0.0 had been tagged by hand
        assert findings(released) == (0, [])  # nothing is damaged; nothing is concluded
        write_dispute(released, "D-2026-003", TC, "1.5.0")
        code, lines = findings(released)
        # 2.0.0's tree holds total_customers: it may have published 1.5.0, so that is not said
        assert (code, lines) == (0, [])
        document = json_of(released, "history", TC)
        assert "release 2.0.0 has no changelog record" in document["note"]
        assert document["releases"][0]["kpiVersion"] == stamped_version(released, TC_FILE)

    def test_a_wrong_version_is_still_found_when_no_unknown_release_held_the_kpi(
            self, released: Path) -> None:
        damage_record(released, None)
        write_dispute(released, "D-2026-003", OLD, "1.5.0")  # gone from 2.0.0's tree
        code, lines = findings(released)
        assert code == 1 and rules(lines) == ["dispute-against-unknown"], lines
