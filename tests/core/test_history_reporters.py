"""The history Markdown on a history built by hand: the disputes listed below the releases' table,
byte for byte, every value from a dispute file escaped."""

from __future__ import annotations

from ontology_tools.project.disputes import Dispute, DisputeStatus, Resolution
from ontology_tools.render.history import history_markdown
from ontology_tools.review.history import History

ARR = "sales.new_arr"
TABLE = ("### History of `sales.new_arr`\n\n"
         "| Ontology | Date | KPI version | Bump | What happened | Changes | Notes | Editors "
         "| Released by |\n"
         "|---|---|---|---|---|---|---|---|---|\n")


def _dispute(number: int, status: DisputeStatus, claim: str, *, kpis: tuple[str, ...] = (ARR,),
             against: str | None = None, resolution: Resolution | None = None) -> Dispute:
    ident = f"D-2026-00{number}"
    return Dispute(ident, f"changelog/disputes/{ident}.yaml", kpis, f"2026-05-1{number}",
                   "Audit_committee <ACME>", claim, status, against, resolution=resolution)


OPEN = _dispute(1, DisputeStatus.OPEN, "ARR | MRR?\n<b>twice</b> *counted* at $0")
UPHELD = _dispute(2, DisputeStatus.UPHELD, "# Not a heading", kpis=(ARR, "sales.mrr"),
                  against="1.0.0",
                  resolution=Resolution("2026-05-20", "Fixed [it](https://x.test).", "2.0.0"))
REJECTED = _dispute(3, DisputeStatus.REJECTED, "- not a list",
                    resolution=Resolution("2026-05-25", "Not found_ in the audit."))


def test_a_history_without_disputes_is_the_table_alone() -> None:
    assert history_markdown(History(ARR, ())) == TABLE


def test_each_dispute_is_raised_and_decided_below_the_table_byte_for_byte() -> None:
    out = history_markdown(History(ARR, (), disputes=(OPEN, UPHELD, REJECTED)))
    assert out == TABLE + (
        "\n#### Disputes of `sales.new_arr`\n\n"
        # the KPI's own dispute names no KPI; one with no version disputed says no "against"
        r"- **D-2026-001** · open · raised 2026-05-11 by Audit\_committee \<ACME\>: "
        r"ARR \| MRR? \<b\>twice\</b\> \*counted\* at \$0" "\n"
        # a dispute about more KPIs names them all, as code (no escape inside a code span)
        r"- **D-2026-002** · upheld (`sales.new_arr`, `sales.mrr`) · raised 2026-05-12 by "
        r"Audit\_committee \<ACME\> against 1.0.0: # Not a heading" "\n"
        r"  - upheld on 2026-05-20, resolved by release 2.0.0: Fixed \[it\](https://x.test)." "\n"
        r"- **D-2026-003** · rejected · raised 2026-05-13 by Audit\_committee \<ACME\>: "
        r"- not a list" "\n"
        r"  - rejected on 2026-05-25: Not found\_ in the audit." "\n")
