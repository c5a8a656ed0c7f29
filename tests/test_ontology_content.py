"""Invariants of the shipped ontology content that schema and vocabulary validation do not cover.

Coverage (how many KPIs, in how many domains), connectedness (no orphan KPI), distinctness (no
two KPIs share a label or a formula), and the README's domain table being generated from the
ontology rather than maintained by hand.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology"
README = ROOT / "README.md"
START_MARKER = "<!-- domains:start -->"
END_MARKER = "<!-- domains:end -->"

MIN_KPIS = 100
MIN_DOMAINS = 8
MIN_KPIS_PER_DOMAIN = 8


def _load(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


@cache
def _domains() -> dict[str, str]:
    """Domain key -> label, in the order declared in ontology.yaml."""
    return dict(_load(ONTOLOGY / "ontology.yaml")["vocabularies"]["domains"])


@cache
def _kpis() -> dict[str, dict[str, Any]]:
    """rogueId -> the `kpi` mapping of every KPI file under ontology/<domain>/."""
    kpis: dict[str, dict[str, Any]] = {}
    for path in sorted(ONTOLOGY.glob("*/*.yaml")):
        kpi = _load(path)["kpi"]
        kpis[kpi["rogueId"]] = kpi
    return kpis


def _counts() -> Counter[str]:
    return Counter(kpi["domain"] for kpi in _kpis().values())


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def domains_table() -> str:
    """The README's domain table, generated from the ontology."""
    counts = _counts()
    lines = ["| Domain | KPIs |", "| --- | --- |"]
    lines += [f"| {label} | {counts.get(key, 0)} |" for key, label in _domains().items()]
    lines.append(f"| **Total** | **{sum(counts.values())}** |")
    return "\n".join(lines)


def readme_section() -> str:
    """The text strictly between the README's domain markers, without surrounding blank lines."""
    lines = README.read_text(encoding="utf-8").splitlines()
    assert lines.count(START_MARKER) == 1, f"README.md needs exactly one {START_MARKER} line"
    assert lines.count(END_MARKER) == 1, f"README.md needs exactly one {END_MARKER} line"
    start, end = lines.index(START_MARKER), lines.index(END_MARKER)
    assert start < end, "the domains start marker must come before the end marker"
    return "\n".join(lines[start + 1 : end]).strip("\n")


def test_at_least_100_kpis() -> None:
    assert len(_kpis()) >= MIN_KPIS, f"only {len(_kpis())} KPIs"


def test_at_least_8_domains_in_use() -> None:
    used = set(_counts())
    assert len(used) >= MIN_DOMAINS, f"KPIs in only {len(used)} domains: {sorted(used)}"


def test_every_declared_domain_has_at_least_8_kpis() -> None:
    counts = _counts()
    thin = {key: counts.get(key, 0) for key in _domains()
            if counts.get(key, 0) < MIN_KPIS_PER_DOMAIN}
    assert not thin, f"domains with fewer than {MIN_KPIS_PER_DOMAIN} KPIs: {thin}"


def test_every_kpi_lives_in_a_declared_domain() -> None:
    unknown = {rid for rid, kpi in _kpis().items() if kpi["domain"] not in _domains()}
    assert not unknown, f"KPIs outside the declared domains: {sorted(unknown)}"


def test_no_orphan_kpi() -> None:
    kpis = _kpis()
    related_from: set[str] = set()
    for rid, kpi in kpis.items():
        related_from.update(other for other in kpi["relatedKpiIds"] if other != rid)
    orphans = sorted(
        rid for rid, kpi in kpis.items() if not kpi["relatedKpiIds"] and rid not in related_from
    )
    assert not orphans, f"KPIs that relate to nothing and are related from nothing: {orphans}"


def test_no_two_kpis_share_a_label() -> None:
    labels = Counter(_normalise(kpi["defaultLabel"]) for kpi in _kpis().values())
    duplicates = sorted(label for label, n in labels.items() if n > 1)
    assert not duplicates, f"labels used by more than one KPI: {duplicates}"


def test_no_two_kpis_share_a_formula() -> None:
    formulas = Counter(_normalise(kpi["formula"]) for kpi in _kpis().values())
    duplicates = [formula[:80] for formula, n in formulas.items() if n > 1]
    assert not duplicates, f"formulas used by more than one KPI: {duplicates}"


def test_readme_domain_table_is_generated_from_the_ontology() -> None:
    expected = domains_table()
    assert readme_section() == expected, (
        "README.md's domain table is out of date; replace the lines between the markers with:\n"
        + expected
    )


ARR_BRIDGE = ("revenue.new_arr", "revenue.expansion_arr", "revenue.contraction_arr",
              "revenue.churned_arr", "revenue.net_new_arr")
LINKED_DOMAIN_PAIRS = (("customers", "finance"), ("customers", "marketing"),
                       ("marketing", "revenue"), ("product", "sales"))
COUNTED_IN_COUNT_UNIT = ("customers.new_customers", "customers.customers_churned",
                         "customers.large_customer_count", "marketing.marketing_qualified_leads",
                         "marketing.sales_accepted_leads", "marketing.sales_qualified_leads",
                         "marketing.product_qualified_leads")


def _linked(a: str, b: str) -> bool:
    kpis = _kpis()
    return b in kpis[a]["relatedKpiIds"] and a in kpis[b]["relatedKpiIds"]


def test_every_rogue_id_named_in_prose_is_a_related_kpi() -> None:
    from ontology_tools.validation.prose_rules import PROSE_FIELDS, ROGUE_ID_TOKEN

    kpis = _kpis()
    missing = sorted(
        f"{rid} -> {token}" for rid, kpi in kpis.items() for name in PROSE_FIELDS
        for token in ROGUE_ID_TOKEN.findall(kpi[name])
        if token in kpis and token != rid and token not in kpi["relatedKpiIds"])
    assert not missing, f"prose names KPIs it does not relate to: {missing}"


def test_the_burn_multiple_and_its_two_inputs_link_each_other() -> None:
    assert _linked("efficiency.burn_multiple", "finance.net_burn")
    assert _linked("efficiency.burn_multiple", "revenue.net_new_arr")
    assert _linked("finance.net_burn", "revenue.net_new_arr")


def test_domain_pairs_boards_read_together_are_linked() -> None:
    pairs = {frozenset((kpi["domain"], other.split(".")[0]))
             for kpi in _kpis().values() for other in kpi["relatedKpiIds"]}
    unlinked = [pair for pair in LINKED_DOMAIN_PAIRS if frozenset(pair) not in pairs]
    assert not unlinked, f"domain pairs with no relation at all: {unlinked}"


def test_counts_of_logos_and_leads_use_the_count_unit() -> None:
    assert "count" in _load(ONTOLOGY / "ontology.yaml")["vocabularies"]["units"]
    wrong = {rid: _kpis()[rid]["unit"] for rid in COUNTED_IN_COUNT_UNIT
             if _kpis()[rid]["unit"] != "count"}
    assert not wrong, f"counts not in the count unit: {wrong}"


def test_every_arr_bridge_component_states_the_snapshot_method() -> None:
    unstated = [rid for rid in ARR_BRIDGE
                if "snapshot" not in _normalise(_kpis()[rid]["description"])]
    assert not unstated, f"ARR bridge components that do not state their method: {unstated}"


def test_published_tier_kpis_cite_a_source_that_is_not_the_editorial_team() -> None:
    wrong = sorted(rid for rid, kpi in _kpis().items()
                   if kpi["definitionSource"]["tier"] == "published"
                   and "editorial" in kpi["definitionSource"]["sourceName"].casefold())
    assert not wrong, f"published-tier KPIs citing the editorial team: {wrong}"


def test_the_shipped_ontology_validates_without_a_single_finding() -> None:
    from tests.conftest import run_cli  # the CLI runner; the rest of this module reads YAML only

    result = run_cli(ROOT, "validate", "--format", "json")
    findings = [f"{f['path']}:{f['line']}: {f['rule']}"
                for f in json.loads(result.stdout)["findings"]]
    assert result.exit_code == 0 and not findings, findings
