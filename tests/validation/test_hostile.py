"""Hostile and unusual input: every command gives a located finding, a clean refusal or a
clean success — never "internal error", never a traceback, never a byte of a file outside the
repository.

tests/fixtures/hostile/ holds files laid over ontology/sales/arr.yaml of the mini ontology
(cases.yaml says what validate must report for each); links, folders and special files are
made by the tests at run time, pointing at a secret file outside the repository.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from ontology_tools import yamlio
from tests.conftest import FIXTURES, git, run_cli

HOSTILE = FIXTURES / "hostile"
CASES = yamlio.load_fast((HOSTILE / "cases.yaml").read_bytes())
ARR = "ontology/sales/arr.yaml"
SECRET = "TOP-SECRET-3f9c: root:x:0:0:root:/root:/bin/bash"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the repository whose bytes must never show up in any output."""
    outside = tmp_path / "outside"
    outside.mkdir()
    path = outside / "passwd"
    path.write_text(SECRET + "\nkpi:\n  rogueId: sales.stolen\n", encoding="utf-8")
    return path


def assert_clean(output: str, exit_code: int, allowed: tuple[int, ...] = (0, 1)) -> None:
    """No crash, no traceback, an exit code of the SPEC, no byte of the secret."""
    assert exit_code in allowed, output
    assert "internal error" not in output
    assert "Traceback" not in output
    assert "TOP-SECRET" not in output and "root:x:0:0" not in output
    assert "sales.stolen" not in output


def run(root: Path, *args: str) -> tuple[str, int]:
    """Run a command; stdout and stderr together, and the exit code."""
    result = run_cli(root, *args)
    return result.stdout + result.stderr, result.exit_code


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_validates_to_a_located_finding(mini_repo: Path, name: str) -> None:
    expected = CASES[name]
    shutil.copyfile(HOSTILE / name, mini_repo / ARR)
    output, code = run(mini_repo, "validate")
    assert_clean(output, code)
    if expected.get("valid"):
        assert code == 0, output
        return
    assert code == 1
    where = f"{ARR}:{expected['line']}:{expected['col']}: error {expected['rule']} "
    assert where in output, output
    if "count" in expected:
        assert output.count(f" {expected['rule']} ") == expected["count"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_diffs_cleanly(mini_repo: Path, name: str) -> None:
    expected = CASES[name]
    shutil.copyfile(HOSTILE / name, mini_repo / ARR)
    for args in (("diff", "--from", "HEAD"), ("diff", "--from", "HEAD", "--format", "json"),
                 ("plan",)):
        output, code = run(mini_repo, *args)
        assert_clean(output, code)
        if expected.get("valid"):
            assert code == 0, output
        elif code == 1 and expected["rule"].startswith("yaml-"):
            # a refusal names the file and the finding's place, and points at validate
            assert f"{ARR}:{expected['line']}:{expected['col']}: " in output, output
            assert "ontology validate" in output


def test_hostile_file_committed_diffs_cleanly_between_refs(mini_repo: Path) -> None:
    """The same files read from git objects (`--from REF --to REF`) fail just as cleanly."""
    for name in sorted(CASES):
        shutil.copyfile(HOSTILE / name, mini_repo / ARR)
        git(mini_repo, "commit", "-qam", f"hostile {name}")
        output, code = run(mini_repo, "diff", "--from", "HEAD~1", "--to", "HEAD")
        assert_clean(output, code)
        git(mini_repo, "reset", "-q", "--hard", "HEAD~1")


def test_valid_json_and_flow_style_files_are_the_same_kpi(mini_repo: Path) -> None:
    """A KPI rewritten in JSON or flow style is no change at all: same data, same id."""
    for name in ("json-style.yaml", "json-one-line.yaml", "flow-style.yaml", "bom.yaml",
                 "crlf-and-bom.yaml", "lone-cr.yaml"):
        shutil.copyfile(HOSTILE / name, mini_repo / ARR)
        output, code = run(mini_repo, "diff", "--from", "HEAD")
        assert code == 0 and "no changes" in output, (name, output)


# --- links, folders and special files, made at run time ----------------------------------------

def _link_outside(root: Path, secret: Path) -> str:
    os.symlink(secret, root / "ontology" / "sales" / "stolen.yaml")
    return "ontology/sales/stolen.yaml:1:1: error path-outside-repository "


def _relative_link_outside(root: Path, secret: Path) -> str:
    target = os.path.relpath(secret, root / "ontology" / "sales")
    os.symlink(target, root / "ontology" / "sales" / "stolen.yaml")
    return "ontology/sales/stolen.yaml:1:1: error path-outside-repository "


def _kpi_replaced_by_link_outside(root: Path, secret: Path) -> str:
    (root / ARR).unlink()
    os.symlink(secret, root / ARR)
    return f"{ARR}:1:1: error path-outside-repository "


def _folder_link_outside(root: Path, secret: Path) -> str:
    os.symlink(secret.parent, root / "ontology" / "stolen")
    (secret.parent / "x.yaml").write_text(SECRET + "\n", encoding="utf-8")
    return "ontology/stolen:1:1: error path-outside-repository "


def _link_inside(root: Path, secret: Path) -> str:
    os.symlink("arr.yaml", root / "ontology" / "sales" / "arr_copy.yaml")
    return "ontology/sales/arr_copy.yaml:1:1: error path-symlink "


def _domain_folder_link_inside(root: Path, secret: Path) -> str:
    """Its KPIs would vanish from plans, docs and show were the link passed by."""
    shutil.move(root / "ontology" / "customers", root / "customers_here")
    os.symlink("../customers_here", root / "ontology" / "customers")
    return "ontology/customers:1:1: error path-symlink "


def _dangling_link(root: Path, secret: Path) -> str:
    os.symlink("nowhere.yaml", root / "ontology" / "sales" / "gone.yaml")
    return "ontology/sales/gone.yaml:1:1: error path-not-a-file "


def _folder_named_yaml(root: Path, secret: Path) -> str:
    (root / "ontology" / "sales" / "pipeline.yaml").mkdir()
    return "ontology/sales/pipeline.yaml:1:1: error path-not-a-file "


def _fifo(root: Path, secret: Path) -> str:
    os.mkfifo(root / "ontology" / "sales" / "pipe.yaml")
    return "ontology/sales/pipe.yaml:1:1: error path-not-a-file "


def _note_link_outside(root: Path, secret: Path) -> str:
    notes = root / "changelog" / "unreleased"
    notes.mkdir(parents=True)
    os.symlink(secret, notes / "leak.yaml")
    return "changelog/unreleased/leak.yaml:1:1: error path-outside-repository "


def _notes_folder_link_outside(root: Path, secret: Path) -> str:
    (root / "changelog").mkdir()
    os.symlink(secret.parent, root / "changelog" / "unreleased")
    (secret.parent / "leak.yaml").write_text("kpis: [sales.arr]\nsummary: " + SECRET + "\n",
                                             encoding="utf-8")
    return "changelog/unreleased:1:1: error path-outside-repository "


def _changelog_link_outside(root: Path, secret: Path) -> str:
    (root / "changelog").mkdir()
    os.symlink(secret, root / "changelog" / "CHANGELOG.md")
    return "changelog/CHANGELOG.md:1:1: error path-outside-repository "


DISPUTE = """id: D-2026-001
kpis: [sales.arr]
raisedAt: 2026-05-01
raisedBy: Audit committee
claim: {claim}
status: open
"""


def _dispute_link_outside(root: Path, secret: Path) -> str:
    disputes = root / "changelog" / "disputes"
    disputes.mkdir(parents=True)
    outside = secret.parent / "D-2026-009.yaml"  # a dispute, were it read
    outside.write_text(DISPUTE.format(claim=SECRET), encoding="utf-8")
    os.symlink(outside, disputes / "D-2026-001.yaml")
    return "changelog/disputes/D-2026-001.yaml:1:1: error path-outside-repository "


def _disputes_folder_link_outside(root: Path, secret: Path) -> str:
    (root / "changelog").mkdir()
    os.symlink(secret.parent, root / "changelog" / "disputes")
    (secret.parent / "D-2026-001.yaml").write_text(DISPUTE.format(claim=SECRET),
                                                   encoding="utf-8")
    return "changelog/disputes:1:1: error path-outside-repository "


def _dispute_link_inside(root: Path, secret: Path) -> str:
    disputes = root / "changelog" / "disputes"
    disputes.mkdir(parents=True)
    (disputes / "D-2026-001.yaml").write_text(DISPUTE.format(claim="Not reconciled."),
                                              encoding="utf-8")
    os.symlink("D-2026-001.yaml", disputes / "D-2026-002.yaml")
    return "changelog/disputes/D-2026-002.yaml:1:1: error path-symlink "


def _dispute_folder(root: Path, secret: Path) -> str:
    (root / "changelog" / "disputes" / "D-2026-001.yaml").mkdir(parents=True)
    return "changelog/disputes/D-2026-001.yaml:1:1: error path-not-a-file a folder; "


Maker = Callable[[Path, Path], str]


def _folder_link_to_nothing(folder: str) -> Maker:
    """The notes or disputes folder as a link that leads nowhere (not "no folder")."""
    def make(root: Path, secret: Path) -> str:
        (root / "changelog").mkdir(exist_ok=True)
        os.symlink("nowhere", root / folder)
        return f"{folder}:1:1: error path-not-a-file "
    return make


def _folder_is_a_file(folder: str, text: str) -> Maker:
    """A file saved where the notes or disputes folder belongs."""
    def make(root: Path, secret: Path) -> str:
        (root / "changelog").mkdir(exist_ok=True)
        (root / folder).write_text(text, encoding="utf-8")
        return f"{folder}:1:1: error path-not-a-folder "
    return make
ENTRIES: dict[str, Maker] = {
    "link-outside": _link_outside, "relative-link-outside": _relative_link_outside,
    "kpi-replaced-by-link-outside": _kpi_replaced_by_link_outside,
    "folder-link-outside": _folder_link_outside, "link-inside": _link_inside,
    "domain-folder-link-inside": _domain_folder_link_inside,
    "dangling-link": _dangling_link, "folder-named-yaml": _folder_named_yaml, "fifo": _fifo,
    "note-link-outside": _note_link_outside,
    "notes-folder-link-outside": _notes_folder_link_outside,
    "notes-folder-link-to-nothing": _folder_link_to_nothing("changelog/unreleased"),
    "notes-folder-is-a-file": _folder_is_a_file("changelog/unreleased",
                                                "kpis: [sales.arr]\nsummary: x\n"),
    "changelog-link-outside": _changelog_link_outside,
    "dispute-link-outside": _dispute_link_outside,
    "disputes-folder-link-outside": _disputes_folder_link_outside,
    "disputes-folder-link-to-nothing": _folder_link_to_nothing("changelog/disputes"),
    "disputes-folder-is-a-file": _folder_is_a_file(
        "changelog/disputes", DISPUTE.format(claim="Saved as the folder.")),
    "dispute-link-inside": _dispute_link_inside, "dispute-folder": _dispute_folder,
}
# what the commands other than validate read: the KPI files, the notes, CHANGELOG.md, the
# dispute files
COMMANDS = (("diff",), ("diff", "--from", "HEAD"), ("plan",), ("plan", "--format", "json"),
            ("docs",), ("fmt", "--check"), ("fmt",), ("check",),
            ("release", "--dry-run", "--allow-dirty", "--date", "2026-05-20"),
            ("release", "--allow-dirty", "--date", "2026-05-20"),
            ("note", "--kpi", "sales.arr", "-m", "A change."),
            ("dispute", "list"), ("dispute", "list", "--format", "json"),
            ("dispute", "show", "D-2026-001"),
            ("dispute", "open", "sales.arr", "--claim", "Wrong.", "--by", "A reader",
             "--date", "2026-05-02"),
            ("dispute", "resolve", "D-2026-001", "--rejected", "--summary", "No.",
             "--date", "2026-05-03"),
            ("history", "sales.arr"))
# the commands that read disputes refuse a link or a folder among them, naming it
READS_DISPUTES = ("docs", "check", "dispute")


def outside_files(secret: Path) -> dict[str, bytes]:
    """Every file in the folder outside the repository, with its bytes."""
    return {path.name: path.read_bytes() for path in sorted(secret.parent.iterdir())}


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_entry_is_a_finding_naming_it(mini_repo: Path, secret: Path, name: str) -> None:
    expected = ENTRIES[name](mini_repo, secret)
    output, code = run(mini_repo, "validate")
    assert_clean(output, code)
    assert code == 1
    assert expected in output, output
    output, code = run(mini_repo, "validate", "--format", "json")
    assert_clean(output, code)


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_other_commands_refuse_or_skip_without_reading_it(mini_repo: Path, secret: Path,
                                                          name: str) -> None:
    expected = ENTRIES[name](mini_repo, secret)
    entry = expected.split(":", 1)[0]
    before = outside_files(secret)
    for args in COMMANDS:
        output, code = run(mini_repo, *args)
        # with no dispute D-2026-001 to read, showing or resolving it is a usage error
        assert_clean(output, code, (0, 1, 2) if args[1:2] in (("show",), ("resolve",)) else (0, 1))
        if code == 1 and args[0] in ("diff", "plan", "docs", "note", "dispute"):
            assert entry in output, (args, output)
        if name.startswith("dispute") and args[0] in READS_DISPUTES:
            assert code == 1 and entry in output, (args, output)
    assert not list(mini_repo.glob("dist/ontology-*")), "a release went ahead"
    assert secret.read_text(encoding="utf-8").startswith(SECRET), "the outside file changed"
    if name == "link-inside":
        assert (mini_repo / "ontology/sales/arr_copy.yaml").is_symlink(), "fmt replaced the link"
    assert outside_files(secret) == before, "a file outside the repository was written"


def test_a_kpi_committed_as_a_link_is_refused_at_the_ref(mini_repo: Path, secret: Path) -> None:
    """git stores a link as its target's name; read as a KPI it would be nonsense."""
    os.symlink("arr.yaml", mini_repo / "ontology" / "sales" / "arr_copy.yaml")
    git(mini_repo, "add", "-A")
    git(mini_repo, "commit", "-qm", "a KPI as a link")
    output, code = run(mini_repo, "diff", "--from", "HEAD~1", "--to", "HEAD")
    assert_clean(output, code)
    assert code == 1 and "ontology/sales/arr_copy.yaml at HEAD: a symbolic link" in output
    output, code = run(mini_repo, "release", "--date", "2026-05-20", "--commit")
    assert code == 1 and "path-symlink" in output, output
    assert (mini_repo / "ontology/sales/arr_copy.yaml").is_symlink()


def test_a_linked_domain_folder_is_refused_not_passed_by(mini_repo: Path, secret: Path) -> None:
    """Passed by, its KPIs would read as removed: a plan proposing a major release."""
    expected = _domain_folder_link_inside(mini_repo, secret)
    for args in (("plan",), ("diff", "--from", "HEAD"), ("docs",), ("check",),
                 ("show", "customers.total_customers", "--at", "WORKTREE")):
        output, code = run(mini_repo, *args)
        assert code == 1 and "ontology/customers" in output and "a symbolic link" in output, \
            (args, output)
    output, code = run(mini_repo, "validate")
    assert code == 1 and expected in output
