"""The prose-names-unrelated rule: an id named in a KPI's text must be among its relations."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from ontology_tools.project import Settings
from ontology_tools.validation.context import KpiFile, OntologyContext
from ontology_tools.validation.prose_rules import PROSE_FIELDS, prose_names_unrelated
from tests.conftest import run_cli

KNOWN = ("sales.arr", "customers.total_customers", "customers.customer_segments",
         "revenue.net_new_arr")


def _kpi(rogue_id: str = "sales.arr", related: tuple[str, ...] = (),
         **prose: str) -> KpiFile:
    kpi: dict[str, Any] = {"rogueId": rogue_id, "relatedKpiIds": list(related)}
    kpi.update({name: "Plain text." for name in PROSE_FIELDS})
    kpi.update(prose)
    domain, slug = rogue_id.split(".")
    return KpiFile(f"ontology/{domain}/{slug}.yaml", {"kpi": kpi})


def _ctx(ids: tuple[str, ...] = KNOWN, unreadable: tuple[str, ...] = ()) -> OntologyContext:
    kpis: Mapping[str, KpiFile] = {rogue_id: _kpi(rogue_id) for rogue_id in ids}
    return OntologyContext(settings=Settings.from_config({}), kpis=kpis,
                           ids_by_path={k.path: i for i, k in kpis.items()},
                           unreadable_ids=frozenset(unreadable))


def _named(kpi_file: KpiFile, ctx: OntologyContext | None = None) -> list[tuple[str, str]]:
    return [(str(issue.at[1]), issue.message.split("'")[1])
            for issue in prose_names_unrelated(kpi_file, ctx or _ctx())]


@pytest.mark.parametrize("field", PROSE_FIELDS)
def test_an_unlisted_id_in_any_prose_field_is_reported_at_that_field(field: str) -> None:
    kpi = _kpi(**{field: "Read with customers.customer_segments."})
    assert _named(kpi) == [(field, "customers.customer_segments")]


def test_a_listed_id_the_kpi_itself_and_ids_of_no_kpi_are_not_reported() -> None:
    kpi = _kpi(related=("customers.customer_segments",),
               description="This is sales.arr; see customers.customer_segments, e.g. the "
               "segments view, and sales.retired_metric, which no file defines.")
    assert _named(kpi) == []


def test_an_id_named_in_several_fields_is_reported_once_at_the_first() -> None:
    kpi = _kpi(formula="Divide by customers.total_customers.",
               interpretationGuidance="Compare with `customers.total_customers` and "
               "revenue.net_new_arr; again customers.total_customers.")
    assert _named(kpi) == [("formula", "customers.total_customers"),
                           ("interpretationGuidance", "revenue.net_new_arr")]


@pytest.mark.parametrize("text", [
    "See xsales.arr for nothing.",
    "The file kpis/sales.arr.json is a bundle path.",
    "Open https://example.com/customers.total_customers for the page.",
    "A longer name sales.arr_history is another id.",
    "Snake-case sales.arr-like tokens are not ids.",
])
def test_an_id_inside_a_longer_token_is_not_a_mention(text: str) -> None:
    assert _named(_kpi(rogue_id="revenue.net_new_arr", description=text)) == []


@pytest.mark.parametrize("text", ["(sales.arr)", "`sales.arr`", "sales.arr.", "sales.arr,",
                                  "“sales.arr”", "sales.arr;"])
def test_punctuation_around_an_id_still_names_it(text: str) -> None:
    assert _named(_kpi(rogue_id="revenue.net_new_arr", description=f"Read {text}")) == [
        ("description", "sales.arr")]


def test_a_kpi_whose_file_failed_to_load_still_counts_as_existing() -> None:
    ctx = _ctx(ids=("sales.arr",), unreadable=("customers.total_customers",))
    kpi = _kpi(description="Divide by customers.total_customers.")
    assert _named(kpi, ctx) == [("description", "customers.total_customers")]


def test_validate_reports_it_as_a_warning_and_exits_zero(mini: Path) -> None:
    path = mini / "ontology" / "customers" / "total_customers.yaml"
    text = path.read_text(encoding="utf-8")
    mention = "    Split it with customers.customer_segments.\n"
    path.write_text(text.replace("whyItMatters: >-\n", "whyItMatters: >-\n" + mention, 1),
                    encoding="utf-8")
    result = run_cli(mini, "validate")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line]
    assert len(lines) == 1
    assert lines[0].startswith("ontology/customers/total_customers.yaml:")
    assert " warning prose-names-unrelated " in lines[0]
    assert "'customers.customer_segments'" in lines[0]
