"""The tag-name rules agree with `git check-ref-format` (and `git tag`) on every name tried."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ontology_tools.refformat import ref_name_problem, tag_name_problem
from tests.conftest import git

# Single characters and fragments around which git's rules turn: dots, slashes, '.lock', '@{',
# every forbidden character, control characters, DEL and some non-ASCII letters.
PIECES = ["a", "Z", "0", "9", "v", ".", "/", "-", "_", "@", "{", "}", ".lock", "..", "@{", "//",
          "lock", " ", "~", "^", ":", "?", "*", "[", "]", "\\", "\t", "\n", "\x01", "\x1f",
          "\x7f", "é", "ß", "€", "\u2028"]
NAMES = st.lists(st.sampled_from(PIECES), min_size=0, max_size=8).map("".join)


def git_accepts_ref(ref: str) -> bool:
    """What the real `git check-ref-format` says about `ref`."""
    result = subprocess.run(["git", "check-ref-format", ref], capture_output=True, check=False)
    return result.returncode == 0


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NAMES)
@example("v1.0.0")
@example("release/1.0.0")
@example("v..1.0.0")
@example(".v1.0.0")
@example("v.lock/1.0.0")
@example("v1.0.0.")
@example("v@{1.0.0")
@example("@")
@example("v/")
@example("/v")
@example("a//b")
@example("é1.0.0")
def test_tag_rules_agree_with_git_check_ref_format(name: str) -> None:
    ours = tag_name_problem(name) is None
    expected = git_accepts_ref(f"refs/tags/{name}") and not name.startswith("-")
    assert ours == expected, (name, tag_name_problem(name))


@settings(max_examples=200, deadline=None)
# git reads an empty argument or one starting with "-" as a usage error, before any rule
@given(NAMES.filter(lambda name: bool(name) and not name.startswith("-")))
def test_ref_rules_agree_with_git_on_whole_ref_names(name: str) -> None:
    # `git check-ref-format --allow-onelevel` checks a name without the refs/tags/ namespace:
    # the rules for a whole name ('@', a trailing '.') are exercised at the top level too.
    result = subprocess.run(["git", "check-ref-format", "--allow-onelevel", name],
                            capture_output=True, check=False)
    assert (ref_name_problem(name) is None) == (result.returncode == 0), name


@pytest.mark.parametrize("name", ["-v1.0.0", "v1.0.0", "v..1.0.0", "x.lock/1.0.0", "rel/1.0.0"])
def test_tag_rules_agree_with_git_tag_itself(mini_repo: Path, name: str) -> None:
    created = subprocess.run(["git", "tag", name], cwd=mini_repo, capture_output=True,
                             check=False)
    assert (created.returncode == 0) == (tag_name_problem(name) is None), created.stderr
    if created.returncode == 0:
        assert git(mini_repo, "tag", "-l", name) == name


def test_problems_are_sentences_naming_the_part() -> None:
    assert tag_name_problem("v..1.0.0") == "it contains '..'"
    assert tag_name_problem("x.lock/1.0.0") == "its part 'x.lock' ends with '.lock'"
    assert tag_name_problem("") == "it is empty"
    assert tag_name_problem("v\udc801.0.0") == "it is not valid Unicode text"


@pytest.mark.parametrize(("prefix", "finding"), [
    ("v", False), ("release/", False), ("", False), ("ontology-v", False),
    ("release..v", True), ("-", True), ("/v", True), ("x.lock/", True), (".v", True)])
def test_validate_reports_a_prefix_git_refuses_and_still_checks_the_kpis(
        mini: Path, prefix: str, finding: bool) -> None:
    from tests.conftest import run_cli

    config = mini / "ontology" / "ontology.yaml"
    config.write_text(config.read_text("utf-8").replace("tagPrefix: v\n",
                                                        f"tagPrefix: '{prefix}'\n"), "utf-8")
    arr = mini / "ontology" / "sales" / "arr.yaml"
    arr.write_text(arr.read_text("utf-8").replace("maturity: ", "maturity: nosuch", 1), "utf-8")
    result = run_cli(mini, "validate")
    lines = result.stdout.splitlines()
    assert any(" error unknown-vocabulary " in line for line in lines), result.stdout
    tag_lines = [line for line in lines if " tag-prefix-invalid " in line]
    assert bool(tag_lines) == finding, result.stdout
    if finding:
        assert tag_lines[0].startswith("ontology/ontology.yaml:7:12: error tag-prefix-invalid ")
