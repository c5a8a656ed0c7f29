"""The rename several tests share: customers_churned becomes churned_customers."""

from __future__ import annotations

from pathlib import Path

from tests.classify.conftest import edit_kpi

OLD, NEW = "customers.customers_churned", "customers.churned_customers"


def rename_churned_files(root: Path) -> None:
    """OLD becomes NEW (it supersedes OLD); the KPIs that relate to it follow. No notes."""
    old = root / "ontology/customers/customers_churned.yaml"
    text = old.read_text(encoding="utf-8").replace(OLD, NEW).replace(
        "slug: customers_churned", "slug: churned_customers")
    (root / "ontology/customers/churned_customers.yaml").write_text(text, encoding="utf-8")
    old.unlink()
    edit_kpi(root, NEW, lambda kpi: kpi.insert(len(kpi), "supersedes", [OLD]))
    for rogue_id in ("customers.total_customers", "customers.logo_churn_rate"):
        edit_kpi(root, rogue_id, lambda kpi: kpi.__setitem__(
            "relatedKpiIds", [NEW if r == OLD else r for r in kpi["relatedKpiIds"]]))
