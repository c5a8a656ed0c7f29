"""Invariants of the shipped ontology content that schema and vocabulary validation do not cover.

Coverage (how many KPIs, in how many domains), connectedness (no orphan KPI), distinctness (no
two KPIs share a label or a formula), and the README's domain table being generated from the
ontology rather than maintained by hand.
"""

from __future__ import annotations

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

MIN_KPIS = 60
MIN_DOMAINS = 6
MIN_KPIS_PER_DOMAIN = 5


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


def test_at_least_60_kpis() -> None:
    assert len(_kpis()) >= MIN_KPIS, f"only {len(_kpis())} KPIs"


def test_at_least_6_domains_in_use() -> None:
    used = set(_counts())
    assert len(used) >= MIN_DOMAINS, f"KPIs in only {len(used)} domains: {sorted(used)}"


def test_every_declared_domain_has_at_least_5_kpis() -> None:
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
