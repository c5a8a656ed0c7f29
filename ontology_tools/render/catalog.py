"""`ontology rules`: the change-rule and validation-rule registries, as text or JSON."""

from __future__ import annotations

from collections.abc import Mapping

from ontology_tools.classify.catalog import with_policy
from ontology_tools.records import json_text
from ontology_tools.validation.registry import RULES


def catalog_json(policy: Mapping[str, str]) -> str:
    """Both registries as one JSON document."""
    document = {
        "changeRules": [{"id": r.id, "level": r.level, "scope": r.scope, "message": r.message,
                         "rationale": r.rationale} for r in with_policy(policy).values()],
        "validationRules": [{"id": r.id, "severity": str(r.severity), "summary": r.summary}
                            for r in RULES.values()],
    }
    return json_text(document)


def catalog_text(policy: Mapping[str, str]) -> str:
    """Aligned tables: change rules with their levels, then validation rules."""
    change_rules = list(with_policy(policy).values())
    width = max(len(r.id) for r in change_rules)
    lines = ["Change rules (ontology diff / plan / release):"]
    lines += [f"  {r.id:<{width}}  {r.level:<8}  {r.message}" for r in change_rules]
    width = max(len(r) for r in RULES)
    lines += ["", "Validation rules (ontology validate):"]
    lines += [f"  {r.id:<{width}}  {r.severity!s:<7}  {r.summary}" for r in RULES.values()]
    return "\n".join(lines) + "\n"
