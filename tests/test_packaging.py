"""Installed from a wheel (not editable), the package still carries its schemas and templates."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO


def test_the_wheel_ships_every_schema_and_template(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q",
                    "-w", str(tmp_path)],
                   check=True, capture_output=True, cwd=tmp_path)
    [wheel] = tmp_path.glob("ontology_tools-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    package = REPO / "ontology_tools"
    data = [p for folder in ("schemas", "templates") for p in (package / folder).rglob("*")
            if p.is_file()]
    assert data
    missing = [p.relative_to(REPO).as_posix() for p in data
               if p.relative_to(REPO).as_posix() not in shipped]
    assert missing == []
    assert "ontology_tools/py.typed" in shipped
