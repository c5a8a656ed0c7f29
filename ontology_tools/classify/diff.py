"""The differences to classify: DeepDiff per changed KPI, and ontology.yaml value by value."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ontology_tools.classify.catalog import (
    ABSENT,
    NESTED_FIELDS,
    ChangeRule,
    Difference,
    Subject,
    classify,
)
from ontology_tools.model import Change

ONTOLOGY_STAMPS = ("version", "releasedAt")
"""Keys of ontology.yaml that a release writes: never a change of their own."""
VOCABULARIES = "vocabularies"


def changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """The field paths DeepDiff finds changed, lists compared as sets (a reorder is no change).

    Paths are cut to the KPI's first level, or two levels inside the NESTED_FIELDS, so that one
    edited field yields one change.
    """
    from deepdiff import DeepDiff

    diff = DeepDiff(dict(old), dict(new), ignore_order=True, view="tree",
                    ignore_string_type_changes=False, threshold_to_diff_deeper=0)
    fields: set[tuple[str, ...]] = set()
    for levels in diff.values():
        for level in levels:
            path = [str(step) for step in level.path(output_format="list")]
            depth = 2 if path and path[0] in NESTED_FIELDS else 1
            fields.add(tuple(path[:depth]))
    return sorted(fields)


def field_differences(old: Mapping[str, Any],
                      new: Mapping[str, Any]) -> Iterator[Difference]:
    """Each changed field of one KPI's content, with its value before and after."""
    for path in changed_fields(old, new):
        yield Difference(Subject.FIELD, path, _value(old, path), _value(new, path))


def classify_kpi(old: Mapping[str, Any], new: Mapping[str, Any],
                 rules: Mapping[str, ChangeRule]) -> tuple[Change, ...]:
    """Every change between two versions of one KPI's content, each under one rule."""
    return tuple(classify(difference, rules) for difference in field_differences(old, new))


def _value(kpi: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = kpi
    for step in path:
        if not isinstance(value, Mapping) or step not in value:
            return ABSENT
        value = value[step]
    return value


def ontology_differences(old: Mapping[str, Any],
                         new: Mapping[str, Any]) -> Iterator[Difference]:
    """What changed in ontology.yaml: each vocabulary value, then each other key (stamps aside)."""
    old_vocab, new_vocab = old.get(VOCABULARIES) or {}, new.get(VOCABULARIES) or {}
    for name in sorted(set(old_vocab) | set(new_vocab)):
        yield from _vocabulary_differences(str(name), old_vocab.get(name), new_vocab.get(name))
    for key in _settings_keys(old, new):
        if old.get(key) != new.get(key):  # an absent key and an explicit null say the same
            yield Difference(Subject.ONTOLOGY, (key,), old.get(key, ABSENT), new.get(key, ABSENT))


def _settings_keys(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """The keys of either side in the newer file's order, stamps and vocabularies aside."""
    keys = [*new, *(key for key in old if key not in new)]
    return [str(key) for key in keys if key not in (*ONTOLOGY_STAMPS, VOCABULARIES)]


def _vocabulary_differences(name: str, before: Any, after: Any) -> Iterator[Difference]:
    old_labels, new_labels = _labels(before), _labels(after)
    added = sorted(set(new_labels) - set(old_labels))
    removed = sorted(set(old_labels) - set(new_labels))
    relabelled = sorted(value for value in set(old_labels) & set(new_labels)
                        if old_labels[value] != new_labels[value])
    for value in (*added, *removed, *relabelled):
        yield Difference(Subject.ONTOLOGY, (VOCABULARIES, name, value),
                         old_labels.get(value, ABSENT), new_labels.get(value, ABSENT))


def _labels(vocabulary: Any) -> dict[str, Any]:
    if isinstance(vocabulary, dict):
        return {str(key): value for key, value in vocabulary.items()}
    if isinstance(vocabulary, list):
        return {str(value): value for value in vocabulary}
    return {}
