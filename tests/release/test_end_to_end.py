"""A first release, then a formula change and a tier promotion: stamps, changelog, bundle, git."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import keepachangelog

from ontology_tools import yamlio
from ontology_tools.schemas import schema_errors
from tests.conftest import git, run_cli
from tests.release import scenario
from tests.release.scenario import ARR, CHURN, FORMULA_NOTE, SECOND_DATE, TIER_NOTE


def test_first_release_stamps_everything_as_1_0_0(mini_repo: Path) -> None:
    before = scenario.tree_bytes(mini_repo)
    scenario.first_release(mini_repo)
    for rel in before:
        if rel.startswith("ontology/") and rel != "ontology/ontology.yaml":
            text = (mini_repo / rel).read_text(encoding="utf-8")
            assert text == "version: 1.0.0\nreleasedAt: 2026-05-20\n" + before[rel].decode()
    config = (mini_repo / "ontology/ontology.yaml").read_text(encoding="utf-8")
    assert "version: 1.0.0\nreleasedAt: 2026-05-20\n" in config
    assert config.startswith("# The board-KPI ontology")
    assert git(mini_repo, "tag", "-l") == "v1.0.0"
    assert run_cli(mini_repo, "validate").exit_code == 0


def test_second_release(mini_repo: Path) -> None:
    scenario.second_release_ready(mini_repo)
    untouched = {rel: data for rel, data in scenario.tree_bytes(mini_repo).items()
                 if rel.startswith("ontology/customers/") and rel != CHURN}
    result = run_cli(mini_repo, "release", "--date", SECOND_DATE, "--tag")
    assert result.exit_code == 0, result.output

    churn = (mini_repo / CHURN).read_text(encoding="utf-8")
    assert churn.startswith("# Churn definitions are owned by Finance.\n"
                            "version: 2.0.0\nreleasedAt: 2026-06-01\nkpi:\n")
    assert "  # Agreed with the board in May.\n  formula: >-\n" in churn
    arr = (mini_repo / ARR).read_text(encoding="utf-8")
    assert arr.startswith("version: 1.1.0\nreleasedAt: 2026-06-01\n")
    assert "    publicationDate: 2025-11-01\n" in arr
    config = yamlio.load_fast((mini_repo / "ontology/ontology.yaml").read_bytes())
    assert (config["version"], config["releasedAt"]) == ("2.0.0", "2026-06-01")
    for rel, data in untouched.items():
        assert (mini_repo / rel).read_bytes() == data, rel
    assert not (mini_repo / FORMULA_NOTE).exists()
    assert not (mini_repo / TIER_NOTE).exists()

    changelog = keepachangelog.to_dict((mini_repo / "changelog/CHANGELOG.md").read_text(
        encoding="utf-8").splitlines())
    assert list(changelog) == ["2.0.0", "1.0.0"]
    section = changelog["2.0.0"]
    assert section["metadata"]["release_date"] == "2026-06-01"
    # SPEC 8: only Keep a Changelog's types; a major change is Changed, with its level
    assert set(section) == {"metadata", "changed"}
    changed = "\n".join(section["changed"])
    assert "`customers.logo_churn_rate` (Logo Churn Rate): 1.0.0 → 2.0.0 (major)" in changed
    assert "formula changed (`formula-changed`, major)" in changed
    assert ("note: Count parent accounts only, as the board asked. (dispute D-2026-012)"
            in changed)
    assert "`sales.arr` (ARR): 1.0.0 → 1.1.0 (minor)" in changed
    assert "tier promoted from editorial to published" in changed
    assert "waived `source-changed` to none: The new citation is part of the promotion" in changed
    assert len(changelog["1.0.0"]["added"]) == 7

    plan = json.loads((mini_repo / "changelog/2.0.0.json").read_text(encoding="utf-8"))
    assert plan["releasedAt"] == "2026-06-01"
    assert plan["ontology"]["nextVersion"] == "2.0.0"
    assert not list(schema_errors("plan", {k: v for k, v in plan.items() if k != "releasedAt"}))

    message = git(mini_repo, "log", "-1", "--format=%B")
    assert message == "Release ontology 2.0.0\n\nOntology-Release: 2.0.0"
    committed = set(git(mini_repo, "show", "--name-only", "--format=", "HEAD").splitlines())
    assert committed == {CHURN, ARR, "ontology/ontology.yaml", "changelog/CHANGELOG.md",
                         "changelog/2.0.0.json", FORMULA_NOTE, TIER_NOTE}
    assert git(mini_repo, "cat-file", "-t", "v2.0.0") == "tag"
    tag_message = git(mini_repo, "tag", "-l", "--format=%(contents)", "v2.0.0")
    assert tag_message.startswith("## [2.0.0] - 2026-06-01\n\n### Changed\n\n- `customers.logo")
    assert git(mini_repo, "status", "--porcelain", "--", "ontology", "changelog") == ""
    assert run_cli(mini_repo, "validate").exit_code == 0


def test_bundle_contents_and_manifest(mini_repo: Path) -> None:
    scenario.second_release_ready(mini_repo)
    assert run_cli(mini_repo, "release", "--date", SECOND_DATE, "--commit").exit_code == 0
    folder = mini_repo / "dist/ontology-2.0.0"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert not list(schema_errors("manifest", manifest))
    assert manifest["sourceCommit"] == git(mini_repo, "rev-parse", "HEAD")
    assert (manifest["version"], manifest["previousVersion"]) == ("2.0.0", "1.0.0")
    listed = {entry["path"]: entry for entry in manifest["files"]}
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert on_disk == {*listed, "manifest.json"}
    for path, entry in listed.items():
        data = (folder / path).read_bytes()
        assert (len(data), scenario.sha256_bytes(data)) == (entry["size"], entry["sha256"])
    assert {"CHANGELOG.md", "ontology.json", "kpis/sales/arr.json", "docs/index.html"} <= on_disk
    assert {k["rogueId"]: k["version"] for k in manifest["kpis"]}["customers.logo_churn_rate"] \
        == "2.0.0"
    churn = json.loads((folder / "kpis/customers/logo_churn_rate.json").read_text("utf-8"))
    assert list(churn) == ["version", "releasedAt", "kpi"]
    assert (churn["version"], churn["releasedAt"]) == ("2.0.0", "2026-06-01")
    assert not list(schema_errors("kpi-release", churn))
    ontology = json.loads((folder / "ontology.json").read_text("utf-8"))
    assert (ontology["name"], ontology["version"]) == ("Mini Ontology", "2.0.0")
    assert len(ontology["kpis"]) == 7 and "domains" in ontology["vocabularies"]
    assert (folder / "CHANGELOG.md").read_bytes() == \
        (mini_repo / "changelog/CHANGELOG.md").read_bytes()

    with tarfile.open(mini_repo / "dist/ontology-2.0.0.tar.gz") as archive:
        members = archive.getmembers()
    names = [m.name for m in members]
    assert names == sorted(names) and names[0] == "ontology-2.0.0"
    assert {(m.uid, m.gid, m.uname, m.gname) for m in members} == {(0, 0, "", "")}
    assert {m.mtime for m in members} == {1780272000}  # 2026-06-01T00:00:00Z
    assert {m.mode for m in members if m.isdir()} == {0o755}
    assert {m.mode for m in members if m.isfile()} == {0o644}
    raw = (mini_repo / "dist/ontology-2.0.0.tar.gz").read_bytes()
    assert raw[4:8] == b"\0\0\0\0" and not raw[3] & 0x08  # gzip: no mtime, no file name


def test_verify_passes_then_names_the_changed_file(mini_repo: Path) -> None:
    scenario.first_release(mini_repo)
    folder = mini_repo / "dist/ontology-1.0.0"
    for bundle in (folder, mini_repo / "dist/ontology-1.0.0.tar.gz"):
        result = run_cli(mini_repo, "verify", str(bundle))
        assert result.exit_code == 0, result.output
    target = folder / "kpis/sales/arr.json"
    data = bytearray(target.read_bytes())
    data[10] ^= 1
    target.write_bytes(bytes(data))
    (folder / "stray.txt").write_text("x", encoding="utf-8")
    (folder / "CHANGELOG.md").unlink()
    result = run_cli(mini_repo, "verify", str(folder))
    assert result.exit_code == 1
    assert "kpis/sales/arr.json: sha256" in result.output
    assert "stray.txt: extra file" in result.output
    assert "CHANGELOG.md: missing" in result.output


def test_tarballs_of_the_same_sources_and_date_are_identical(mini_repo: Path) -> None:
    scenario.second_release_ready(mini_repo)
    snapshot = scenario.tree_bytes(mini_repo)
    first = run_cli(mini_repo, "release", "--date", SECOND_DATE, "--out", str(mini_repo / "a"))
    assert first.exit_code == 0, first.output
    for rel, data in snapshot.items():  # put the sources back, keep the first bundle
        (mini_repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (mini_repo / rel).write_bytes(data)
    (mini_repo / "changelog/2.0.0.json").unlink()
    second = run_cli(mini_repo, "release", "--date", SECOND_DATE, "--out", str(mini_repo / "b"))
    assert second.exit_code == 0, second.output
    a, b = (mini_repo / f"{out}/ontology-2.0.0.tar.gz" for out in ("a", "b"))
    assert scenario.sha256_file(a) == scenario.sha256_file(b)
