"""Tests of the pure core on in-memory snapshots: no git, no files."""
