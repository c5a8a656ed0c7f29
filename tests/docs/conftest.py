"""Docs-site fixtures: the mini ontology's site and a site with a hostile KPI."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from ontology_tools.render.docs.site import build_site
from ontology_tools.render.docs.sources import WorktreeOntology, read_worktree
from tests.docs.site_reading import HOSTILE, HOSTILE_ID, STAND_IN_RULES, hostile_kpi


@pytest.fixture
def mini_ontology(mini: Path) -> WorktreeOntology:
    """The KPIs and settings of a copy of tests/fixtures/mini."""
    return read_worktree(mini)


@pytest.fixture
def build(tmp_path: Path) -> Callable[..., Path]:
    """Build a site from given KPIs into a fresh folder and return the folder."""
    counter = iter(range(1000))

    def run(source: WorktreeOntology, kpis: Mapping[str, Mapping[str, Any]] | None = None,
            **options: Any) -> Path:
        out = tmp_path / f"site{next(counter)}"
        options.setdefault("rules", STAND_IN_RULES)
        build_site(source.kpis if kpis is None else kpis, source.settings, out, **options)
        return out

    return run


@pytest.fixture
def mini_site(mini_ontology: WorktreeOntology, build: Callable[..., Path]) -> Path:
    """The documentation site of the mini ontology."""
    return build(mini_ontology)


@pytest.fixture
def hostile_site(mini_ontology: WorktreeOntology, build: Callable[..., Path]) -> Path:
    """The mini ontology plus one KPI whose text tries to inject markup, scripts and templates."""
    kpis = dict(mini_ontology.kpis)
    kpis[HOSTILE_ID] = hostile_kpi(kpis["customers.customer_segments"])
    return build(mini_ontology, kpis, versions={HOSTILE_ID: f"1.0.0 {HOSTILE}"})
