"""A warm `validate` takes the past from `.ontology-cache/`, and never a stale one.

Every test first runs `validate` so the cache holds the past, then changes what decides the
last release (HEAD, a tag, the shallow boundary, the repository itself) and checks that the
next warm run finds exactly what a run without any cache finds.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from ontology_tools.project.past import CACHE_DIR, PAST_PREFIX
from tests.classify.conftest import stamp_all
from tests.conftest import git, run_cli

ARR = "ontology/sales/arr.yaml"

PROBE = """
import json, sys
from ontology_tools.cli import main
try:
    main(["--root", sys.argv[1], "validate"], prog_name="ontology")
except SystemExit:
    pass
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def findings(root: Path, *args: str) -> tuple[int, list[str]]:
    """Exit code and finding lines of `ontology validate`."""
    result = run_cli(root, "validate", *args)
    return result.exit_code, result.stdout.splitlines()


def uncached(root: Path) -> tuple[int, list[str]]:
    """What a run that neither reads nor writes the cache finds."""
    return findings(root, "--no-cache")


def past_files(root: Path) -> list[Path]:
    """The remembered past under `root`."""
    return sorted((root / CACHE_DIR).glob(f"{PAST_PREFIX}*"))


def stamp(root: Path, version: str, date: str = "2026-01-05") -> None:
    """Stamp every KPI and ontology.yaml as release `version` would."""
    stamp_all(root, version, date)


def set_arr_version(root: Path, old: str, new: str) -> None:
    """Hand-edit the stamp of one KPI."""
    path = root / ARR
    text = path.read_text(encoding="utf-8")
    assert f"version: {old}" in text
    path.write_text(text.replace(f"version: {old}", f"version: {new}", 1), encoding="utf-8")


def commit(root: Path, message: str) -> str:
    """Commit everything; the new HEAD."""
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD")


def release_by_trailer(root: Path, version: str = "1.0.0") -> str:
    """A release recorded by the trailer alone (no tag)."""
    stamp(root, version)
    return commit(root, f"Release ontology {version}\n\nOntology-Release: {version}")


def warm(root: Path) -> tuple[int, list[str]]:
    """Run twice, so the second run is warm and its past comes from the cache."""
    findings(root)
    assert past_files(root), "the first run remembered nothing"
    return findings(root)


def imported(root: Path) -> set[str]:
    """The top-level modules a fresh Python holds after `ontology validate` in `root`."""
    done = subprocess.run([sys.executable, "-c", PROBE, str(root)], capture_output=True,
                          text=True, check=True, timeout=120)
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_a_warm_run_imports_neither_git_nor_jsonschema(mini_repo: Path) -> None:
    release_by_trailer(mini_repo)
    git(mini_repo, "tag", "-a", "v1.0.0", "-m", "Ontology 1.0.0")
    cold = imported(mini_repo)
    assert {"git", "jsonschema"} <= cold  # the cold run did read the release and the schemas
    assert imported(mini_repo).isdisjoint({"git", "jsonschema", "deepdiff", "jinja2"})


def test_an_edit_after_the_release_is_found_warm(mini_repo: Path) -> None:
    release_by_trailer(mini_repo)
    assert warm(mini_repo) == (0, [])
    set_arr_version(mini_repo, "1.0.0", "1.0.1")
    code, lines = findings(mini_repo)
    assert code == 1 and any("stamp-edited" in line and ARR in line for line in lines), lines
    assert (code, lines) == uncached(mini_repo)
    assert findings(mini_repo) == (code, lines)  # the stamp asked for is now remembered


def test_a_moved_tag_is_a_new_baseline(mini_repo: Path) -> None:
    stamp(mini_repo, "1.0.0")
    commit(mini_repo, "Stamp 1.0.0")
    git(mini_repo, "tag", "-a", "v1.0.0", "-m", "Ontology 1.0.0")
    set_arr_version(mini_repo, "1.0.0", "1.0.1")
    second = commit(mini_repo, "Edit a stamp by hand")
    code, lines = warm(mini_repo)
    assert code == 1 and any("stamp-edited" in line for line in lines), lines
    git(mini_repo, "tag", "-f", "-a", "v1.0.0", second, "-m", "Ontology 1.0.0, retagged")
    assert findings(mini_repo) == (0, []) == uncached(mini_repo)


def test_a_deleted_tag_leaves_the_baseline_missing(mini_repo: Path) -> None:
    stamp(mini_repo, "1.0.0")
    commit(mini_repo, "Stamp 1.0.0")
    git(mini_repo, "tag", "-a", "v1.0.0", "-m", "Ontology 1.0.0")
    assert warm(mini_repo) == (0, [])
    git(mini_repo, "tag", "-d", "v1.0.0")
    code, lines = findings(mini_repo)
    assert any("baseline-missing" in line for line in lines), lines
    assert (code, lines) == uncached(mini_repo)


def test_an_amended_release_commit_is_read_again(mini_repo: Path) -> None:
    release_by_trailer(mini_repo)
    assert warm(mini_repo) == (0, [])
    set_arr_version(mini_repo, "1.0.0", "1.0.1")
    _, lines = findings(mini_repo)
    assert any("stamp-edited" in line for line in lines), lines
    git(mini_repo, "add", "-A")
    git(mini_repo, "commit", "-q", "--amend", "--no-edit")  # the release now holds 1.0.1
    assert findings(mini_repo) == (0, []) == uncached(mini_repo)


def test_a_clone_made_shallow_loses_the_release(mini_repo: Path, tmp_path: Path) -> None:
    release_by_trailer(mini_repo)
    (mini_repo / "README.md").write_text("after the release\n", encoding="utf-8")
    commit(mini_repo, "Work after the release")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", mini_repo.as_uri(), str(clone))
    assert warm(clone) == (0, [])
    git(clone, "fetch", "-q", "--depth", "1", "origin")  # HEAD stays; its history now stops
    assert git(clone, "rev-parse", "--is-shallow-repository") == "true"
    code, lines = findings(clone)
    assert any("baseline-missing" in line and "shallow" in line for line in lines), lines
    assert (code, lines) == uncached(clone)


def test_without_git_the_remembered_release_is_not_used(mini_repo: Path) -> None:
    release_by_trailer(mini_repo)
    assert warm(mini_repo) == (0, [])
    shutil.rmtree(mini_repo / ".git")
    code, lines = findings(mini_repo)
    assert any("baseline-missing" in line and "not a git repository" in line
               for line in lines), lines
    assert (code, lines) == uncached(mini_repo)


def test_a_broken_past_file_is_rebuilt(mini_repo: Path) -> None:
    release_by_trailer(mini_repo)
    warm(mini_repo)
    (path,) = past_files(mini_repo)
    path.write_text('{"format": "ONTP0001", "facts": {"found": true, "digests": [1]}}')
    set_arr_version(mini_repo, "1.0.0", "1.0.1")
    code, lines = findings(mini_repo)
    assert any("stamp-edited" in line for line in lines), lines
    assert (code, lines) == uncached(mini_repo)


def test_no_cache_neither_reads_nor_writes_the_past(mini_repo: Path) -> None:
    release_by_trailer(mini_repo)
    uncached(mini_repo)
    assert past_files(mini_repo) == []


def test_a_schema_verdict_follows_the_bytes(mini_repo: Path) -> None:
    assert warm(mini_repo) == (0, [])
    config = mini_repo / "ontology" / "ontology.yaml"
    good = config.read_text(encoding="utf-8")
    config.write_text(good.replace("name: Mini Ontology", "name: [1, 2]"), encoding="utf-8")
    code, lines = findings(mini_repo)
    assert code == 1 and any("ontology.yaml" in line and "schema" in line for line in lines)
    assert (code, lines) == uncached(mini_repo)
    config.write_text(good, encoding="utf-8")
    assert findings(mini_repo) == (0, [])
