"""The one registry of change rules: id, bump level, message, rationale and trigger.

Like a validation rule (an id and its check), a change rule carries the trigger that decides
which differences it covers. A difference is classified under the first registered rule whose
trigger fires; `unclassified`, last, fires for anything. `ontology rules`, the classifier and the
methodology page all read `CHANGE_RULES`, in this order.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ontology_tools.classify.versioning import FIRST_VERSION
from ontology_tools.model import Bump, Change, Scope, level_label


class Subject(enum.Enum):
    """What a difference is about."""

    KPI = "kpi"  # a KPI as a whole: it appears, disappears, is renamed or comes back
    FIELD = "field"  # one field of a KPI's `kpi` content
    ONTOLOGY = "ontology"  # one setting, or one vocabulary value, of ontology.yaml


class Absent(enum.Enum):
    """The side of a difference where the field, the KPI or the value is not there at all."""

    ABSENT = "absent"


ABSENT = Absent.ABSENT


@dataclass(frozen=True)
class Difference:
    """One difference to classify: its subject, its path, the value before and after.

    For a KPI as a whole the path is empty and the values are its rogueId before and after:
    ABSENT before when it is new, ABSENT after when it is gone, another id before when it was
    renamed, and its own id before when it comes back from an earlier release (the baseline
    does not hold it, the releases do).
    """

    subject: Subject
    path: tuple[str, ...]
    old: Any = ABSENT
    new: Any = ABSENT

    @property
    def field(self) -> str:
        """The dotted path, as changes name it."""
        return ".".join(self.path)


Trigger = Callable[[Difference], bool]
Condition = Callable[[Any, Any], bool]  # decides on the values before and after


@dataclass(frozen=True)
class ChangeRule:
    """A kind of change, the version bump it deserves, and the trigger that recognises it."""

    id: str
    bump: Bump
    message: str
    rationale: str
    fires: Trigger = field(compare=False, repr=False)
    blocking: bool = False
    scope: Scope = Scope.KPI  # KPI: bumps the KPI; ONTOLOGY: bumps only the ontology

    @property
    def level(self) -> str:
        """The level as written in policies and output: major … none, or blocking."""
        return level_label(self.blocking, self.bump)


def _always(old: Any, new: Any) -> bool:
    return True


def _both_present(old: Any, new: Any) -> bool:
    return old is not ABSENT and new is not ABSENT


def _absent(value: Any) -> bool:
    return value is ABSENT or value is None  # an explicit null says "none" as absence does


def _same_words(old: Any, new: Any) -> bool:
    return isinstance(old, str) and isinstance(new, str) and old.split() == new.split()


def _moved(before: str, after: str) -> Condition:
    return lambda old, new: (old, new) == (before, after)


def kpi(when: Condition) -> Trigger:
    """Fires for a KPI as a whole when `when(id before, id after)` holds."""
    return lambda d: d.subject is Subject.KPI and when(d.old, d.new)


def kpi_field(*paths: tuple[str, ...], when: Condition = _always) -> Trigger:
    """Fires for a change of the KPI field at one of `paths` when `when(old, new)` holds."""
    return lambda d: d.subject is Subject.FIELD and d.path in paths and when(d.old, d.new)


def kpi_subfield(parent: str, *, but: tuple[str, ...] = ()) -> Trigger:
    """Fires for a change of any field inside `parent` except those named in `but`."""
    return lambda d: (d.subject is Subject.FIELD and len(d.path) == 2 and d.path[0] == parent
                      and d.path[1] not in but)


def vocabulary(when: Condition) -> Trigger:
    """Fires for one value of an ontology.yaml vocabulary when `when(label before, after)` holds."""
    return lambda d: (d.subject is Subject.ONTOLOGY and len(d.path) == 3
                      and d.path[0] == "vocabularies" and when(d.old, d.new))


def setting(*keys: str) -> Trigger:
    """Fires for a change of one of the ontology.yaml settings `keys`."""
    return lambda d: d.subject is Subject.ONTOLOGY and len(d.path) == 1 and d.path[0] in keys


def anything(difference: Difference) -> bool:
    """Fires for every difference: the trigger of `unclassified`."""
    return True


NESTED_FIELDS = ("definitionSource", "metricBasis")
"""KPI fields whose own fields are classified one by one; any other field is one change."""

KPI_ADDED, KPI_REMOVED, KPI_RENAMED, KPI_RESTORED = (
    "kpi-added", "kpi-removed", "kpi-renamed", "kpi-restored")
KPI_DEPRECATED = "kpi-deprecated"
TIER_PROMOTED, TIER_DEMOTED = "tier-promoted", "tier-demoted"
UNCLASSIFIED = "unclassified"

_TIER = ("definitionSource", "tier")
_DEPRECATION = ("deprecation",)
_PROSE = (("description",), ("whyItMatters",), ("interpretationGuidance",))


def _rule(rule_id: str, bump: Bump, message: str, rationale: str, fires: Trigger, *,
          blocking: bool = False, scope: Scope = Scope.KPI) -> ChangeRule:
    return ChangeRule(rule_id, bump, message, rationale, fires, blocking=blocking, scope=scope)


M, m, p, n = Bump.MAJOR, Bump.MINOR, Bump.PATCH, Bump.NONE
_CATALOG = (
    _rule(KPI_ADDED, m, "KPI added", "A new definition gives consumers something new without "
          "changing anything they already rely on: a minor release of the ontology, and the KPI "
          f"starts its own history at {FIRST_VERSION}.",
          kpi(lambda old, new: old is ABSENT and new is not ABSENT),
          scope=Scope.ONTOLOGY),
    _rule(KPI_REMOVED, M, "KPI removed", "Every board deck and integration that reads the KPI "
          "breaks when it disappears, so removal is a major release of the ontology. Deprecate "
          "first (a minor release) to give consumers time.",
          kpi(lambda old, new: old is not ABSENT and new is ABSENT),
          scope=Scope.ONTOLOGY),
    _rule(KPI_RENAMED, M, "KPI renamed (supersedes {previous})", "A new rogueId is a new "
          "address: everything that pointed at the old id must move, so a rename is major for the "
          "ontology and the renamed KPI; `supersedes` keeps its history connected.",
          kpi(lambda old, new: _both_present(old, new) and old != new)),
    _rule(KPI_RESTORED, m, "KPI restored (last released as {version})", "An id that was "
          "removed and comes back continues from the highest version it ever had, so one id "
          "and one version always mean one definition: a minor release of the ontology, and the "
          "KPI's bump is that of its changes against its last released content, at least minor.",
          kpi(lambda old, new: old is not ABSENT and old == new), scope=Scope.ONTOLOGY),
    _rule("field-type-changed", M, "field type changed", "A different field type changes what a "
          "value means and how it is entered and charted; past values are no longer comparable.",
          kpi_field(("fieldType",))),
    _rule("unit-changed", M, "unit changed", "A different unit makes every stored and reported "
          "value wrong by a factor unless it is converted: past and future values disagree.",
          kpi_field(("unit",))),
    _rule("formula-changed", M, "formula changed", "The formula is the definition: two analysts "
          "following the old and the new formula compute different numbers, so history and "
          "benchmarks stop being comparable.",
          kpi_field(("formula",), when=lambda old, new: not _same_words(old, new))),
    _rule("formula-reflowed", p, "formula reflowed (whitespace only)", "Only spacing or line "
          "breaks changed; the computed number cannot differ.",
          kpi_field(("formula",), when=_same_words)),
    _rule("time-basis-changed", M, "time basis changed", "A point-in-time value and a period "
          "total are different quantities; charts and comparisons across the change break.",
          kpi_field(("metricBasis", "timeBasis"))),
    _rule("production-changed", m, "production changed", "Whether a KPI is reported directly or "
          "derived changes how it is collected, not what it means.",
          kpi_field(("metricBasis", "production"))),
    _rule(TIER_PROMOTED, m, "tier promoted from editorial to published", "Back-attribution: "
          "the definition is now anchored in a public standard. Consumers gain a citation; "
          "nothing they rely on breaks.", kpi_field(_TIER, when=_moved("editorial", "published"))),
    _rule(TIER_DEMOTED, M, "tier demoted from published to editorial", "A definition that "
          "loses its public standard can no longer be cited as one; anyone relying on the "
          "attribution must re-check it.", kpi_field(_TIER, when=_moved("published", "editorial"))),
    _rule("source-changed", p, "source details changed", "The citation (name, URL, section, "
          "date, notice) was corrected; the definition itself is unchanged.",
          kpi_subfield("definitionSource", but=("tier",))),
    _rule("stages-changed", m, "suggested stages changed", "Which companies are asked to "
          "report the KPI changes; reports at the affected stages gain or lose a field.",
          kpi_field(("suggestedForStages",))),
    _rule("stage-relevance-changed", m, "stage relevance changed", "The priority of the KPI at "
          "some stage changed, which changes what boards at that stage are shown.",
          kpi_field(("stageRelevance",))),
    _rule("maturity-changed", m, "maturity changed", "The KPI moved between general, emerging "
          "and experimental use: consumers should re-read how much to trust it.",
          kpi_field(("maturity",))),
    _rule(KPI_DEPRECATED, m, "KPI deprecated", "Deprecation announces a future removal "
          "without breaking anything yet.",
          kpi_field(_DEPRECATION, when=lambda old, new: _absent(old) and not _absent(new))),
    _rule("deprecation-changed", p, "deprecation details changed", "The date, reason or "
          "replacement of an existing deprecation was edited.",
          kpi_field(_DEPRECATION, when=lambda old, new: not _absent(old) and not _absent(new))),
    _rule("kpi-undeprecated", m, "deprecation withdrawn", "A KPI that was going away stays: "
          "consumers who planned a migration should know.",
          kpi_field(_DEPRECATION, when=lambda old, new: not _absent(old) and _absent(new))),
    _rule("supersedes-changed", p, "supersedes list changed", "The recorded lineage of the "
          "KPI was corrected; its definition is unchanged.", kpi_field(("supersedes",))),
    _rule("label-changed", p, "label changed", "The display name changed; the definition and "
          "every value stay the same.", kpi_field(("defaultLabel",))),
    _rule("text-changed", p, "{field} changed", "Explanatory prose (description, why it "
          "matters, interpretation) was clarified; the computed number cannot differ. If the "
          "edit changes what is counted, declare a higher bump in the change note.",
          kpi_field(*_PROSE)),
    _rule("owners-changed", p, "default owning functions changed", "Who is expected to own "
          "the KPI by default changed; the definition is unchanged.",
          kpi_field(("defaultOwningFunctions",))),
    _rule("related-changed", p, "related KPIs changed", "Cross-references were added or "
          "removed; navigation changes, the definition does not.", kpi_field(("relatedKpiIds",))),
    _rule("vocabulary-added", m, "vocabulary value added: {field}", "A new allowed value "
          "extends what KPIs may say without invalidating any existing KPI.",
          vocabulary(lambda old, new: old is ABSENT and new is not ABSENT),
          scope=Scope.ONTOLOGY),
    _rule("vocabulary-removed", M, "vocabulary value removed: {field}", "A value that KPIs or "
          "consumers may rely on is no longer allowed.",
          vocabulary(lambda old, new: old is not ABSENT and new is ABSENT),
          scope=Scope.ONTOLOGY),
    _rule("vocabulary-relabelled", p, "vocabulary label changed: {field}", "Only the display "
          "label of an allowed value changed.",
          vocabulary(_both_present), scope=Scope.ONTOLOGY),
    _rule("settings-changed", n, "ontology settings changed: {field}", "Release settings "
          "(name, tag prefix, notes policy, rule policy) govern the process, not the "
          "definitions.", setting("name", "publisher", "tagPrefix", "requireNotes", "policy"),
          scope=Scope.ONTOLOGY),
    _rule(UNCLASSIFIED, M, "unclassified change to {field}", "No rule recognises this change. "
          "A silent pass would be a false negative, so the release is blocked until a rule "
          "covers it or a change note waives it with a justification.", anything,
          blocking=True),
)


def _registry(rules: tuple[ChangeRule, ...]) -> Mapping[str, ChangeRule]:
    registry: dict[str, ChangeRule] = {}
    for rule in rules:
        if rule.id in registry:
            raise ValueError(f"change rule {rule.id} registered twice")
        registry[rule.id] = rule
    if list(registry)[-1] != UNCLASSIFIED:
        raise ValueError(f"{UNCLASSIFIED} must be the last change rule: it fires for anything")
    return registry


CHANGE_RULES: Mapping[str, ChangeRule] = _registry(_CATALOG)
POLICY_LEVELS = ("major", "minor", "patch", "none", "blocking")


def with_policy(policy: Mapping[str, str]) -> Mapping[str, ChangeRule]:
    """The catalog with the levels of ontology.yaml's `policy` applied, in catalog order."""
    rules = dict(CHANGE_RULES)
    for rule_id, level in policy.items():
        if rule_id not in rules:
            continue  # validation reports unknown ids
        if level == "blocking":
            rules[rule_id] = replace(rules[rule_id], blocking=True)
        elif level in POLICY_LEVELS:
            rules[rule_id] = replace(rules[rule_id], bump=Bump.parse(level), blocking=False)
    return rules


def rule_for(difference: Difference, rules: Mapping[str, ChangeRule]) -> ChangeRule:
    """The first rule of `rules` whose trigger fires for `difference` (`unclassified` at worst)."""
    return next((rule for rule in rules.values() if rule.fires(difference)),
                rules[UNCLASSIFIED])


def classify(difference: Difference, rules: Mapping[str, ChangeRule], **fields: str) -> Change:
    """The difference as a Change under its rule; `fields` fill the message's other names."""
    rule = rule_for(difference, rules)
    return make_change(rule, difference.field, _shown(difference.old), _shown(difference.new),
                       **fields)


def make_change(rule: ChangeRule, path: str, old: Any, new: Any, **fields: str) -> Change:
    """A Change under `rule`, its message filled in."""
    message = rule.message.format(field=path, **fields) if "{" in rule.message else rule.message
    return Change(rule.id, rule.bump, path, old, new, message, blocking=rule.blocking)


def _shown(value: Any) -> Any:
    return None if value is ABSENT else value  # output writes absence as null, as it always has
