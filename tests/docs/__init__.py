"""Tests of the static documentation site."""
