"""Test support shared by the suites: in-memory values instead of repositories."""
