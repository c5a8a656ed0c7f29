"""The per-file result cache of `ontology validate`: fresh, robust and safe to share."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ontology_tools.validation import validate
from ontology_tools.validation.cache import (
    CACHE_DIR,
    PACK_PREFIX,
    FileResult,
    ResultCache,
    context_key,
    decode_pack,
    encode_pack,
)
from tests.conftest import git, run_cli

ARR = "ontology/sales/arr.yaml"


def packs(root: Path) -> list[Path]:
    """The cache packs written under `root`."""
    return sorted((root / CACHE_DIR).glob(f"{PACK_PREFIX}*"))


def rendered(root: Path, *args: str) -> tuple[int, list[str]]:
    """Exit code and finding lines of `ontology validate`."""
    result = run_cli(root, "validate", *args)
    return result.exit_code, result.stdout.splitlines()


def break_label(root: Path, rel: str = ARR) -> None:
    """Empty the defaultLabel: a schema finding, computed per file and cached."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("defaultLabel: ARR", 'defaultLabel: ""'), encoding="utf-8")


def test_a_warm_run_writes_one_pack_and_finds_the_same(mini: Path) -> None:
    cold = rendered(mini)
    assert cold == (0, [])
    assert len(packs(mini)) == 1
    assert rendered(mini) == cold
    entries = decode_pack(packs(mini)[0].read_bytes())
    assert len(entries) == len(list((mini / "ontology").glob("*/*.yaml")))


def test_a_changed_file_is_validated_again(mini: Path) -> None:
    assert rendered(mini)[0] == 0
    break_label(mini)
    code, lines = rendered(mini)
    assert code == 1
    assert any(line.startswith(f"{ARR}:5:") and "schema" in line for line in lines), lines
    (mini / ARR).write_text((mini / ARR).read_text().replace('defaultLabel: ""',
                                                            "defaultLabel: ARR"))
    assert rendered(mini) == (0, [])


@pytest.mark.parametrize("damage", [
    pytest.param(lambda blob: b"\x00garbage\xff" * 50, id="garbage"),
    pytest.param(lambda blob: blob[: len(blob) // 2], id="truncated"),
    pytest.param(lambda blob: blob[:-5] + b"XXXXX", id="flipped-bytes"),
    pytest.param(lambda blob: b"", id="empty"),
])
def test_a_corrupted_pack_is_ignored_and_rebuilt(mini: Path, damage: object) -> None:
    break_label(mini)
    expected = rendered(mini)
    pack = packs(mini)[0]
    pack.write_bytes(damage(pack.read_bytes()))  # type: ignore[operator]
    assert rendered(mini) == expected
    assert decode_pack(pack.read_bytes()), "the pack was rebuilt"
    assert rendered(mini) == expected


def test_a_corrupted_entry_is_ignored(mini: Path) -> None:
    rendered(mini)
    pack = packs(mini)[0]
    entries = decode_pack(pack.read_bytes())
    digest = entries[ARR][0]
    entries[ARR] = (digest, None, [("not", "a", "finding")])
    pack.write_bytes(encode_pack(entries))
    assert rendered(mini) == (0, [])


def test_an_entry_for_other_bytes_is_not_used(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path, "context")
    cache.put(ARR, "digest-of-old-bytes", FileResult({"kpi": {}}, ()))
    cache.save()
    again = ResultCache(tmp_path, "context")
    assert again.get(ARR, "digest-of-new-bytes") is None
    assert again.get(ARR, "digest-of-old-bytes") == FileResult({"kpi": {}}, ())


def test_removing_a_unit_fails_its_kpis_even_with_a_warm_cache(mini: Path) -> None:
    assert rendered(mini) == (0, [])
    config = mini / "ontology" / "ontology.yaml"
    config.write_text(config.read_text().replace("    USD: US dollars\n", ""))
    code, lines = rendered(mini)
    assert code == 1
    assert any(line.startswith(f"{ARR}:") and "unknown unit 'USD'" in line for line in lines)
    assert len(packs(mini)) == 1, "the stale pack was removed"


def test_the_context_key_follows_the_vocabularies() -> None:
    assert context_key({"units": {"USD": "US dollars"}}) != context_key({"units": {}})
    assert context_key({"units": {}}) == context_key({"units": {}})


def test_two_runs_at_once_agree_and_leave_a_readable_cache(mini: Path) -> None:
    break_label(mini)
    command = [sys.executable, "-m", "ontology_tools", "--root", str(mini), "validate"]
    env = {**os.environ, "ONTOLOGY_NO_CACHE": ""}
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
            for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [1, 1]
    assert outputs[0][0] == outputs[1][0]
    assert f"{ARR}:5:".encode() in outputs[0][0]
    third = subprocess.run(command, capture_output=True, env=env, timeout=120)
    assert third.stdout == outputs[0][0]
    assert len(decode_pack(packs(mini)[0].read_bytes())) == 7


def test_threads_at_once_agree(mini: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    break_label(mini)
    with ThreadPoolExecutor(4) as pool:
        reports = list(pool.map(lambda _: validate(mini), range(4)))
    assert len({report.findings for report in reports}) == 1
    assert validate(mini).findings == reports[0].findings


@pytest.mark.parametrize("how", ["option", "environment"])
def test_no_cache_neither_reads_nor_writes(mini: Path, how: str) -> None:
    args = ("--no-cache",) if how == "option" else ()
    env = {"ONTOLOGY_NO_CACHE": "1"} if how == "environment" else None
    result = run_cli(mini, "validate", *args, env=env)
    assert result.exit_code == 0
    assert not (mini / CACHE_DIR).exists()


def test_the_same_findings_with_and_without_the_cache(mini: Path) -> None:
    break_label(mini)
    (mini / "ontology" / "customers" / "customers_churned.yaml").write_text("kpi: [unclosed\n")
    without = validate(mini, use_cache=False)
    assert validate(mini).findings == without.findings
    assert validate(mini).findings == without.findings


def test_the_cache_is_never_committed_even_without_an_ignore_entry(mini_repo: Path) -> None:
    assert not (mini_repo / ".gitignore").exists()
    assert rendered(mini_repo)[0] == 0
    assert packs(mini_repo)
    assert git(mini_repo, "status", "--porcelain", "--untracked-files=all") == ""
