"""The static documentation site of the ontology (`ontology docs`, and `docs/` in each bundle)."""

from __future__ import annotations

from ontology_tools.render.docs.site import build_site, render_site, write_kpi_json
from ontology_tools.render.docs.views import DEFAULT_JSON_BASE, DocsError

__all__ = ["DEFAULT_JSON_BASE", "DocsError", "build_site", "render_site", "write_kpi_json"]
