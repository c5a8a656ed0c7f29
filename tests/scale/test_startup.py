"""Start-up stays light: the CLI imports nothing heavy until a command needs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import run_cli

HEAVY = ("jsonschema", "deepdiff", "git", "ruamel", "jinja2", "semver")

PROBE = """
import json, sys
{setup}
heavy = {heavy!r}
print(json.dumps(sorted({{name.split('.')[0] for name in sys.modules}} & set(heavy))))
"""


def imported_heavy(setup: str) -> list[str]:
    """The heavy top-level packages in sys.modules after running `setup` in a fresh Python."""
    code = PROBE.format(setup=setup, heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60)
    loaded: list[str] = json.loads(done.stdout.splitlines()[-1])
    return loaded


def test_importing_the_cli_imports_nothing_heavy() -> None:
    assert imported_heavy("import ontology_tools.cli") == []


def test_help_imports_nothing_heavy() -> None:
    setup = ("from ontology_tools.cli import main\n"
             "try:\n    main(['--help'], prog_name='ontology')\nexcept SystemExit:\n    pass")
    assert imported_heavy(setup) == []


def test_a_warm_validate_imports_nothing_heavy(mini_repo: Path) -> None:
    """A replayed run needs neither YAML nor JSON Schema, git, semver nor any template engine."""
    assert run_cli(mini_repo, "validate").exit_code == 0  # the run to replay
    setup = ("from ontology_tools.cli import main\n"
             f"try:\n    main(['--root', {str(mini_repo)!r}, 'validate'], prog_name='ontology')\n"
             "except SystemExit:\n    pass")
    assert imported_heavy(setup) == []
