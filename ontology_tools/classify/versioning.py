"""Version arithmetic: a pure function of (version, bump), through the `semver` package."""

from __future__ import annotations

from ontology_tools.model import Bump

FIRST_VERSION = "1.0.0"


def next_version(version: str | None, bump: Bump) -> str | None:
    """The version after `bump`; a first release is FIRST_VERSION; no bump keeps the version."""
    if bump is Bump.NONE:
        return version
    if version is None:
        return FIRST_VERSION
    import semver  # lazily: `ontology --help` never pays for it

    # semver names the parts as Bump labels do: "major", "minor", "patch".
    return str(semver.Version.parse(version).next_version(bump.label))


def compare(left: str, right: str) -> int:
    """-1, 0 or 1 as `left` is older than, equal to or newer than `right`."""
    import semver

    return int(semver.Version.parse(left).compare(right))
