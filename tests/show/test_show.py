"""`ontology show ID --at …`: the definition as it stood, on a repository of four releases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ontology_tools.schemas import schema_errors
from tests.classify.conftest import edit_kpi
from tests.conftest import git, run_cli
from tests.show.scenario import DATES, NEW, NEW_FORMULA, OLD, RETIRED, SUCCESSOR, Released

ARR = "sales.arr"


def _show(root: Path, *args: str) -> tuple[int, str, str]:
    result = run_cli(root, "show", *args)
    return result.exit_code, result.stdout, result.stderr


def _bundle_files(bundle: Path) -> dict[str, bytes]:
    return {p.relative_to(bundle / "kpis").as_posix(): p.read_bytes()
            for p in sorted((bundle / "kpis").glob("*/*.json"))}


def _rogue_id(relative: str) -> str:
    return relative.removesuffix(".json").replace("/", ".")


def test_json_is_the_latest_bundle_file_byte_for_byte_for_every_kpi(released: Released) -> None:
    files = _bundle_files(released.root / "dist" / "ontology-4.0.0")
    assert len(files) == 6 and f"{NEW.replace('.', '/')}.json" in files
    for relative, data in files.items():
        code, out, err = _show(released.root, _rogue_id(relative), "--format", "json")
        assert code == 0, err
        assert out.encode("utf-8") == data, relative
        assert "release 4.0.0" in err and "the last release" in err


@pytest.mark.parametrize("at", ["1.0.0", "v1.0.0", "2026-05-01", "2026-05-31"])
def test_json_of_an_older_release_is_the_bundle_that_release_wrote(released: Released,
                                                                  at: str) -> None:
    """Compared with the bundle the first release wrote, kept from that run (not rebuilt)."""
    files = _bundle_files(released.first_bundle)
    assert OLD.replace(".", "/") + ".json" in files
    for relative, data in files.items():
        code, out, err = _show(released.root, _rogue_id(relative), "--at", at, "--format", "json")
        assert code == 0, err
        assert out.encode("utf-8") == data, (at, relative)
        assert "release 1.0.0" in err
    assert json.loads(files["customers/customers_churned.json"])["kpi"]["formula"] != NEW_FORMULA


def test_json_validates_against_the_kpi_release_schema(released: Released) -> None:
    for at in ("1.0.0", "2.0.0", "3.0.0", "4.0.0"):
        rogue_id = NEW if at >= "3.0.0" else OLD
        code, out, _ = _show(released.root, rogue_id, "--at", at, "--format", "json")
        assert code == 0
        assert list(schema_errors("kpi-release", json.loads(out))) == []


def test_yaml_is_the_source_file_as_the_release_committed_it(released: Released) -> None:
    code, out, err = _show(released.root, OLD, "--at", "2.0.0", "--format", "yaml")
    assert code == 0
    assert out == git(released.root, "show", "v2.0.0:ontology/customers/customers_churned.yaml") \
        + "\n"
    assert "version: 2.0.0" in out and "release 2.0.0" in err


def test_a_date_between_two_releases_is_the_one_in_force(released: Released) -> None:
    code, out, _ = _show(released.root, OLD, "--at", "2026-05-31")
    assert code == 0
    assert "version:   1.0.0, released 2026-05-01" in out
    assert "release 1.0.0" in out and "in force on 2026-05-31" in out
    assert "free plan" not in out
    # on the release date itself, that release is in force
    code, out, _ = _show(released.root, OLD, "--at", DATES["2.0.0"])
    assert code == 0 and "version:   2.0.0" in out and "excluding downgrades" in out


def test_a_date_before_the_first_release_is_a_clear_error(released: Released) -> None:
    code, out, err = _show(released.root, OLD, "--at", "2026-04-30")
    assert code == 1 and out == ""
    assert "no release was in force on 2026-04-30" in err
    assert "1.0.0" in err and DATES["1.0.0"] in err
    assert "Traceback" not in err


def test_a_renamed_id_says_so_and_names_its_successor(released: Released) -> None:
    for at in (None, "3.0.0", "2026-07-02", "main"):
        code, out, err = _show(released.root, OLD, *(("--at", at) if at else ()))
        assert code == 1 and out == "", at
        assert f"{OLD} was renamed to {NEW} in release 3.0.0" in err
        assert f"ontology show {NEW}" in err
    code, out, _ = _show(released.root, OLD, "--at", "2.0.0")
    assert code == 0 and NEW_FORMULA.split(",")[0] in " ".join(out.split())


def test_asking_for_the_successor_before_the_rename_says_when_it_was_added(
        released: Released) -> None:
    code, _, err = _show(released.root, NEW, "--at", "2026-06-15")
    assert code == 1
    assert f"{NEW} did not exist yet" in err and "added in release 3.0.0 (2026-07-01)" in err
    assert f"rename of {OLD}" in err and f"ontology show {OLD} --at 2.0.0" in err
    code, out, _ = _show(released.root, NEW, "--at", "3.0.0")
    assert code == 0 and f"({NEW})" in out and "supersedes: " + OLD in out


def test_a_removed_id_names_what_replaces_it(released: Released) -> None:
    code, _, err = _show(released.root, RETIRED)
    assert code == 1
    assert f"{RETIRED} was removed in release 4.0.0" in err
    assert f"successor is {SUCCESSOR}" in err
    code, out, _ = _show(released.root, RETIRED, "--at", "3.0.0")
    assert code == 0 and "DEPRECATED 2026-06-15" in out and f"use {SUCCESSOR}" in out


def test_an_id_added_later_says_in_which_release(mini_repo: Path) -> None:
    assert run_cli(mini_repo, "release", "--tag", "--date", "2026-05-01").exit_code == 0
    assert run_cli(mini_repo, "new", "sales", "net_arr").exit_code == 0
    assert run_cli(mini_repo, "note", "--kpi", "sales.net_arr", "-m", "Net ARR.").exit_code == 0
    git(mini_repo, "add", "-A")
    git(mini_repo, "commit", "-q", "-m", "Add net ARR")
    assert run_cli(mini_repo, "release", "--tag", "--date", "2026-06-01").exit_code == 0
    code, _, err = _show(mini_repo, "sales.net_arr", "--at", "1.0.0")
    assert code == 1
    assert "sales.net_arr did not exist yet at release 1.0.0" in err
    assert "added in release 1.1.0 (2026-06-01)" in err


@pytest.mark.parametrize(("args", "named"), [
    (("customers.nope",), "customers.nope"),
    (("customers.nope", "--at", "1.0.0"), "customers.nope"),
    ((OLD, "--at", "2026-13-01"), "2026-13-01"),
    ((OLD, "--at", "2026-02-30"), "2026-02-30"),
    ((OLD, "--at", "9.9.9"), "9.9.9"),
    ((OLD, "--at", "v9.9.9"), "v9.9.9"),
    ((OLD, "--at", "no-such-branch"), "no-such-branch"),
    ((OLD, "--format", "pdf"), "pdf"),
])
def test_usage_errors_exit_2_naming_the_value(released: Released, args: tuple[str, ...],
                                              named: str) -> None:
    code, out, err = _show(released.root, *args)
    assert code == 2, err
    assert out == "" and named in err and "Traceback" not in err
    assert "internal error" not in err


def test_a_release_commit_given_as_a_ref_is_shown_as_that_release(released: Released) -> None:
    commit = git(released.root, "rev-list", "-n", "1", "v2.0.0")
    code, out, _ = _show(released.root, OLD, "--at", commit)
    assert code == 0 and "release 2.0.0 (" in out and commit not in out


def test_worktree_shows_unreleased_edits_and_says_it_is_not_a_release(mini_repo: Path) -> None:
    assert run_cli(mini_repo, "release", "--tag", "--date", "2026-05-01").exit_code == 0
    edit_kpi(mini_repo, ARR, lambda kpi: kpi.__setitem__("formula", "Unreleased formula."))
    code, out, _ = _show(mini_repo, ARR, "--at", "WORKTREE")
    assert code == 0 and "Unreleased formula." in out and "the worktree" in out
    code, out, _ = _show(mini_repo, ARR)
    assert code == 0 and "Unreleased formula." not in out and "release 1.0.0" in out
    code, out, err = _show(mini_repo, ARR, "--at", "WORKTREE", "--format", "yaml")
    assert code == 0 and out == (mini_repo / "ontology/sales/arr.yaml").read_text("utf-8")
    assert "the worktree" in err


def test_an_unreleased_ontology_says_there_is_no_release(mini_repo: Path) -> None:
    code, _, err = _show(mini_repo, ARR)
    assert code == 1 and "not been released yet" in err and "--at WORKTREE" in err
    code, _, err = _show(mini_repo, ARR, "--at", "WORKTREE", "--format", "json")
    assert code == 1 and "no release stamps" in err and "Traceback" not in err


def test_html_is_a_standalone_escaped_page_of_that_release(released: Released) -> None:
    code, out, err = _show(released.root, OLD, "--at", "1.0.0", "--format", "html")
    assert code == 0 and out.startswith("<!doctype html>")
    assert "Content-Security-Policy" in out and "default-src &#39;none&#39;" in out
    assert "<script" not in out.lower()
    assert "<img" not in out and "onerror=" not in out
    assert "D-2026-001" in out and "(release 2.0.0)" in out  # the KPI's disputes, as recorded
    assert "release 1.0.0" in err
