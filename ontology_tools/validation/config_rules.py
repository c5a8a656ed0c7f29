"""Checks of ontology.yaml's settings beyond its JSON Schema."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ontology_tools.model import Severity
from ontology_tools.refformat import tag_name_problem
from ontology_tools.validation.registry import Issue, ValidationRule, register

TAG_PREFIX_INVALID = register(ValidationRule(
    "tag-prefix-invalid", Severity.ERROR,
    "tagPrefix followed by a version is not a tag name git accepts (git check-ref-format)"),
    __name__)
# Every version is digits and dots, and git's rules treat all digits alike, so one version
# stands for all: a prefix git refuses with it, git refuses with every version.
SAMPLE_VERSION = "1.0.0"


def tag_prefix_issues(config: Mapping[str, Any]) -> Iterator[Issue]:
    """A finding at `tagPrefix` when the release's tags `<tagPrefix><version>` would be
    refused by git: found at validate time, not by a failed `git tag` after the commit."""
    prefix = config.get("tagPrefix", "v")
    if prefix is None:
        prefix = ""
    if not isinstance(prefix, str):  # the schema reports the type
        return
    tag = prefix + SAMPLE_VERSION
    problem = tag_name_problem(tag)
    if problem is not None:
        yield Issue(("tagPrefix",) if "tagPrefix" in config else (),
                    f"tagPrefix {prefix!r} gives tags such as {tag!r}, which git refuses: "
                    f"{problem}")
