"""The one registry of change rules: id, bump level, message and rationale.

`ontology rules`, the classifier and the methodology page all read `CHANGE_RULES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from ontology_tools.model import Bump


@dataclass(frozen=True)
class ChangeRule:
    """A kind of change and the version bump it deserves."""

    id: str
    bump: Bump
    message: str
    rationale: str
    blocking: bool = False
    scope: str = "kpi"  # "kpi": bumps the KPI; "ontology": bumps only the ontology

    @property
    def level(self) -> str:
        """The level as written in policies and output: major … none, or blocking."""
        return "blocking" if self.blocking else self.bump.label


def _rule(rule_id: str, bump: Bump, message: str, rationale: str, *, blocking: bool = False,
          scope: str = "kpi") -> ChangeRule:
    return ChangeRule(rule_id, bump, message, rationale, blocking=blocking, scope=scope)


M, m, p, n = Bump.MAJOR, Bump.MINOR, Bump.PATCH, Bump.NONE
_CATALOG = (
    _rule("kpi-added", m, "KPI added", "A new definition gives consumers something new without "
          "changing anything they already rely on: a minor release of the ontology, and the KPI "
          "starts its own history at 1.0.0.", scope="ontology"),
    _rule("kpi-removed", M, "KPI removed", "Every board deck and integration that reads the KPI "
          "breaks when it disappears, so removal is a major release of the ontology. Deprecate "
          "first (a minor release) to give consumers time.", scope="ontology"),
    _rule("kpi-renamed", M, "KPI renamed (supersedes {previous})", "A new rogueId is a new "
          "address: everything that pointed at the old id must move, so a rename is major for the "
          "ontology and the renamed KPI; `supersedes` keeps its history connected."),
    _rule("field-type-changed", M, "field type changed", "A different field type changes what a "
          "value means and how it is entered and charted; past values are no longer comparable."),
    _rule("unit-changed", M, "unit changed", "A different unit makes every stored and reported "
          "value wrong by a factor unless it is converted: past and future values disagree."),
    _rule("formula-changed", M, "formula changed", "The formula is the definition: two analysts "
          "following the old and the new formula compute different numbers, so history and "
          "benchmarks stop being comparable."),
    _rule("formula-reflowed", p, "formula reflowed (whitespace only)", "Only spacing or line "
          "breaks changed; the computed number cannot differ."),
    _rule("time-basis-changed", M, "time basis changed", "A point-in-time value and a period "
          "total are different quantities; charts and comparisons across the change break."),
    _rule("production-changed", m, "production changed", "Whether a KPI is reported directly or "
          "derived changes how it is collected, not what it means."),
    _rule("tier-promoted", m, "tier promoted from editorial to published", "Back-attribution: "
          "the definition is now anchored in a public standard. Consumers gain a citation; "
          "nothing they rely on breaks."),
    _rule("tier-demoted", M, "tier demoted from published to editorial", "A definition that "
          "loses its public standard can no longer be cited as one; anyone relying on the "
          "attribution must re-check it."),
    _rule("source-changed", p, "source details changed", "The citation (name, URL, section, "
          "date, notice) was corrected; the definition itself is unchanged."),
    _rule("stages-changed", m, "suggested stages changed", "Which companies are asked to "
          "report the KPI changes; reports at the affected stages gain or lose a field."),
    _rule("stage-relevance-changed", m, "stage relevance changed", "The priority of the KPI at "
          "some stage changed, which changes what boards at that stage are shown."),
    _rule("maturity-changed", m, "maturity changed", "The KPI moved between general, emerging "
          "and experimental use: consumers should re-read how much to trust it."),
    _rule("kpi-deprecated", m, "KPI deprecated", "Deprecation announces a future removal "
          "without breaking anything yet."),
    _rule("deprecation-changed", p, "deprecation details changed", "The date, reason or "
          "replacement of an existing deprecation was edited."),
    _rule("kpi-undeprecated", m, "deprecation withdrawn", "A KPI that was going away stays: "
          "consumers who planned a migration should know."),
    _rule("supersedes-changed", p, "supersedes list changed", "The recorded lineage of the "
          "KPI was corrected; its definition is unchanged."),
    _rule("label-changed", p, "label changed", "The display name changed; the definition and "
          "every value stay the same."),
    _rule("text-changed", p, "{field} changed", "Explanatory prose (description, why it "
          "matters, interpretation) was clarified; the computed number cannot differ. If the "
          "edit changes what is counted, declare a higher bump in the change note."),
    _rule("owners-changed", p, "default owning functions changed", "Who is expected to own "
          "the KPI by default changed; the definition is unchanged."),
    _rule("related-changed", p, "related KPIs changed", "Cross-references were added or "
          "removed; navigation changes, the definition does not."),
    _rule("vocabulary-added", m, "vocabulary value added: {field}", "A new allowed value "
          "extends what KPIs may say without invalidating any existing KPI.", scope="ontology"),
    _rule("vocabulary-removed", M, "vocabulary value removed: {field}", "A value that KPIs or "
          "consumers may rely on is no longer allowed.", scope="ontology"),
    _rule("vocabulary-relabelled", p, "vocabulary label changed: {field}", "Only the display "
          "label of an allowed value changed.", scope="ontology"),
    _rule("settings-changed", n, "ontology settings changed: {field}", "Release settings "
          "(name, tag prefix, notes policy, rule policy) govern the process, not the "
          "definitions.", scope="ontology"),
    _rule("unclassified", M, "unclassified change to {field}", "No rule recognises this change. "
          "A silent pass would be a false negative, so the release is blocked until a rule "
          "covers it or a change note waives it with a justification.", blocking=True),
)

CHANGE_RULES: Mapping[str, ChangeRule] = {rule.id: rule for rule in _CATALOG}
POLICY_LEVELS = ("major", "minor", "patch", "none", "blocking")


def with_policy(policy: Mapping[str, str]) -> Mapping[str, ChangeRule]:
    """The catalog with the levels of ontology.yaml's `policy` applied."""
    rules = dict(CHANGE_RULES)
    for rule_id, level in policy.items():
        if rule_id not in rules:
            continue  # validation reports unknown ids
        if level == "blocking":
            rules[rule_id] = replace(rules[rule_id], blocking=True)
        elif level in POLICY_LEVELS:
            rules[rule_id] = replace(rules[rule_id], bump=Bump.parse(level), blocking=False)
    return rules
