"""What each documentation page shows, as frozen values built from KPIs, settings and rules.

Templates only lay these values out; every decision about labels, order and links is made here.
Text from source files stays plain `str` (escaped by the templates) or is escaped into `Markup`
by `prose` before any markup is added.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ontology_tools.classify.catalog import TIER_DEMOTED, TIER_PROMOTED, ChangeRule
from ontology_tools.errors import OntologyError
from ontology_tools.kpi import EDITORIAL, PUBLISHED, DefinitionSource, Deprecation, Kpi
from ontology_tools.model import Bump
from ontology_tools.project import Settings
from ontology_tools.render.docs.prose import plain, prose, summary

ROGUE_ID = re.compile(r"^([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)$")
WEB_URL = re.compile(r"^https?://[^\s<>\"'`]+$")
DEFAULT_JSON_BASE = "../kpis"
"""The folder holding `<domain>/<slug>.json`, relative to the site root: a release bundle has
`docs/` (the site) beside `kpis/`, so a KPI page at `docs/kpis/<domain>/<slug>.html` links to
`../../../kpis/<domain>/<slug>.json`."""


class DocsError(OntologyError):
    """The KPIs cannot be documented as given (an id that is not a safe file name)."""


@dataclass(frozen=True)
class Link:
    """A reference to another KPI: its id as text and its page (site-root relative) if known."""

    text: str
    page: str | None


@dataclass(frozen=True)
class Source:
    """Where a KPI's definition comes from, ready for the tier box and the Source section."""

    editorial: bool  # no published standard is cited
    tier_label: str
    name: str
    section: str
    url: str | None  # the address, when it is a web link
    url_text: str
    date: str
    notice: str


@dataclass(frozen=True)
class KpiView:
    """Everything one KPI page shows."""

    rogue_id: str
    domain: str
    slug: str
    page: str
    domain_label: str
    label: str
    description: Markup
    summary: str
    type_label: str
    unit_label: str
    version: str | None
    source: Source
    formula: Markup
    why: Markup
    interpretation: Markup
    related: tuple[Link, ...]
    supersedes: tuple[Link, ...]
    stage_rows: tuple[tuple[str, str], ...]  # (stage, relevance level), both labelled
    suggested: tuple[str, ...]
    owners: tuple[str, ...]
    json_href: str
    deprecation: Deprecation | None
    replacement: Link | None  # the KPI a deprecation points to


@dataclass(frozen=True)
class KpiSummary:
    """What the index and the methodology show of a KPI: cheap to make for every KPI at once."""

    rogue_id: str
    domain: str
    page: str
    label: str
    summary: str
    version: str | None
    source: Source
    deprecated: bool


@dataclass(frozen=True)
class DomainSection:
    """One domain of the index with its KPIs, sorted by label."""

    key: str
    label: str
    kpis: tuple[KpiSummary, ...]


@dataclass(frozen=True)
class Methodology:
    """The methodology page: the rule table, the tiers, and the bumps the text refers to."""

    rules: tuple[ChangeRule, ...]  # the catalog's order; templates write `rationale | prose`
    editorial_label: str
    published_label: str
    promotion_level: str
    demotion_level: str
    published_kpis: tuple[KpiSummary, ...]
    editorial_count: int


def split_id(rogue_id: str) -> tuple[str, str]:
    """`<domain>.<slug>` → (domain, slug); refuse anything that is not a safe file name."""
    match = ROGUE_ID.match(rogue_id)
    if not match:
        raise DocsError(f"KPI id {rogue_id!r} is not <domain>.<slug> in lower-case letters, "
                        "digits and underscores (run `ontology validate`)")
    return match.group(1), match.group(2)


def page_for(rogue_id: str) -> str:
    """The page of a KPI, relative to the site root."""
    domain, slug = split_id(rogue_id)
    return f"kpis/{domain}/{slug}.html"


def json_href(rogue_id: str, json_base: str) -> str:
    """The link from a KPI page to the KPI's JSON; `json_base` is relative to the site root."""
    domain, slug = split_id(rogue_id)
    base = json_base.rstrip("/")
    target = f"{base}/{domain}/{slug}.json"
    if WEB_URL.match(base) or base.startswith("/"):
        return target
    return f"../../{target}"


def kpi_view(kpi: Kpi, settings: Settings, known: Set[str], *, version: str | None,
             json_base: str) -> KpiView:
    """Build one KPI page's values; `known` holds the ids that have a page to link to."""
    vocab = settings.vocabulary
    entry = kpi_summary(kpi, settings, version=version)
    _, slug = split_id(kpi.rogue_id)
    return KpiView(
        rogue_id=kpi.rogue_id, domain=entry.domain, slug=slug, page=entry.page,
        domain_label=vocab.domains.get(entry.domain, entry.domain), label=entry.label,
        description=prose(kpi.description), summary=entry.summary,
        type_label=_label(vocab.field_types, kpi.field_type),
        unit_label=_label(vocab.units, kpi.unit) if kpi.unit is not None else "",
        version=version, source=entry.source,
        formula=prose(kpi.formula), why=prose(kpi.why_it_matters),
        interpretation=prose(kpi.interpretation),
        related=_links(kpi.related, known), supersedes=_links(kpi.supersedes, known),
        stage_rows=stage_rows(kpi.relevance, settings),
        suggested=tuple(vocab.stages.get(s, s) for s in _in_stage_order(kpi.stages, vocab.stages)),
        owners=kpi.owners, json_href=json_href(kpi.rogue_id, json_base),
        deprecation=kpi.deprecation, replacement=_replacement(kpi.deprecation, known),
    )


def kpi_summary(kpi: Kpi, settings: Settings, *, version: str | None) -> KpiSummary:
    """A KPI's line in the index and its row in the methodology."""
    domain, _ = split_id(kpi.rogue_id)
    return KpiSummary(
        rogue_id=kpi.rogue_id, domain=domain, page=page_for(kpi.rogue_id),
        label=kpi.label or kpi.rogue_id, summary=summary(kpi.description),
        version=version, source=source_view(kpi.source, settings),
        deprecated=kpi.deprecation is not None)


def source_view(source: DefinitionSource, settings: Settings) -> Source:
    """The definition's source as display values; a URL is linked only if it is http(s)."""
    url = plain(source.url)
    return Source(
        editorial=source.is_editorial,
        tier_label=settings.vocabulary.tiers.get(source.tier, source.tier),
        name=plain(source.name), section=plain(source.section),
        url=url if WEB_URL.match(url) else None, url_text=url,
        date=plain(source.published_on), notice=plain(source.notice),
    )


def stage_rows(relevance: Iterable[tuple[str, str]],
               settings: Settings) -> tuple[tuple[str, str], ...]:
    """The stages present in stageRelevance, in the vocabulary's stage order, with labels."""
    vocab = settings.vocabulary
    levels = dict(relevance)
    return tuple((vocab.stages.get(stage, stage), _label(vocab.relevance_levels, levels[stage]))
                 for stage in _in_stage_order(tuple(levels), vocab.stages))


def domain_sections(views: Iterable[KpiSummary],
                    settings: Settings) -> tuple[DomainSection, ...]:
    """KPIs grouped by domain: vocabulary order first, then unknown domains by key."""
    by_domain: dict[str, list[KpiSummary]] = {}
    for view in views:
        by_domain.setdefault(view.domain, []).append(view)
    order = [d for d in settings.vocabulary.domains if d in by_domain]
    order += sorted(d for d in by_domain if d not in settings.vocabulary.domains)
    return tuple(
        DomainSection(key, settings.vocabulary.domains.get(key, key),
                      tuple(sorted(by_domain[key], key=lambda v: (v.label.casefold(), v.rogue_id))))
        for key in order)


def methodology(rules: Sequence[ChangeRule], views: Iterable[KpiSummary],
                settings: Settings) -> Methodology:
    """The methodology page's values: rules in catalog order, tiers and their KPIs."""
    levels = {rule.id: rule.level for rule in rules}
    all_views = sorted(views, key=lambda v: v.rogue_id)
    tiers = settings.vocabulary.tiers
    return Methodology(
        rules=tuple(rules),
        editorial_label=tiers.get(EDITORIAL, EDITORIAL),
        published_label=tiers.get(PUBLISHED, PUBLISHED),
        promotion_level=levels.get(TIER_PROMOTED, Bump.MINOR.label),
        demotion_level=levels.get(TIER_DEMOTED, Bump.MAJOR.label),
        published_kpis=tuple(v for v in all_views if not v.source.editorial),
        editorial_count=sum(1 for v in all_views if v.source.editorial),
    )


def _label(labels: Mapping[str, str], value: Any) -> str:
    key = plain(value)
    return labels.get(key, key)


def _in_stage_order(stages: Sequence[str], order: Mapping[str, str]) -> tuple[str, ...]:
    rank = {stage: index for index, stage in enumerate(order)}
    return tuple(sorted(stages, key=lambda s: (rank.get(s, len(rank)), s)))


def _links(ids: Iterable[str], known: Set[str]) -> tuple[Link, ...]:
    return tuple(Link(rid, page_for(rid) if rid in known else None) for rid in ids)


def _replacement(deprecation: Deprecation | None, known: Set[str]) -> Link | None:
    replaced = deprecation.replaced_by if deprecation is not None else None
    return _links((replaced,), known)[0] if replaced else None
