"""The toolkit's one Jinja2 environment: every Markdown and HTML report is rendered from it.

Autoescaping follows the template's name: `.html` templates escape for HTML, `.md.j2` templates
do not (it would escape for the wrong language): there every value from a source goes through
the `md` or `code` filter. Any other template is escaped, so a new one is safe until told not.
"""

from __future__ import annotations

import functools
from typing import Any

import jinja2

from ontology_tools.render.markdown import code, md

# The one policy of every page: no script, no network, only the page's own style and data: images.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@functools.cache
def environment() -> jinja2.Environment:
    """The environment of `ontology_tools/templates`, built once; strict about undefined names."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ontology_tools", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",),
                                            disabled_extensions=("md.j2",), default=True,
                                            default_for_string=True),
        undefined=jinja2.StrictUndefined, auto_reload=False,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    from ontology_tools.render.docs.prose import prose  # render.docs imports this module

    env.filters.update(md=md, code=code, prose=prose)
    env.globals["csp"] = CONTENT_SECURITY_POLICY
    return env


def render(template: str, **values: Any) -> str:
    """Render `templates/<template>` with `values`."""
    return environment().get_template(template).render(**values)
