"""Data walks downhill: no module imports one of a higher layer (README, "Module map").

Every import of every module counts, the ones inside functions (kept lazy for start-up) and
under `TYPE_CHECKING` too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ontology_tools"

# Low to high. A module may import its own layer and the layers below it.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"", "model", "kpi", "errors", "layout", "canonical", "dates", "records", "yamlio",
               "gitrepo", "schemas", "refformat", "runtime"}),
    frozenset({"snapshots"}),
    frozenset({"project"}),
    frozenset({"classify"}),
    frozenset({"validation"}),
    frozenset({"edit", "review"}),
    frozenset({"render"}),
    frozenset({"release"}),
    frozenset({"cli", "__main__"}),
)


def layer_of(module: str) -> int:
    """The layer of a dotted module name inside the package ('' is the package itself)."""
    room = module.split(".")[0]
    for number, rooms in enumerate(LAYERS):
        if room in rooms:
            return number
    raise AssertionError(f"ontology_tools.{module} belongs to no layer: add it to LAYERS")


def module_name(path: Path) -> str:
    """`ontology_tools/classify/plan.py` -> `classify.plan`; a package is its `__init__`."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imported_modules(path: Path) -> set[str]:
    """The package modules `path` imports, as dotted names relative to the package."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "ontology_tools":  # `from ontology_tools import yamlio`
                found |= {f"ontology_tools.{alias.name}" for alias in node.names}
            else:
                found.add(node.module)
        elif isinstance(node, ast.ImportFrom):
            raise AssertionError(f"{path}: relative import; the package imports absolutely")
    return {name.removeprefix("ontology_tools").removeprefix(".") for name in found
            if name == "ontology_tools" or name.startswith("ontology_tools.")}


def upward_imports(here: str, imports: set[str]) -> list[str]:
    """Each of module `here`'s `imports` from a higher layer, as 'a -> b'."""
    return sorted(f"{here} -> {there}" for there in imports
                  if there != "__version__" and layer_of(there) > layer_of(here))


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p) or "ontology_tools")
def test_no_module_imports_a_higher_layer(path: Path) -> None:
    assert upward_imports(module_name(path), imported_modules(path)) == []


def test_every_room_of_the_package_has_a_layer() -> None:
    rooms = {p.stem for p in PACKAGE.glob("*.py")} | {
        p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    for room in rooms - {"__init__"}:
        layer_of(room)


def test_at_most_fourteen_top_level_modules() -> None:
    assert len(list(PACKAGE.glob("*.py"))) <= 14


def test_the_check_catches_an_upward_import(tmp_path: Path) -> None:
    # the check itself must be able to fail: a model importing the CLI, lazily, is caught
    module = PACKAGE / "model.py"
    text = module.read_text(encoding="utf-8") + (
        "\n\ndef _late() -> None:\n    from ontology_tools.cli import main\n")
    fake = tmp_path / "model.py"
    fake.write_text(text, encoding="utf-8")
    assert upward_imports("model", imported_modules(fake)) == ["model -> cli"]
