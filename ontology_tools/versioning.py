"""Version arithmetic: a pure function of (version, bump), through the `semver` package."""

from __future__ import annotations

from ontology_tools.model import Bump

FIRST_VERSION = "1.0.0"


def next_version(version: str | None, bump: Bump) -> str | None:
    """The version after `bump`; a first release is 1.0.0; no bump keeps the version."""
    import semver

    if version is None:
        return FIRST_VERSION if bump is not Bump.NONE else None
    current = semver.Version.parse(version)
    if bump is Bump.MAJOR:
        return str(current.bump_major())
    if bump is Bump.MINOR:
        return str(current.bump_minor())
    if bump is Bump.PATCH:
        return str(current.bump_patch())
    return version


def is_version(text: str) -> bool:
    """True for a MAJOR.MINOR.PATCH version."""
    import semver

    try:
        semver.Version.parse(text)
    except (ValueError, TypeError):
        return False
    return True


def compare(left: str, right: str) -> int:
    """-1, 0 or 1 as `left` is older than, equal to or newer than `right`."""
    import semver

    return int(semver.Version.parse(left).compare(right))
