"""The corpus of broken ontologies: each case is mini plus exactly one bad file.

A case is a folder under tests/fixtures/invalid/ holding the bad file at its path in the
repository and a `case.yaml` naming the file, the rule id, the line (and column) validate must
report. tests/fixtures/valid/ holds overlays that must validate without a single finding.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from ontology_tools import yamlio
from ontology_tools.validation.registry import RULES
from tests.conftest import FIXTURES, REPO, run_cli

INVALID = FIXTURES / "invalid"
VALID = FIXTURES / "valid"
CASE_FILE = "case.yaml"
TAG_MARKER = "tag-payload-ran"  # what the python/object tags of the corpus would create
NEEDS_HISTORY = {"stamp-edited", "baseline-missing",  # tested with a release history elsewhere
                 "history-shallow", "release-record-unreadable"}  # tests/project
NEEDS_TWO_FILES = {"dispute-duplicate-id"}  # one case is one file; see tests/disputes
GENERATED_RULES = {"file-too-large",  # see test_oversized_file
                   # links and folders are made at run time: tests/validation/test_hostile.py
                   "path-outside-repository", "path-symlink", "path-not-a-file"}


@dataclass(frozen=True)
class Case:
    """One corpus folder and what validate must say about it."""

    name: str
    folder: Path
    file: str
    rule: str = ""
    line: int = 0
    col: int | None = None
    severity: str = "error"
    exit: int = 1
    also: tuple[str, ...] = field(default=())

    @property
    def where(self) -> str:
        """The `path:line:` (or `path:line:col:`) prefix of the expected finding."""
        return f"{self.file}:{self.line}:" + (f"{self.col}:" if self.col else "")

    def apply(self, root: Path) -> None:
        """Copy the case's files over the ontology at `root`."""
        for source in sorted(self.folder.rglob("*")):
            if source.is_file() and source.name not in (CASE_FILE, ".gitattributes"):
                target = root / source.relative_to(self.folder)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)


def load_cases(folder: Path) -> list[Case]:
    """Every case under `folder`, read with the toolkit's own safe loader."""
    cases = []
    for case_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        meta = yamlio.load_fast((case_dir / CASE_FILE).read_bytes())
        meta["also"] = tuple(meta.get("also", ()))
        cases.append(Case(name=case_dir.name, folder=case_dir, **meta))
    return cases


INVALID_CASES = load_cases(INVALID)
VALID_CASES = load_cases(VALID)
CASE_IDS = [case.name for case in INVALID_CASES]


def finding_lines(output: str) -> list[str]:
    """The `path:line:col: severity rule message` lines of text output."""
    return [line for line in output.splitlines() if line.strip()]


def assert_no_crash(result_output: str, stderr: str) -> None:
    assert "Traceback" not in result_output
    assert "Traceback" not in stderr
    assert "internal error" not in stderr


@pytest.fixture
def broken(request: pytest.FixtureRequest, mini: Path, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> tuple[Case, Path]:
    """mini with the case's bad file laid over it; cwd is a scratch folder for tag payloads."""
    case: Case = request.param
    case.apply(mini)
    scratch = tmp_path / "cwd"
    scratch.mkdir()
    monkeypatch.chdir(scratch)
    return case, mini


# every test below runs on each broken case of the corpus
each_invalid_case = pytest.mark.parametrize("broken", INVALID_CASES, ids=CASE_IDS, indirect=True)


def validated(broken: tuple[Case, Path], *options: str) -> tuple[Case, Path, str]:
    """`validate OPTIONS` of a broken case: no crash, the case's exit code; its stdout."""
    case, root = broken
    result = run_cli(root, "validate", *options)
    assert_no_crash(result.output, result.stderr)
    assert result.exit_code == case.exit, result.output
    return case, root, result.stdout


@each_invalid_case
def test_invalid_case_is_reported_at_its_line(broken: tuple[Case, Path]) -> None:
    case, root, out = validated(broken)
    lines = finding_lines(out)
    expected = [line for line in lines
                if line.startswith(case.where) and f" {case.severity} {case.rule} " in line]
    assert expected, f"no {case.rule} finding at {case.where}:\n{out}"
    for line in lines:  # one bad file: nothing else is blamed
        assert line.split(":", 1)[0] in {case.file, *case.also}, line
    assert not (Path.cwd() / TAG_MARKER).exists()
    assert not (root / TAG_MARKER).exists()


@each_invalid_case
def test_invalid_case_as_json(broken: tuple[Case, Path]) -> None:
    case, _, out = validated(broken, "--format", "json")
    document = json.loads(out)
    schema = json.loads((REPO / "schemas" / "findings.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema).validate(document)
    assert any(f["path"] == case.file and f["line"] == case.line and f["rule"] == case.rule
               for f in document["findings"])
    assert document["summary"]["errors"] == sum(
        1 for f in document["findings"] if f["severity"] == "error")


@each_invalid_case
def test_invalid_case_as_github_annotations(broken: tuple[Case, Path]) -> None:
    case, _, out = validated(broken, "--format", "github")
    annotations = finding_lines(out)
    assert all(line.startswith(("::error file=", "::warning file=")) for line in annotations)
    expected = f"::{case.severity} file={case.file},line={case.line},"
    assert any(line.startswith(expected) and f"title={case.rule}::" in line
               for line in annotations), out


def test_oversized_file(mini: Path) -> None:
    kpi = mini / "ontology" / "sales" / "arr.yaml"
    text = kpi.read_text(encoding="utf-8")
    padding = "# " + "x" * 98 + "\n"
    kpi.write_text(text + padding * (yamlio.MAX_FILE_BYTES // len(padding) + 1), encoding="utf-8")
    result = run_cli(mini, "validate")
    assert_no_crash(result.output, result.stderr)
    assert result.exit_code == 1
    assert "ontology/sales/arr.yaml:1:1: error file-too-large " in result.stdout


def test_every_rule_has_a_case() -> None:
    covered = {case.rule for case in INVALID_CASES} | GENERATED_RULES
    assert set(RULES) - NEEDS_HISTORY - NEEDS_TWO_FILES <= covered
    assert covered <= set(RULES), "a case names a rule that is not registered"


def test_every_case_is_one_file() -> None:
    for case in INVALID_CASES:
        files = [p for p in case.folder.rglob("*")
                 if p.is_file() and p.name not in (CASE_FILE, ".gitattributes")]
        assert [p.relative_to(case.folder).as_posix() for p in files] == [case.file], case.name


def test_tag_payloads_are_never_constructed() -> None:
    for case in INVALID_CASES:
        if case.rule == "yaml-tag":
            with pytest.raises(yamlio.YamlProblem) as raised:
                yamlio.load_fast((case.folder / case.file).read_bytes())
            assert raised.value.rule == "yaml-tag"


@pytest.mark.parametrize("name", ["python-tag", "alias-bomb"])
def test_cli_process_end_to_end(name: str, mini: Path, tmp_path: Path) -> None:
    case = next(c for c in INVALID_CASES if c.name == name)
    case.apply(mini)
    scratch = tmp_path / "cwd"
    scratch.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "ontology_tools", "--root", str(mini), "validate"],
        cwd=scratch, capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}, check=False)
    assert_no_crash(result.stdout, result.stderr)
    assert result.returncode == 1
    assert case.where in result.stdout
    assert not (scratch / TAG_MARKER).exists()


@pytest.mark.parametrize("valid", [None, *VALID_CASES],
                         ids=["mini", *(case.name for case in VALID_CASES)])
def test_valid_ontology_has_no_finding(valid: Case | None, mini: Path) -> None:
    if valid is not None:
        valid.apply(mini)
    result = run_cli(mini, "validate")
    assert_no_crash(result.output, result.stderr)
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""
    assert "files valid" in result.stderr
