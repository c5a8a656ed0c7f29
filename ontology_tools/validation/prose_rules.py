"""Checks of a KPI's prose against its declared relations."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ontology_tools.model import Severity
from ontology_tools.validation.context import KpiFile, OntologyContext
from ontology_tools.validation.registry import Issue, kpi_rule

# The fields a reader reads as text; an id named there is a relation the KPI relies on.
PROSE_FIELDS = ("description", "formula", "whyItMatters", "interpretationGuidance")

# A whole token shaped like `domain.slug` (not the tail of a longer word, path or address);
# only tokens that are the id of an existing KPI count, so "e.g." never becomes a finding.
ROGUE_ID_TOKEN = re.compile(r"(?<![\w./-])[a-z0-9_]+\.[a-z0-9_]+(?![\w/-]|\.\w)")


@kpi_rule("prose-names-unrelated", Severity.WARNING,
          "a KPI's prose names another KPI's rogueId that its relatedKpiIds does not list")
def prose_names_unrelated(kpi_file: KpiFile, ctx: OntologyContext) -> Iterable[Issue]:
    """Warn once per id that the prose names but relatedKpiIds lacks, at its first field."""
    kpi = kpi_file.kpi
    declared = set(kpi["relatedKpiIds"])
    declared.add(kpi["rogueId"])
    reported: set[str] = set()
    for name in PROSE_FIELDS:
        text = kpi.get(name)
        if not isinstance(text, str):
            continue
        for token in ROGUE_ID_TOKEN.findall(text):
            if token in declared or token in reported or not ctx.exists(token):
                continue
            reported.add(token)
            yield Issue(("kpi", name), f"{name} names {token!r} but relatedKpiIds does not "
                        "list it; add it to relatedKpiIds or reword the text")
