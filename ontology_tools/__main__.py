"""`python -m ontology_tools` runs the `ontology` command."""

from __future__ import annotations

from ontology_tools.cli import main

if __name__ == "__main__":
    main()
