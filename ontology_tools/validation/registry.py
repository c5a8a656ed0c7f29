"""The one registry of validation rules: id, severity, what it checks, and its check."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ontology_tools.model import Severity

if TYPE_CHECKING:
    from ontology_tools.validation.context import KpiFile, OntologyContext


@dataclass(frozen=True)
class Issue:
    """What a check found: the JSON path inside the file and a message."""

    at: tuple[str | int, ...]
    message: str
    path: str | None = None  # another file than the one checked (cross-file rules)
    on_key: bool = False  # point at the key of the last step of `at`, not at its value


KpiCheck = Callable[["KpiFile", "OntologyContext"], Iterable[Issue]]


@dataclass(frozen=True)
class ValidationRule:
    """A named check with a stable id; `check` is None for checks done while loading."""

    id: str
    severity: Severity
    summary: str
    check: KpiCheck | None = None


RULES: dict[str, ValidationRule] = {}

# The modules that register rules, in the order RULES lists them (`ontology rules`, the
# methodology page): the same order whichever of them a process happens to import first.
RULE_MODULES = ("ontology_tools.validation.registry", "ontology_tools.validation.kpi_rules",
                "ontology_tools.validation.prose_rules", "ontology_tools.validation.config_rules",
                "ontology_tools.validation.dispute_rules")
_RANKS: dict[str, tuple[int, int]] = {}


def register(rule: ValidationRule, module: str = __name__) -> ValidationRule:
    """Add a rule, registered by `module` (one of RULE_MODULES), to the registry; ids are
    unique."""
    if rule.id in RULES:
        raise ValueError(f"validation rule {rule.id} registered twice")
    _RANKS[rule.id] = (RULE_MODULES.index(module), len(_RANKS))
    RULES[rule.id] = rule
    ordered = sorted(RULES.values(), key=lambda known: _RANKS[known.id])
    RULES.clear()
    RULES.update((known.id, known) for known in ordered)
    return rule


def kpi_rule(rule_id: str, severity: Severity, summary: str) -> Callable[[KpiCheck], KpiCheck]:
    """Decorator: register a per-KPI check under `rule_id`."""

    def wrap(check: KpiCheck) -> KpiCheck:
        register(ValidationRule(rule_id, severity, summary, check), check.__module__)
        return check

    return wrap


for _id, _summary in (
    ("file-too-large", "a file is larger than the size limit"),
    ("yaml-encoding", "a file is not valid UTF-8"),
    ("yaml-empty", "a file is empty"),
    ("yaml-tab", "a file contains a tab character"),
    ("yaml-syntax", "a file is not well-formed YAML"),
    ("yaml-duplicate-key", "a mapping repeats a key"),
    ("yaml-multiple-documents", "a file holds more than one YAML document"),
    ("yaml-tag", "a node carries a tag (such as !!python/object); nothing is ever constructed"),
    ("yaml-alias", "a file uses anchors or aliases (refused: alias bombs)"),
    ("yaml-too-deep", "a file nests deeper than any KPI needs"),
    ("yaml-complex-key", "a mapping key is not a plain scalar"),
    ("yaml-conflict-markers", "a file holds merge-conflict markers (<<<<<<<, =======, >>>>>>>)"),
    ("yaml-number-too-large", "an integer has more digits than any KPI needs"),
    ("path-outside-repository", "a symbolic link leads outside the repository (never followed)"),
    ("path-symlink", "a source is a symbolic link, not a regular file (never followed)"),
    ("path-not-a-file", "a folder named like a YAML file, a dangling link or a special file"),
    ("path-not-a-folder", "a file where the notes or the disputes folder belongs"),
    ("note-stray-file", "changelog/unreleased/ holds something that is not a <name>.yaml note"),
    ("dispute-stray-file", "changelog/disputes/ holds a file that is not a <id>.yaml dispute"),
    ("schema", "a file does not match its JSON Schema"),
    ("layout", "a file under ontology/ is not ontology/<domain>/<slug>.yaml"),
):
    register(ValidationRule(_id, Severity.ERROR, _summary))

register(ValidationRule("note-unknown-kpi", Severity.ERROR,
                        "a change note names a KPI that does not exist"))
register(ValidationRule("policy-unknown-rule", Severity.ERROR,
                        "ontology.yaml's policy names a change rule that does not exist"))
register(ValidationRule("baseline-missing", Severity.WARNING,
                        "ontology.yaml names a release the repository does not hold; checks "
                        "against the last release are skipped"))
register(ValidationRule("history-shallow", Severity.WARNING,
                        "the clone is shallow: the last release is there, but earlier releases "
                        "may be missing; checks that need them are skipped"))
register(ValidationRule("release-record-unreadable", Severity.WARNING,
                        "a release's committed changelog/<version>.json cannot be read; checks "
                        "that need what that release changed are skipped"))

# The rule modules register their rules when imported; importing them here makes RULES whole
# for every reader. (The `validation` package itself imports none of them: a replayed run
# needs no rule.)
from ontology_tools.validation import (  # noqa: E402
    config_rules,
    dispute_rules,
    kpi_rules,
    prose_rules,
)

# imported for the rules they register
LOADED_RULE_MODULES = (config_rules, dispute_rules, kpi_rules, prose_rules)
