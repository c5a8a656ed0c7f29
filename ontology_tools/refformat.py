"""git's rules for reference names (`git check-ref-format`), for the tags a release creates.

Pure Python, so `validate` and the release preflight can refuse a bad `tagPrefix` before
anything is written instead of learning it from a failed `git tag` after the release commit.
"""

from __future__ import annotations

# Characters git refuses anywhere in a reference name (besides control characters and DEL).
FORBIDDEN_CHARACTERS = frozenset(" ~^:?*[\\")
TAG_NAMESPACE = "refs/tags/"


def tag_name_problem(name: str) -> str | None:
    """Why git would refuse `name` as a tag name, or None when `git tag NAME` accepts it.

    The rules are those `git check-ref-format` applies to `refs/tags/<name>`, plus the one of
    `git tag` itself: a tag name may not start with '-' (it would read as an option).
    """
    if not name:
        return "it is empty"
    if name.startswith("-"):
        return "it starts with '-'"
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "it is not valid Unicode text"
    return ref_name_problem(TAG_NAMESPACE + name)


def ref_name_problem(ref: str) -> str | None:
    """Why `git check-ref-format REF` would refuse `ref`, or None when it accepts it."""
    if ref == "@":
        return "it is the single character '@'"
    if ref.endswith("."):
        return "it ends with '.'"
    for component in ref.split("/"):
        problem = _component_problem(component)
        if problem is not None:
            return problem
    return None


def _component_problem(component: str) -> str | None:
    """One slash-separated part of a reference name (an empty part: a leading, trailing or
    doubled '/')."""
    if not component:
        return "it has an empty part between slashes (a leading, trailing or doubled '/')"
    if component.startswith("."):
        return f"its part {component!r} starts with '.'"
    if component.endswith(".lock"):
        return f"its part {component!r} ends with '.lock'"
    if ".." in component:
        return "it contains '..'"
    if "@{" in component:
        return "it contains '@{'"
    for character in component:
        if character in FORBIDDEN_CHARACTERS:
            return f"it contains {character!r}"
        if ord(character) < 0x20 or ord(character) == 0x7F:
            return f"it contains the control character U+{ord(character):04X}"
    return None
