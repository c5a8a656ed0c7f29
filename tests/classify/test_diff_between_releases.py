"""`ontology diff` to a release two releases on: the versions that release stamped, never the
ones "the next release after --from" would get.

The repository: 1.0.0 (tagged), 2.0.0 (tagged: the formula of total_customers, major) and 2.0.1
(recorded by its commit's trailer only, no tag: the label, patch). A diff from 1.0.0 to 2.0.1
classifies both changes (major), and ends where 2.0.1 ended: the ontology at 2.0.1 and the KPI at
2.0.1, not 2.0.0 twice.
"""

from __future__ import annotations

import tarfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from ontology_tools.schemas import schema
from tests.classify.conftest import diff_json, edit_kpi
from tests.conftest import git, run_cli
from tests.release.scenario import commit_all, ignore_build_output

TC = "customers.total_customers"


def _release(root: Path, date: str, *, tag: bool = True) -> None:
    result = run_cli(root, "release", "--date", date, "--tag" if tag else "--commit")
    assert result.exit_code == 0, result.output + result.stderr


def _note(root: Path, summary: str) -> None:
    result = run_cli(root, "note", "--kpi", TC, "-m", summary)
    assert result.exit_code == 0, result.stderr


@pytest.fixture
def three_releases(mini_repo: Path) -> Path:
    ignore_build_output(mini_repo)
    _release(mini_repo, "2026-05-01")
    edit_kpi(mini_repo, TC, lambda kpi: kpi.__setitem__(
        "formula", str(kpi["formula"]).replace("Excludes trials,",
                                               "Excludes trials, internal test accounts,")))
    _note(mini_repo, "Exclude test accounts.")
    commit_all(mini_repo, "Exclude test accounts")
    _release(mini_repo, "2026-06-01")
    edit_kpi(mini_repo, TC, lambda kpi: kpi.__setitem__("defaultLabel", "Total Paying Customers"))
    _note(mini_repo, "The label says paying.")
    commit_all(mini_repo, "Relabel")
    _release(mini_repo, "2026-07-01", tag=False)
    assert git(mini_repo, "tag", "-l") == "v1.0.0\nv2.0.0"
    return mini_repo


def _versions(plan: dict[str, Any]) -> tuple[Any, ...]:
    [kpi] = plan["kpis"]
    return (plan["ontology"]["version"], plan["ontology"]["nextVersion"], plan["ontology"]["bump"],
            kpi["version"], kpi["nextVersion"], kpi["bump"])


@pytest.mark.parametrize("to", ["2.0.1", "HEAD", "release commit"])
def test_a_diff_to_a_release_ends_at_the_versions_it_stamped(three_releases: Path,
                                                             to: str) -> None:
    # by version (no tag), by a ref to its commit, by its commit's hash: the same release
    spec = git(three_releases, "rev-parse", "HEAD") if to == "release commit" else to
    plan = diff_json(three_releases, "--from", "1.0.0", "--to", spec)
    assert _versions(plan) == ("1.0.0", "2.0.1", "major", "1.0.0", "2.0.1", "major")
    assert [c["rule"] for c in plan["kpis"][0]["changes"]] == ["label-changed", "formula-changed"]
    # named by its version, never by the hash typed
    assert plan["to"] == {"ref": "2.0.1", "version": "2.0.1"}
    assert plan["from"] == {"ref": "v1.0.0", "version": "1.0.0"}
    jsonschema.validate(plan, schema("plan"))


def test_a_diff_to_a_release_bundle_ends_at_its_versions(three_releases: Path,
                                                        tmp_path: Path) -> None:
    folder = three_releases / "dist" / "ontology-2.0.1"
    tarball = tmp_path / "ontology-2.0.1.tar.gz"
    with tarfile.open(tarball, "w:gz") as archive:
        archive.add(folder, arcname=folder.name)
    for bundle in (folder, tarball):
        plan = diff_json(three_releases, "--from", "v1.0.0", "--to", str(bundle))
        assert _versions(plan) == ("1.0.0", "2.0.1", "major", "1.0.0", "2.0.1", "major")
        assert plan["to"]["version"] == "2.0.1"


def test_the_text_and_markdown_name_the_release_versions(three_releases: Path) -> None:
    text = run_cli(three_releases, "diff", "--from", "v1.0.0", "--to", "2.0.1").stdout
    assert text.splitlines()[0] == "v1.0.0 → 2.0.1: ontology 1.0.0 → 2.0.1 (major)"
    assert f"{TC} (changed): 1.0.0 → 2.0.1 (major)" in text
    assert "2.0.0" not in text  # the release between is no part of either end
    markdown = run_cli(three_releases, "diff", "--from", "v1.0.0", "--to", "2.0.1",
                       "--format", "markdown").stdout
    assert markdown.startswith("### Ontology diff: 1.0.0 → 2.0.1 (**major**)\n")
    assert f"| `{TC}` | changed | 1.0.0 → 2.0.1 | major |" in markdown


def test_the_review_page_agrees_with_its_own_history(three_releases: Path) -> None:
    page = run_cli(three_releases, "diff", "--kpi", TC, "--from", "v1.0.0", "--to", "2.0.1",
                   "--format", "html").stdout
    assert ("From <strong>v1.0.0</strong> (ontology 1.0.0) to <strong>2.0.1</strong> "
            "(ontology 2.0.1).") in page
    assert "changed · version 1.0.0 → 2.0.1</p>" in page
    history = page[page.index("<h2>History</h2>"):]
    assert "<td>2.0.1 (patch)</td>" in history and "<td>2.0.0 (major)</td>" in history


def test_between_adjacent_releases_nothing_differs_from_before(three_releases: Path) -> None:
    plan = diff_json(three_releases, "--from", "v2.0.0", "--to", "2.0.1")
    assert _versions(plan) == ("2.0.0", "2.0.1", "patch", "2.0.0", "2.0.1", "patch")


def test_to_a_commit_that_is_no_release_the_next_versions_are_computed(
        three_releases: Path) -> None:
    edit_kpi(three_releases, TC, lambda kpi: kpi.__setitem__("unit", "people"))
    commit_all(three_releases, "Count people")
    plan = diff_json(three_releases, "--from", "1.0.0", "--to", "HEAD")
    # the next release after 1.0.0 with a major change: computed, as it always was
    assert _versions(plan) == ("1.0.0", "2.0.0", "major", "1.0.0", "2.0.0", "major")
    assert plan["to"] == {"ref": "HEAD"}
    # and the worktree is never a release, even where its stamps are the last release's
    git(three_releases, "reset", "-q", "--hard", "HEAD~1")
    plan = diff_json(three_releases, "--from", "1.0.0")
    assert _versions(plan) == ("1.0.0", "2.0.0", "major", "1.0.0", "2.0.0", "major")
    assert plan["to"] == {"ref": "WORKTREE"}
