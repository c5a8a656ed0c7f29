"""Snapshots keyed by the rogueId a file carries, note names, stray notes, one parse for all
the positions of a file."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from ontology_tools import layout, snapshots, yamlio
from ontology_tools.gitrepo import GitRepo
from tests.conftest import git, run_cli

ARR = "ontology/sales/arr.yaml"
MOVED = "ontology/sales/win rate.yaml"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _move_arr(root: Path) -> None:
    (root / ARR).rename(root / MOVED)


def test_worktree_keys_a_renamed_file_by_its_rogue_id(mini_repo: Path) -> None:
    _move_arr(mini_repo)
    snapshot = snapshots.worktree(mini_repo)
    assert "sales.arr" in snapshot.sources and "sales.win rate" not in snapshot.sources
    assert snapshot.sources["sales.arr"].path == MOVED


def test_diff_does_not_invent_an_id_from_a_file_name(mini_repo: Path) -> None:
    _move_arr(mini_repo)
    result = run_cli(mini_repo, "diff", "--from", "HEAD", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "win rate" not in result.stdout
    assert json.loads(result.stdout)["kpis"] == []  # same bytes, same KPI: no change
    validate = run_cli(mini_repo, "validate")
    assert validate.exit_code == 1
    assert f"{MOVED}:3:9: error path-mismatch " in validate.stdout  # the path rule stays


def test_git_ref_keys_a_renamed_file_by_its_rogue_id(mini_repo: Path) -> None:
    _move_arr(mini_repo)
    text = (mini_repo / MOVED).read_text(encoding="utf-8")
    (mini_repo / MOVED).write_text(text.replace("defaultLabel: ARR", "defaultLabel: Arr"),
                                   encoding="utf-8")
    git(mini_repo, "add", "-A")
    git(mini_repo, "commit", "-qm", "rename the file, edit the label")
    repo = GitRepo.open(mini_repo)
    assert repo is not None
    snapshot = snapshots.at_ref(repo, "HEAD")
    assert snapshot.sources["sales.arr"].path == MOVED
    result = run_cli(mini_repo, "diff", "--from", "HEAD~1", "--to", "HEAD", "--format", "json")
    kpis = json.loads(result.stdout)["kpis"]
    assert [(k["rogueId"], k["status"]) for k in kpis] == [("sales.arr", "changed")]
    assert [c["rule"] for c in kpis[0]["changes"]] == ["label-changed"]


def test_bundle_keys_its_files_by_rogue_id(tmp_path: Path) -> None:
    folder = tmp_path / "ontology-1.0.0"
    (folder / "kpis" / "sales").mkdir(parents=True)
    (folder / "manifest.json").write_text('{"name": "x", "version": "1.0.0"}', encoding="utf-8")
    document = {"version": "1.0.0", "releasedAt": "2026-05-20",
                "kpi": {"rogueId": "sales.win_rate", "defaultLabel": "Win rate"}}
    (folder / "kpis" / "sales" / "win rate.json").write_text(json.dumps(document),
                                                             encoding="utf-8")
    snapshot = snapshots.bundle(folder)
    assert list(snapshot.sources) == ["sales.win_rate"]
    assert snapshot.document("sales.win_rate").content["defaultLabel"] == "Win rate"


def test_two_files_with_one_id_are_refused_naming_both(mini_repo: Path) -> None:
    shutil.copyfile(mini_repo / ARR, mini_repo / "ontology/sales/arr_copy.yaml")
    result = run_cli(mini_repo, "diff", "--from", "HEAD")
    assert result.exit_code == 1
    assert "ontology/sales/arr.yaml and ontology/sales/arr_copy.yaml both carry rogueId " \
        "'sales.arr'" in result.stderr


@pytest.mark.parametrize("layout_text", [
    "kpi:\n  rogueId: sales.arr\n  slug: arr\n",  # canonical: read without parsing
    "kpi:  # the KPI\n  rogueId: sales.arr  # its id\n",
    "kpi:\n  slug: arr\n  rogueId: sales.arr\n",  # another order: parsed
    '{"kpi": {"slug": "arr", "rogueId": "sales.arr"}}',  # JSON
    "kpi: {rogueId: 'sales.arr'}\n",  # flow, quoted
    "kpi:\r\n  rogueId: sales.arr\r\n",
])
def test_carried_id_reads_any_layout(layout_text: str) -> None:
    assert snapshots.carried_id(layout_text.encode()) == "sales.arr"


@pytest.mark.parametrize("text", [
    "kpi:\n  rogueId: sales.arr#x\n",  # `#` without a space is part of the scalar
    "description: |\n  kpi:\n    rogueId: sales.arr\n",  # inside a block scalar
    "kpi:\n  - rogueId: sales.arr\n",
    "kpi: [\n",  # broken
    "kpi:\n  rogueId: 12\n",
])
def test_carried_id_is_not_fooled(text: str) -> None:
    assert snapshots.carried_id(text.encode()) != "sales.arr"


def test_unchanged_files_are_never_parsed(mini_repo: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    """Equal blobs on both sides: neither a full parse for the id nor a parse for the diff."""
    text = (mini_repo / ARR).read_text(encoding="utf-8")
    (mini_repo / ARR).write_text(text.replace("defaultLabel: ARR", "defaultLabel: Arr"),
                                 encoding="utf-8")
    parsed: list[int] = []
    real = yamlio.load_fast

    def counting(data: bytes) -> object:
        parsed.append(len(data))
        return real(data)

    monkeypatch.setattr(yamlio, "load_fast", counting)
    result = run_cli(mini_repo, "diff", "--from", "HEAD", "--format", "json")
    assert [k["rogueId"] for k in json.loads(result.stdout)["kpis"]] == ["sales.arr"]
    arr_sizes = {len((mini_repo / ARR).read_bytes()), len((mini_repo / ARR).read_bytes()) + 1}
    config_size = len((mini_repo / "ontology/ontology.yaml").read_bytes())
    other_kpis = {len(p.read_bytes()) for p in (mini_repo / "ontology").glob("*/*.yaml")
                  if p.name != "arr.yaml"}
    assert not other_kpis & (arr_sizes | {config_size}), "sizes must tell the files apart"
    assert set(parsed) <= arr_sizes | {config_size}, parsed  # no other KPI file was parsed
    assert len([size for size in parsed if size in arr_sizes]) == 2  # old and new, once each


# --- notes ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["../../../x", "sub/dir", "..", "a\\b", "x.yaml", ".hidden",
                                  "", "a" * 101, "with space"])
def test_note_name_must_be_a_plain_stem(mini_repo: Path, name: str) -> None:
    before = sorted(p.as_posix() for p in mini_repo.parent.rglob("*"))
    result = run_cli(mini_repo, "note", "--kpi", "sales.arr", "-m", "A change.", "--name", name)
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output
    assert sorted(p.as_posix() for p in mini_repo.parent.rglob("*")) == before


def test_a_plain_note_name_is_written_where_notes_are_read(mini_repo: Path) -> None:
    result = run_cli(mini_repo, "note", "--kpi", "sales.arr", "-m", "A change.", "--name",
                     "arr-2026.05_wording")
    assert result.exit_code == 0, result.output
    assert (mini_repo / "changelog/unreleased/arr-2026.05_wording.yaml").is_file()
    assert [note.file for note in snapshots.worktree(mini_repo).notes] == [
        "changelog/unreleased/arr-2026.05_wording.yaml"]


def test_note_path_refuses_what_the_cli_refuses(tmp_path: Path) -> None:
    assert layout.note_path(tmp_path, "ok").name == "ok.yaml"
    for name in ("../x", "a/b"):
        with pytest.raises(layout.OntologyError):
            layout.note_path(tmp_path, name)


def stray_entries(root: Path, folder: str, files: dict[str, str]) -> tuple[list[str], str]:
    """Write `files` (name → text; a name ending in / is a folder) into `folder`, validate, and
    return (`path rule` of each finding, sorted; the output)."""
    where = root / folder
    where.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        if name.endswith("/"):
            (where / name).mkdir()
        else:
            (where / name).write_text(text, encoding="utf-8")
    result = run_cli(root, "validate")
    assert result.exit_code == 1
    found = sorted(" ".join(line.split(" ", 3)[:3]) for line in result.stdout.splitlines() if line)
    return found, result.stdout


def test_every_stray_entry_of_the_notes_folder_is_a_finding(mini_repo: Path) -> None:
    found, output = stray_entries(mini_repo, "changelog/unreleased", {
        "sub/": "", "README.md": "Notes go here.\n", ".gitkeep": "",
        "arr.yml": "kpis: [sales.arr]\nsummary: A change.\n"})
    assert found == ["changelog/unreleased/README.md:1:1: error note-stray-file",
                     "changelog/unreleased/arr.yml:1:1: error note-stray-file",
                     "changelog/unreleased/sub:1:1: error note-stray-file"]
    assert "rename it to arr.yaml" in output


def test_every_stray_file_of_the_disputes_folder_is_a_finding_and_read_by_no_one(
        mini_repo: Path) -> None:
    dispute = (FIXTURES / "invalid" / "dispute-yml-suffix" / "changelog" / "disputes"
               / "D-2026-001.yml").read_text(encoding="utf-8")
    copies = {name: dispute.replace("D-2026-001", f"D-2026-{number}")
              for name, number in (("copy.yaml", "050"), (".hidden.yaml", "051"),
                                   ("d-2026-052.yaml", "052"), ("D-2026-7.yaml", "053"))}
    found, output = stray_entries(mini_repo, "changelog/disputes", {
        "README.md": "Disputes go here.\n", "D-2026-001.yml": dispute, ".gitkeep": "",
        **copies})
    assert found == sorted(f"changelog/disputes/{name}:1:1: error dispute-stray-file"
                           for name in ("D-2026-001.yml", "README.md", *copies))
    assert "rename it to D-2026-001.yaml" in output
    listed = run_cli(mini_repo, "dispute", "list")  # the other commands pass them by
    assert listed.exit_code == 0, listed.output
    assert not any(f"D-2026-{n}" in listed.stdout for n in ("001", "050", "051", "052", "053"))


# --- positions -----------------------------------------------------------------------------------

def test_all_findings_of_a_file_come_from_one_parse(mini_repo: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    text = (mini_repo / ARR).read_text(encoding="utf-8")
    owners = "".join(f"    - Nobody{i}\n" for i in range(300))
    (mini_repo / ARR).write_text(text.replace("  defaultOwningFunctions: [Finance]\n",
                                              "  defaultOwningFunctions:\n" + owners),
                                 encoding="utf-8")
    built: list[int] = []
    real = yamlio.Positions.__init__

    def counting(self: yamlio.Positions, text: str) -> None:
        built.append(len(text))
        real(self, text)

    monkeypatch.setattr(yamlio.Positions, "__init__", counting)
    result = run_cli(mini_repo, "validate", "--no-cache")
    assert result.stdout.count(" unknown-vocabulary ") == 300
    assert len(built) == 1
    lines = [int(line.split(":")[1]) for line in result.stdout.splitlines() if "Nobody" in line]
    assert lines == list(range(13, 313))


def test_positions_survive_a_parse_that_fails_part_way() -> None:
    positions = yamlio.Positions("kpi:\n  slug: arr\n  label: [a, b\n")
    assert positions.locate(("kpi", "slug")) == (2, 9)
    assert positions.locate(("kpi", "missing")) == (1, 1)


def test_validate_of_a_folder_reports_what_is_wrong_with_its_entries_not_only_its_yaml(
        mini_repo: Path) -> None:
    """`validate PATH` filters the report by path: a folder's stray files and links are in it."""
    notes = mini_repo / "changelog" / "unreleased"
    notes.mkdir(parents=True)
    (notes / "notes.txt").write_text("x\n", encoding="utf-8")
    shutil.move(mini_repo / "ontology" / "customers", mini_repo / "customers_here")
    os.symlink("../customers_here", mini_repo / "ontology" / "customers")
    for given, found in (("changelog/unreleased", "changelog/unreleased/notes.txt:1:1: error "
                          "note-stray-file"), ("changelog", "changelog/unreleased/notes.txt"),
                         ("ontology/customers", "ontology/customers:1:1: error path-symlink"),
                         ("ontology", "ontology/customers:1:1: error path-symlink")):
        result = run_cli(mini_repo, "validate", str(mini_repo / given))
        assert result.exit_code == 1 and found in result.stdout, (given, result.output)
    result = run_cli(mini_repo, "validate", str(mini_repo / ARR))  # a file: its findings only
    assert all(line.startswith(f"{ARR}:") for line in result.stdout.splitlines()), result.output
