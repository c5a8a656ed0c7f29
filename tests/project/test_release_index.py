"""One truth about releases: every command sees the same releases, named by their versions."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from ontology_tools.project import Project
from tests.classify.conftest import edit_kpi
from tests.conftest import git, run_cli
from tests.project.scenarios import (
    ARR,
    NEW,
    OLD,
    change_churn_formula,
    commit_all,
    json_of,
    note,
    release,
    rename_churned,
    set_config,
)

HASH = re.compile(r"\b[0-9a-f]{12,40}\b")


@pytest.fixture
def tagged_by_hand(mini_repo: Path) -> Path:
    """1.0.0 released with the tool but committed and tagged by hand, without the trailer."""
    release(mini_repo, "2026-05-01", "--allow-dirty")
    git(mini_repo, "add", "-A")
    git(mini_repo, "commit", "-q", "-m", "Ship the first ontology")
    git(mini_repo, "tag", "v1.0.0")
    return mini_repo


def test_a_release_tagged_by_hand_is_in_the_history_and_the_baseline(
        tagged_by_hand: Path) -> None:
    root = tagged_by_hand
    change_churn_formula(root)
    release(root, "2026-06-01")
    history = json_of(root, "history", OLD)["releases"]
    assert [(r["ontologyVersion"], r["status"]) for r in history] == [
        ("2.0.0", "changed"), ("1.0.0", "added")]
    versions = [r.version for r in Project(root).releases.releases]
    assert versions == ["1.0.0", "2.0.0"]


def test_a_version_names_a_release_without_a_tag(mini_repo: Path) -> None:
    release(mini_repo, "2026-05-01", "--commit")  # trailer only, no tag
    change_churn_formula(mini_repo)
    release(mini_repo, "2026-06-01", "--commit")
    plan = json_of(mini_repo, "diff", "--from", "1.0.0", "--to", "2.0.0")
    assert plan["from"] == {"ref": "1.0.0", "version": "1.0.0"}
    assert [k["rogueId"] for k in plan["kpis"]] == [OLD]
    assert json_of(mini_repo, "diff", "--from", "v2.0.0")["kpis"] == []
    by_commit = json_of(mini_repo, "diff", "--from", "HEAD~2", "--to", "HEAD")
    # git refs that name release commits read as those releases
    assert (by_commit["from"]["ref"], by_commit["to"]["ref"]) == ("1.0.0", "2.0.0")


def test_output_names_releases_by_version_never_by_hash(mini_repo: Path) -> None:
    release(mini_repo, "2026-05-01", "--commit")
    for args in (("plan",), ("diff",), ("check",), ("diff", "--from", "1.0.0")):
        result = run_cli(mini_repo, *args)
        assert result.exit_code == 0, result.stderr
        assert "1.0.0" in result.output
        assert not HASH.search(result.output), result.output


def test_plan_and_check_accept_from(mini_repo: Path) -> None:
    release(mini_repo, "2026-05-01")
    change_churn_formula(mini_repo)
    release(mini_repo, "2026-06-01")
    plan = json_of(mini_repo, "plan", "--from", "1.0.0")
    assert plan["from"]["version"] == "1.0.0" and plan["kpis"][0]["rogueId"] == OLD
    assert run_cli(mini_repo, "check", "--from", "v1.0.0").exit_code == 1  # no note now


def test_the_old_id_of_a_rename_says_where_it_went(mini_repo: Path) -> None:
    release(mini_repo, "2026-05-01")
    rename_churned(mini_repo)
    release(mini_repo, "2026-06-01")
    old = json_of(mini_repo, "history", OLD)["releases"]
    assert [(r["ontologyVersion"], r["renamedTo"]) for r in old] == [
        ("2.0.0", NEW), ("1.0.0", None)]
    text = run_cli(mini_repo, "history", OLD).stdout
    # below the header's one line on how word changes are marked, the newest release
    assert text.splitlines()[0].startswith("note: word changes are marked")
    assert f"renamed to {NEW} in 2.0.0" in text.splitlines()[1]
    new = json_of(mini_repo, "history", NEW)["releases"]
    assert [(r["rogueId"], r["status"]) for r in new] == [(NEW, "renamed"), (OLD, "added")]


def test_diff_of_the_old_id_across_a_rename_shows_the_rename(mini_repo: Path) -> None:
    release(mini_repo, "2026-05-01")
    rename_churned(mini_repo)
    commit_all(mini_repo)
    plan = json_of(mini_repo, "diff", "--kpi", OLD)
    assert [(k["rogueId"], k["status"]) for k in plan["kpis"]] == [(NEW, "renamed")]
    assert "no changes" not in run_cli(mini_repo, "diff", "--kpi", OLD).stdout


def test_history_credits_the_editor_and_the_release_manager(mini_repo: Path) -> None:
    release(mini_repo, "2026-05-01")
    change_churn_formula(mini_repo)
    commit_all(mini_repo, "Exclude free-plan downgrades", author="Bea Editor")
    edit_kpi(mini_repo, ARR, lambda kpi: kpi.__setitem__("defaultLabel", "Annual ARR"))
    note(mini_repo, ARR, "Relabel.")
    commit_all(mini_repo, "Relabel ARR", author="Carl Editor")
    release(mini_repo, "2026-06-01")  # committed as Ada Editor, the release manager
    latest = json_of(mini_repo, "history", OLD)["releases"][0]
    assert [e["author"] for e in latest["editors"]] == ["Bea Editor"]
    assert latest["releaseManager"]["author"] == "Ada Editor"
    assert latest["editors"][0]["date"][:2] == "20"
    text = run_cli(mini_repo, "history", OLD).stdout
    assert "edited by Bea Editor" in text and "released by Ada Editor" in text
    assert "Carl" not in text
    markdown = run_cli(mini_repo, "history", OLD, "--format", "markdown").stdout
    assert "Bea Editor" in markdown and "Ada Editor" in markdown
    html = run_cli(mini_repo, "history", OLD, "--format", "html").stdout
    assert "Bea Editor" in html


class TestMissingBaseline:
    """ontology.yaml names a release the repository does not hold: say why, no false errors."""

    def test_a_release_written_without_commit_gives_the_command_that_records_it(
            self, mini_repo: Path) -> None:
        release(mini_repo, "2026-05-01", "--allow-dirty")  # neither --commit nor --tag
        result = run_cli(mini_repo, "plan")
        assert result.exit_code == 1
        assert ('git add ontology changelog && git commit -m "Release ontology 1.0.0" '
                '-m "Ontology-Release: 1.0.0"') in result.stderr
        assert "--from" in result.stderr  # plan has it
        refused = run_cli(mini_repo, "release", "--date", "2026-06-01", "--allow-dirty")
        assert refused.exit_code == 1 and "git commit" in refused.stderr
        assert "--from" not in refused.stderr  # release does not

    def test_validate_warns_once_instead_of_false_errors(self, mini_repo: Path) -> None:
        release(mini_repo, "2026-05-01")
        rename_churned(mini_repo)
        release(mini_repo, "2026-06-01")
        git(mini_repo, "tag", "-d", "v2.0.0")
        git(mini_repo, "commit", "-q", "--amend", "-m", "Release without its trailer")
        result = run_cli(mini_repo, "validate")
        assert result.exit_code == 0, result.stdout
        assert "never existed" not in result.stdout
        assert [line.split()[2] for line in result.stdout.splitlines()] == ["baseline-missing"]
        assert "edited by hand" not in result.stdout
        assert "git tag -a v2.0.0" in result.stdout

    def test_a_hand_edited_version_is_named_so(self, mini_repo: Path) -> None:
        release(mini_repo, "2026-05-01")
        set_config(mini_repo, "version", "1.5.0")
        result = run_cli(mini_repo, "validate")
        rules = sorted(line.split()[2] for line in result.stdout.splitlines())
        assert rules == ["baseline-missing", "stamp-edited"]
        assert result.exit_code == 1
        assert "edited by hand" in result.stdout and "1.0.0" in result.stdout
        assert result.stdout.startswith("ontology/ontology.yaml:")

    def test_a_shallow_clone_says_how_to_deepen_it(self, mini_repo: Path,
                                                  tmp_path: Path) -> None:
        release(mini_repo, "2026-05-01")
        change_churn_formula(mini_repo)
        commit_all(mini_repo, "An edit after the release")
        clone = tmp_path / "shallow"
        subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{mini_repo}",
                        str(clone)], check=True)
        result = run_cli(clone, "plan")
        assert result.exit_code == 1
        assert "shallow" in result.stderr and "git fetch --unshallow" in result.stderr
        validated = run_cli(clone, "validate")
        assert validated.exit_code == 0 and "baseline-missing" in validated.stdout
        history = run_cli(clone, "history", OLD)
        assert "shallow" in history.stdout


def test_one_repository_and_one_parse_of_ontology_yaml_per_command(
        mini_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ontology_tools import yamlio
    from ontology_tools.gitrepo import GitRepo

    release(mini_repo, "2026-05-01")
    change_churn_formula(mini_repo)
    config_file = mini_repo / "ontology" / "ontology.yaml"
    config = b"# Edited after the release.\n" + config_file.read_bytes()
    config_file.write_bytes(config)  # so that its bytes are the worktree's alone
    commit_all(mini_repo)
    opened: list[Path] = []
    parsed: list[bytes] = []
    real_open, real_load = GitRepo.open.__func__, yamlio.load_fast  # type: ignore[attr-defined]

    def counting_open(cls: type[GitRepo], root: Path) -> GitRepo | None:
        opened.append(root)
        return real_open(cls, root)  # type: ignore[no-any-return]

    def counting_load(data: bytes) -> object:
        if data == config:
            parsed.append(data)
        return real_load(data)

    monkeypatch.setattr(GitRepo, "open", classmethod(counting_open))
    monkeypatch.setattr(yamlio, "load_fast", counting_load)
    for args in (("validate",), ("plan",), ("check",), ("history", OLD),
                 ("release", "--date", "2026-06-01", "--commit")):
        opened.clear()
        parsed.clear()
        result = run_cli(mini_repo, *args)
        assert result.exit_code in (0, 1), result.stderr
        assert len(opened) == 1, args
        assert len(parsed) == 1, args


def _drop_churned(root: Path) -> bytes:
    """Remove customers.customers_churned (and the links to it); its file's bytes."""
    path = root / "ontology/customers/customers_churned.yaml"
    kept = path.read_bytes()
    path.unlink()
    for rogue_id in ("customers.total_customers", "customers.logo_churn_rate"):
        edit_kpi(root, rogue_id, lambda kpi: kpi.__setitem__(
            "relatedKpiIds", [r for r in kpi["relatedKpiIds"] if r != OLD]))
        note(root, rogue_id, "The churned-customers count is withdrawn.")
    return kept


def test_a_restored_id_continues_its_version_and_never_restarts(mini_repo: Path) -> None:
    release(mini_repo, "2026-05-01")
    change_churn_formula(mini_repo)
    release(mini_repo, "2026-06-01")  # customers_churned 2.0.0
    kept = _drop_churned(mini_repo)
    release(mini_repo, "2026-07-01")  # 3.0.0: removed
    unstamped = b"\n".join(line for line in kept.splitlines()
                           if not line.startswith((b"version:", b"releasedAt:"))) + b"\n"
    (mini_repo / "ontology/customers/customers_churned.yaml").write_bytes(unstamped)
    note(mini_repo, OLD, "Back by popular demand.")
    plan = json_of(mini_repo, "plan")
    entry = plan["kpis"][0]
    assert (entry["rogueId"], entry["status"], entry["version"], entry["nextVersion"]) == (
        OLD, "restored", "2.0.0", "2.1.0")
    assert [c["rule"] for c in entry["changes"]] == ["kpi-restored"]
    release(mini_repo, "2026-08-01")
    stamped = (mini_repo / "ontology/customers/customers_churned.yaml").read_text()
    assert stamped.startswith("version: 2.1.0\n")
    history = json_of(mini_repo, "history", OLD)["releases"]
    assert [(r["ontologyVersion"], r["status"], r["kpiVersion"]) for r in history] == [
        ("3.1.0", "restored", "2.1.0"), ("3.0.0", "removed", None),
        ("2.0.0", "changed", "2.0.0"), ("1.0.0", "added", "1.0.0")]


def test_a_restored_id_with_a_new_definition_takes_the_bump_of_its_changes(
        mini_repo: Path) -> None:
    release(mini_repo, "2026-05-01")
    _drop_churned(mini_repo)
    release(mini_repo, "2026-06-01")
    git(mini_repo, "checkout", "v1.0.0", "--", "ontology/customers/customers_churned.yaml")
    edit_kpi(mini_repo, OLD, lambda kpi: kpi.__setitem__("formula", "A new formula."))
    path = mini_repo / "ontology/customers/customers_churned.yaml"
    path.write_text("".join(line for line in path.read_text().splitlines(keepends=True)
                            if not line.startswith(("version:", "releasedAt:"))))
    note(mini_repo, OLD, "Back, counted differently.")
    entry = json_of(mini_repo, "plan")["kpis"][0]
    assert (entry["status"], entry["version"], entry["nextVersion"], entry["bump"]) == (
        "restored", "1.0.0", "2.0.0", "major")
