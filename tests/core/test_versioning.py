"""Version arithmetic: the right component moves by one, lower ones reset, the result is newer."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ontology_tools.classify.versioning import FIRST_VERSION, compare, next_version
from ontology_tools.model import Bump

parts = st.integers(min_value=0, max_value=10**12)
bumps = st.sampled_from([Bump.PATCH, Bump.MINOR, Bump.MAJOR])
POSITION = {Bump.MAJOR: 0, Bump.MINOR: 1, Bump.PATCH: 2}


@given(parts, parts, parts, bumps)
def test_a_bump_moves_its_component_by_one_and_resets_the_lower_ones(
        major: int, minor: int, patch: int, bump: Bump) -> None:
    version = f"{major}.{minor}.{patch}"
    result = next_version(version, bump)
    assert result is not None
    before, after = [major, minor, patch], [int(part) for part in result.split(".")]
    at = POSITION[bump]
    assert after[:at] == before[:at]
    assert after[at] == before[at] + 1
    assert after[at + 1:] == [0] * (2 - at)
    assert compare(result, version) == 1


@given(parts, parts, parts, bumps, bumps)
def test_a_higher_bump_never_gives_a_lower_version(major: int, minor: int, patch: int,
                                                   low: Bump, high: Bump) -> None:
    low, high = min(low, high), max(low, high)
    version = f"{major}.{minor}.{patch}"
    low_next, high_next = next_version(version, low), next_version(version, high)
    assert low_next is not None and high_next is not None
    assert compare(high_next, low_next) >= 0


@given(parts, parts, parts)
def test_no_bump_keeps_the_version(major: int, minor: int, patch: int) -> None:
    version = f"{major}.{minor}.{patch}"
    assert next_version(version, Bump.NONE) == version


@pytest.mark.parametrize("bump", [Bump.PATCH, Bump.MINOR, Bump.MAJOR])
def test_a_first_release_is_the_first_version_whatever_the_bump(bump: Bump) -> None:
    assert next_version(None, bump) == FIRST_VERSION == "1.0.0"


def test_nothing_to_release_has_no_version() -> None:
    assert next_version(None, Bump.NONE) is None


@pytest.mark.parametrize(("version", "bump", "expected"), [
    ("1.2.0", Bump.PATCH, "1.2.1"), ("1.2.9", Bump.PATCH, "1.2.10"),
    ("1.2.3", Bump.MINOR, "1.3.0"), ("1.9.3", Bump.MAJOR, "2.0.0"),
    ("0.0.0", Bump.MAJOR, "1.0.0"),
])
def test_examples(version: str, bump: Bump, expected: str) -> None:
    assert next_version(version, bump) == expected
