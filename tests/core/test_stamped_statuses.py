"""Which KPIs a release stamps, by status: every one that has a next version, restored too."""

from __future__ import annotations

from pathlib import Path

from ontology_tools import yamlio
from ontology_tools.model import ONTOLOGY_FILE, Bump, KpiPlan, Plan, Status, kpi_path_for
from ontology_tools.release.prepare import stamped_texts

TC, ARR = "customers.total_customers", "sales.arr"


def test_a_restored_kpi_is_stamped_with_its_continued_version_and_a_removed_one_is_not(
        mini: Path) -> None:
    kpis = (KpiPlan(TC, Status.RESTORED, "1.4.0", "1.5.0", Bump.MINOR, ()),
            KpiPlan(ARR, Status.REMOVED, "1.2.0", None, Bump.MAJOR, ()))
    plan = Plan("v1.2.0", "1.2.0", "WORKTREE", "1.2.0", "2.0.0", Bump.MAJOR, (), kpis, ())
    texts = stamped_texts(mini, plan, "2.0.0", "2026-06-01")
    assert set(texts) == {kpi_path_for(TC), ONTOLOGY_FILE}
    stamped = yamlio.load_fast(texts[kpi_path_for(TC)].encode())
    assert (stamped["version"], str(stamped["releasedAt"])) == ("1.5.0", "2026-06-01")


def test_every_status_but_removed_is_stamped() -> None:
    assert {status for status in Status if status.is_stamped} == {
        Status.ADDED, Status.CHANGED, Status.RENAMED, Status.RESTORED}
