"""One Jinja environment, one base page: the policy is written once and every page carries it."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import ontology_tools
from ontology_tools.model import Bump, Change, KpiPlan, Plan, Status
from ontology_tools.render.review import review_page
from ontology_tools.render.templating import CONTENT_SECURITY_POLICY, environment
from tests.support.pages import parsed

PACKAGE = Path(ontology_tools.__file__).parent
TEMPLATES = PACKAGE / "templates"
PARTIALS = {"docs/kpi_disputes.html", "docs/kpi_open_disputes.html", "docs/kpi_related.html",
            "review/dispute_changes.html"}  # included into a page, never a page of their own


def _name(path: Path) -> str:
    return path.relative_to(TEMPLATES).as_posix()


def test_the_package_builds_exactly_one_jinja_environment() -> None:
    built = [(_name_of(path), line) for path in sorted(PACKAGE.rglob("*.py"))
             for line in path.read_text(encoding="utf-8").splitlines()
             if re.search(r"\bEnvironment\(", line)]
    assert built == [("render/templating.py", built[0][1])], built
    assert environment() is environment()


def _name_of(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def test_autoescaping_follows_the_template_suffix() -> None:
    escape = environment().autoescape
    assert callable(escape)
    assert escape("review/review.html") and escape("docs/kpi.html")
    assert not escape("plan/plan.md.j2") and not escape("release/changelog_section.md.j2")
    assert escape("anything/else.txt"), "a template of no known kind is escaped"


def test_the_policy_is_written_in_one_template_only() -> None:
    holding = [_name(p) for p in sorted(TEMPLATES.rglob("*")) if p.is_file()
               and ("Content-Security-Policy" in p.read_text(encoding="utf-8")
                    or "default-src" in p.read_text(encoding="utf-8"))]
    assert holding == ["page.html"]


def test_every_html_page_extends_the_one_base_page() -> None:
    parents = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        found = re.search(r'{%\s*extends\s+"([^"]+)"\s*%}', path.read_text(encoding="utf-8"))
        parents[_name(path)] = found.group(1) if found else None
    for name, parent in parents.items():
        if name in PARTIALS or name == "page.html":
            assert parent is None, name
            continue
        while parent is not None and parent != "page.html":
            parent = parents[parent]
        assert parent == "page.html", f"{name} does not extend page.html"


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.policies: list[str | None] = []
        self.styles = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and values.get("http-equiv") == "Content-Security-Policy":
            self.policies.append(values.get("content"))
        self.styles += tag == "style"


def test_a_review_page_carries_the_policy_once_and_its_own_style() -> None:
    change = Change("formula-changed", Bump.MAJOR, "formula", "<b>old</b>", "<b>new</b>",
                    "formula changed")
    plan = Plan("v1.0.0", "1.0.0", "WORKTREE", "1.0.0", "2.0.0", Bump.MAJOR, (),
                (KpiPlan("sales.arr", Status.CHANGED, "1.0.0", "2.0.0", Bump.MAJOR,
                         (change,)),), ())
    page = review_page(plan)
    head = parsed(_Head(), page)
    assert head.policies == [CONTENT_SECURITY_POLICY]
    assert head.styles == 1
    assert page.startswith("<!doctype html>\n") and page.endswith("</html>\n")
    assert "<b>" not in page and "&lt;b&gt;" in page
