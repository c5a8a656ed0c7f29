"""A test hook for fault injection: `ONTOLOGY_FAULT_AFTER=N` kills the release after write step N.

When the variable is unset a step costs one dictionary lookup. Tests use it to SIGKILL a release
at a chosen point and check that running `release` again finishes it with the same results.
"""

from __future__ import annotations

import os
import signal

FAULT_VARIABLE = "ONTOLOGY_FAULT_AFTER"


class StepCounter:
    """Counts the write steps of one release and kills the process at the configured one."""

    def __init__(self) -> None:
        self.done = 0
        limit = os.environ.get(FAULT_VARIABLE, "")
        self.limit = int(limit) if limit.isdigit() else 0

    def step(self) -> None:
        """Record one finished write step; die on the spot if it is the configured one."""
        self.done += 1
        if self.limit and self.done == self.limit:
            os.kill(os.getpid(), signal.SIGKILL)
