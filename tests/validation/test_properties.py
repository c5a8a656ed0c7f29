"""Property tests: whatever bytes a KPI file holds, loading and validating never crash or hang."""

from __future__ import annotations

import contextlib
import math
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ontology_tools import yamlio
from ontology_tools.validation import validate
from tests.conftest import FIXTURES

KPI = "ontology/sales/arr.yaml"
SEED = (FIXTURES / "mini" / KPI).read_bytes()

FAST = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
SLOWER = settings(FAST, max_examples=30)

# Characters that steer the parser into its corners: indicators, quotes, breaks, BOM, controls.
YAML_ALPHABET = st.sampled_from([*"abc:-?,[]{}#&*!|>'\"%@` \n\r\t\\0123456789.~",
                                 "\ufeff", "\x00", "\x85", "\u2028", "é", "---", "...",
                                   "!!python/object/apply:os.system", "<<", "&a ", "*a"])
yaml_like = st.lists(YAML_ALPHABET, max_size=120).map("".join)

# Text without NEL, LS and PS: libyaml reads YAML 1.1, where they break lines, ruamel.yaml writes
# 1.2, where they do not (fmt's content check refuses such a rewrite rather than alter it).
plain_text = st.text(st.characters(codec="utf-8", exclude_characters="\x85\u2028\u2029"),
                     max_size=30)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    plain_text, st.sampled_from(["2026-02-30", "null", "0x1f", ".inf",
                                                           "yes", "~", "", "a: b", "- x"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(plain_text, inner, max_size=4)),
    max_leaves=12)


@pytest.fixture(scope="module")
def ontology(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of mini per module; each example overwrites its one KPI file."""
    root = tmp_path_factory.mktemp("properties") / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    return root


def load_or_problem(data: bytes) -> None:
    try:
        yamlio.load_fast(data)
    except yamlio.YamlProblem as problem:
        assert problem.line >= 1 and problem.col >= 1
        assert problem.rule.startswith(("yaml-", "file-"))


def validate_with(root: Path, data: bytes) -> None:
    (root / KPI).write_bytes(data)
    report = validate(root)
    for finding in report.findings:
        assert finding.line >= 1 and finding.col >= 1, finding
    assert report.files >= 1


# --- the loader ---------------------------------------------------------------------------------

@FAST
@given(st.binary(max_size=2000))
def test_load_fast_on_bytes(data: bytes) -> None:
    load_or_problem(data)


@FAST
@given(st.text(max_size=2000))
def test_load_fast_on_text(text: str) -> None:
    load_or_problem(text.encode("utf-8", "surrogatepass"))


@FAST
@given(yaml_like)
def test_load_fast_on_yaml_like_text(text: str) -> None:
    load_or_problem(text.encode("utf-8"))


@FAST
@given(st.dictionaries(plain_text, values, max_size=6))
def test_plain_data_survives_a_round_trip(data: dict[str, Any]) -> None:
    text = yamlio.dump_round_trip(data)
    if "\t" in text:  # a tab inside a string value; the loader refuses every tab by design
        return
    assert same(yamlio.load_fast(text.encode("utf-8")), data), text


def same(left: Any, right: Any) -> bool:
    """Equality that holds for -0.0 and 0.0 and compares floats exactly otherwise."""
    if isinstance(left, float) and isinstance(right, float):
        return left == right or (math.isnan(left) and math.isnan(right))
    if isinstance(left, dict) and isinstance(right, dict):
        return list(left) == list(right) and all(same(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(same, left, right))
    return type(left) is type(right) and left == right


# --- the validator on arbitrary files ---------------------------------------------------------

@SLOWER
@given(data=st.binary(max_size=1500))
def test_validate_on_bytes(ontology: Path, data: bytes) -> None:
    validate_with(ontology, data)


@SLOWER
@given(text=yaml_like)
def test_validate_on_yaml_like_text(ontology: Path, text: str) -> None:
    validate_with(ontology, text.encode("utf-8"))


@SLOWER
@given(data=st.data())
def test_validate_on_damaged_text(ontology: Path, data: st.DataObject) -> None:
    """Insert, delete or duplicate bytes of a valid KPI file."""
    text = SEED.decode("utf-8")
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        operation = data.draw(st.sampled_from(["insert", "delete", "duplicate"]))
        if operation == "insert":
            text = text[:at] + data.draw(yaml_like) + text[at:]
        elif operation == "delete":
            text = text[:at] + text[at + data.draw(st.integers(1, 40)):]
        else:
            text = text[:at] + text[at:at + data.draw(st.integers(1, 80))] + text[at:]
    validate_with(ontology, text.encode("utf-8"))


# --- the validator on mutated KPIs -------------------------------------------------------------

def node_paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every node below the document."""
    if prefix:
        yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from node_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from node_paths(value, (*prefix, index))


def parent_of(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        document = document[step]
    return document


def mutate(document: dict[str, Any], data: st.DataObject) -> None:
    """One random edit: drop a key, retype a value, add a key, reorder a mapping."""
    paths = list(node_paths(document))
    if not paths:
        return
    path = data.draw(st.sampled_from(paths))
    parent = parent_of(document, path)
    node = parent[path[-1]]
    operation = data.draw(st.sampled_from(["drop", "retype", "insert", "reorder"]))
    if operation == "drop" and isinstance(parent, dict):
        del parent[path[-1]]
    elif operation == "insert" and isinstance(node, dict):
        node[data.draw(st.text(max_size=20))] = data.draw(values)
    elif operation == "reorder" and isinstance(node, dict):
        order = data.draw(st.permutations(list(node)))
        reordered = {key: node[key] for key in order}
        node.clear()
        node.update(reordered)
    else:
        parent[path[-1]] = data.draw(values)


@SLOWER
@given(data=st.data())
def test_validate_on_mutated_kpi(ontology: Path, data: st.DataObject) -> None:
    document = yamlio.load_fast(SEED)
    for _ in range(data.draw(st.integers(1, 3))):
        mutate(document, data)
    validate_with(ontology, yamlio.dump_round_trip(document).encode("utf-8"))


def test_a_problem_can_be_raised_through_a_with_block() -> None:
    """Python sets __traceback__ and __notes__ on exceptions; a YamlProblem must allow it."""

    @contextlib.contextmanager
    def block() -> Iterator[None]:
        yield

    with pytest.raises(yamlio.YamlProblem) as raised, block():
        yamlio.load_fast(b"a: [\n")
    raised.value.add_note("seen by a test")
    assert raised.value.rule == "yaml-syntax"


def test_mutations_are_reported_not_ignored(ontology: Path) -> None:
    """A sanity check of the harness: retyping a field does produce a positioned finding."""
    document = yamlio.load_fast(SEED)
    document["kpi"]["unit"] = ["USD"]
    text = yamlio.dump_round_trip(document)
    (ontology / KPI).write_text(text, encoding="utf-8")
    unit_line = text.splitlines().index("  unit:") + 1
    findings = [f for f in validate(ontology).findings if f.path == KPI]
    assert [(f.rule, f.line, f.col) for f in findings] == [("schema", unit_line, 3)]
