"""A warm `validate` replays the last run's findings, and never a stale one.

Every test runs `validate` so the last run is remembered, then changes one thing the findings
depend on — a note, a dispute, ontology.yaml, a KPI file (even with its size and mtime kept), a
file's kind, a link's target, the refs, the stored file itself — and checks that the next run
finds exactly what a run without any cache finds. The first tests show the replay is real: a
forged run file under the right fingerprint is what a warm run prints.
"""

from __future__ import annotations

import json
import marshal
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ontology_tools.model import Finding, Severity
from ontology_tools.project.past import CACHE_DIR
from ontology_tools.runtime.sealed import seal
from ontology_tools.validation import Report, replay
from tests.conftest import git, run_cli

ARR = "ontology/sales/arr.yaml"
NOTE = "changelog/unreleased/arr-wording.yaml"
DISPUTE = "changelog/disputes/D-2026-001.yaml"
DISPUTE_TEXT = """id: D-2026-001
kpis: [sales.arr]
raisedAt: 2026-11-02
raisedBy: Content review
claim: ARR counts one-off fees.
status: open
"""
FORGED = Finding(ARR, 1, 1, Severity.ERROR, "layout", "forged: only a replay prints this")

PROBE = """
import json, sys
from ontology_tools.cli import main
try:
    main(["--root", sys.argv[1], "validate"], prog_name="ontology")
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""


def findings(root: Path, *args: str) -> tuple[int, list[str]]:
    """Exit code and finding lines of `ontology validate`."""
    result = run_cli(root, "validate", *args)
    return result.exit_code, result.stdout.splitlines()


def uncached(root: Path, *args: str) -> tuple[int, list[str]]:
    """What a run that neither reads nor writes any cache finds."""
    return findings(root, *args, "--no-cache")


def run_files(root: Path) -> list[Path]:
    """The remembered runs under `root`."""
    return sorted((root / CACHE_DIR).glob(f"{replay.RUN_PREFIX}*"))


def warm(root: Path) -> tuple[int, list[str]]:
    """Run once so the run is remembered; what the run found."""
    found = findings(root)
    assert len(run_files(root)) == 1, "the run was not remembered"
    return found


def forge(root: Path) -> None:
    """Overwrite the remembered run of the current fingerprint with a finding no check makes."""
    key = replay.fingerprint(root)
    assert key is not None
    replay.remember(root, key, Report((FORGED,), 1))


def write(root: Path, rel: str, text: str) -> Path:
    """Write a file of the repository (its folders created)."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def note(kpi: str) -> str:
    """A change note naming `kpi`."""
    return f"kpis: [{kpi}]\nsummary: Clarify the ARR wording.\n"


def modules_after_validate(root: Path) -> set[str]:
    """Every module a fresh Python holds after `ontology validate` in `root`."""
    done = subprocess.run([sys.executable, "-c", PROBE, str(root)], capture_output=True,
                          text=True, check=True, timeout=120)
    return set(json.loads(done.stdout.splitlines()[-1]))


def modules_at_start() -> set[str]:
    """What the interpreter itself holds before any code runs (its site hooks may import more
    than a plain Python would, e.g. a `.pth` file that loads a certificate bundle)."""
    done = subprocess.run([sys.executable, "-c", "import json, sys; print(json.dumps(sorted("
                           "sys.modules)))"], capture_output=True, text=True, check=True,
                          timeout=60)
    return set(json.loads(done.stdout.splitlines()[-1])) - {"json"}


def test_an_unchanged_ontology_is_replayed(mini_repo: Path) -> None:
    assert warm(mini_repo) == (0, [])
    forge(mini_repo)
    assert findings(mini_repo) == (1, [FORGED.render()])  # the replay is what prints
    assert uncached(mini_repo) == (0, [])  # --no-cache reads no remembered run


def test_a_replayed_run_imports_no_check_schema_or_parser(mini_repo: Path) -> None:
    warm(mini_repo)
    loaded = modules_after_validate(mini_repo) - modules_at_start()
    assert "ontology_tools.validation.replay" in loaded
    for heavy in ("ruamel", "jsonschema", "git", "semver", "ontology_tools.validation.checks",
                  "ontology_tools.validation.kpi_rules", "ontology_tools.validation.registry",
                  "ontology_tools.schemas", "ontology_tools.yamlio", "ontology_tools.classify",
                  "ontology_tools.project.baseline", "tempfile", "multiprocessing"):
        assert heavy not in loaded, heavy


def test_paths_filter_a_replayed_run(mini_repo: Path) -> None:
    broken = (mini_repo / ARR).read_text(encoding="utf-8").replace("defaultLabel: ARR",
                                                                    'defaultLabel: ""')
    (mini_repo / ARR).write_text(broken, encoding="utf-8")
    code, lines = warm(mini_repo)
    assert code == 1 and lines
    other, arr = (str(mini_repo / rel) for rel in ("ontology/customers/total_customers.yaml", ARR))
    assert findings(mini_repo, other) == (0, []) == uncached(mini_repo, other)
    assert findings(mini_repo, arr) == (code, lines) == uncached(mini_repo, arr)


@pytest.mark.parametrize("rel, before, old, new", [
    (NOTE, note("sales.arr"), "sales.arr", "sales.arx"),
    (DISPUTE, DISPUTE_TEXT, "sales.arr", "sales.arx"),
    ("ontology/ontology.yaml", None, "name: Mini Ontology", "name: [1, 2, 3, 45]"),
    (ARR, None, "defaultLabel: ARR", "defaultLabel: 123"),
], ids=["note", "dispute", "ontology.yaml", "kpi"])
def test_an_edit_of_the_same_size_and_mtime_is_found(mini_repo: Path, rel: str,
                                                     before: str | None, old: str,
                                                     new: str) -> None:
    path = mini_repo / rel
    if before is None:
        before = path.read_text(encoding="utf-8")
    write(mini_repo, rel, before)
    good = warm(mini_repo)
    assert good == uncached(mini_repo)
    stamp = path.stat()
    after = before.replace(old, new, 1)
    assert len(after.encode()) == len(before.encode()) and after != before
    path.write_text(after, encoding="utf-8")
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert path.stat().st_size == stamp.st_size
    assert path.stat().st_mtime_ns == stamp.st_mtime_ns
    broken = findings(mini_repo)
    assert broken != good and broken[0] == 1, broken
    assert broken == uncached(mini_repo)
    path.write_text(before, encoding="utf-8")
    assert findings(mini_repo) == good


def test_a_file_replaced_by_a_link_is_found(mini_repo: Path) -> None:
    assert warm(mini_repo) == (0, [])
    target = mini_repo / "arr-copy.yaml"
    shutil.copy(mini_repo / ARR, target)
    (mini_repo / ARR).unlink()
    (mini_repo / ARR).symlink_to(target)
    code, lines = findings(mini_repo)
    assert code == 1 and any("path-symlink" in line for line in lines), lines
    assert (code, lines) == uncached(mini_repo)


def test_a_link_whose_target_goes_is_found(mini_repo: Path) -> None:
    target = write(mini_repo, "notes-elsewhere/n.yaml", note("sales.arr"))
    (mini_repo / "changelog" / "unreleased").mkdir(parents=True)
    (mini_repo / NOTE).symlink_to(target)
    code, lines = warm(mini_repo)
    assert code == 1 and any("path-symlink" in line for line in lines), lines
    target.unlink()  # the link dangles: another finding, though no listed entry changed name
    dangling = findings(mini_repo)
    assert dangling != (code, lines) and any("path-not-a-file" in line for line in dangling[1])
    assert dangling == uncached(mini_repo)


def test_a_new_note_and_a_new_folder_are_found(mini_repo: Path) -> None:
    assert warm(mini_repo) == (0, [])
    write(mini_repo, NOTE, note("sales.nope"))
    first = findings(mini_repo)
    assert first[0] == 1 and first == uncached(mini_repo)
    (mini_repo / "ontology" / "sales" / "deep.yaml").mkdir()
    second = findings(mini_repo)
    assert second != first and any("path-not-a-file" in line for line in second[1])
    assert second == uncached(mini_repo)


def test_a_commit_or_a_tag_is_a_new_fingerprint(mini_repo: Path) -> None:
    warm(mini_repo)
    before = replay.fingerprint(mini_repo)
    forge(mini_repo)
    git(mini_repo, "tag", "-a", "just-a-tag", "-m", "not a release")
    assert replay.fingerprint(mini_repo) != before
    assert findings(mini_repo) == (0, []) == uncached(mini_repo)  # the forged run is not used
    forge(mini_repo)
    (mini_repo / "README.md").write_text("outside the watched folders\n", encoding="utf-8")
    assert findings(mini_repo)[1] == [FORGED.render()]  # an unwatched file changes nothing
    git(mini_repo, "add", "-A")
    git(mini_repo, "commit", "-q", "-m", "A commit moves HEAD")
    assert findings(mini_repo) == (0, [])


@pytest.mark.parametrize("damage", [
    lambda blob: blob[: len(blob) // 2],
    lambda blob: blob[:-1] + bytes([blob[-1] ^ 1]),
    lambda blob: b"",
    lambda blob: b"ONTR0001" + b"\0" * 40,
    lambda blob: seal(replay.FORMAT, b"\x00not marshal"),
    lambda blob: seal(replay.FORMAT, marshal.dumps(
        {"files": 1, "findings": [(ARR, 1, 1, "fatal", "layout", "x")]})),
    lambda blob: seal(replay.FORMAT, marshal.dumps([1, 2])),
], ids=["truncated", "bit-flip", "empty", "bad-digest", "not-marshal", "bad-severity",
        "wrong-shape"])
def test_a_damaged_run_file_is_ignored_and_rebuilt(mini_repo: Path, damage: object) -> None:
    warm(mini_repo)
    (path,) = run_files(mini_repo)
    assert callable(damage)
    path.write_bytes(damage(path.read_bytes()))
    assert replay.recall(mini_repo, path.name.removeprefix(replay.RUN_PREFIX)) is None
    assert findings(mini_repo) == (0, [])
    assert replay.recall(mini_repo, path.name.removeprefix(replay.RUN_PREFIX)) == Report((), 8)


def test_a_run_of_another_code_version_is_not_used(mini_repo: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    warm(mini_repo)
    current = replay.fingerprint(mini_repo)
    monkeypatch.setattr(replay, "__version__", "0.0.0-other")
    other = replay.fingerprint(mini_repo)
    assert other is not None and other != current
    replay.remember(mini_repo, other, Report((FORGED,), 1))
    monkeypatch.undo()
    assert findings(mini_repo) == (0, [])


def test_an_edit_of_the_code_is_a_new_fingerprint(mini_repo: Path, tmp_path: Path) -> None:
    package = tmp_path / "package"
    shutil.copytree(replay.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    before = replay.fingerprint(mini_repo, package)
    module = package / "validation" / "kpi_rules.py"
    stamp = module.stat()
    module.write_bytes(module.read_bytes() + b"#")
    assert replay.fingerprint(mini_repo, package) != before
    module.write_bytes(module.read_bytes()[:-1])  # the same bytes, size and mtime again
    os.utime(module, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert replay.fingerprint(mini_repo, package) != before  # ctime moved: still a new one


def test_outside_git_nothing_is_replayed(mini: Path) -> None:
    assert replay.fingerprint(mini) is None
    assert findings(mini) == (0, [])
    assert run_files(mini) == []


def test_no_cache_neither_reads_nor_writes_a_run(mini_repo: Path) -> None:
    assert uncached(mini_repo) == (0, [])
    assert run_files(mini_repo) == []


def test_a_run_during_which_a_file_changed_is_not_remembered(
        mini_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An editor saves while validate reads: the findings belong to no fingerprint, so none may
    carry them — after the edit is put back, the next run must not replay the edited file's."""
    from ontology_tools import validation

    good = (mini_repo / ARR).read_text(encoding="utf-8")
    broken = good.replace("defaultLabel: ARR", "defaultLabel: 5")
    assert broken != good
    (mini_repo / ARR).write_text(broken, encoding="utf-8")
    expected = uncached(mini_repo)
    assert expected[0] == 1
    real = validation.validate

    def saved_during_the_run(*args: object, **kwargs: object) -> Report:
        (mini_repo / ARR).write_text(good, encoding="utf-8")  # read as good by this run
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(validation, "validate", saved_during_the_run)
    assert findings(mini_repo)[0] == 0  # this run saw the good file...
    monkeypatch.undo()
    assert run_files(mini_repo) == []  # ...and, the file having changed under it, kept nothing
    (mini_repo / ARR).write_text(broken, encoding="utf-8")  # the broken bytes are back
    assert findings(mini_repo) == expected


def test_an_upgraded_library_is_a_new_fingerprint(mini_repo: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Findings quote jsonschema's and libyaml's messages: a new version may word them anew."""
    before = replay.fingerprint(mini_repo)
    real = replay._library_file
    monkeypatch.setattr(replay, "_library_file",
                        lambda name: [*real(name), "upgraded"] if name == "jsonschema"
                        else real(name))
    assert replay.fingerprint(mini_repo) != before


@pytest.mark.parametrize("target", ["outside", "changelog/disputes"])
def test_a_cache_folder_that_is_a_link_is_neither_read_nor_written(
        mini_repo: Path, tmp_path: Path, target: str) -> None:
    """A link could carry the cache outside the repository, or into the sources (where its
    files would be stray disputes and its `.gitignore` would hide new ones)."""
    where = tmp_path / "elsewhere" if target == "outside" else mini_repo / target
    where.mkdir(parents=True, exist_ok=True)
    before = sorted(p.name for p in where.iterdir())
    os.symlink(where, mini_repo / CACHE_DIR)
    for _ in range(2):
        assert findings(mini_repo) == uncached(mini_repo)
    assert sorted(p.name for p in where.iterdir()) == before
