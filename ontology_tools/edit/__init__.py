"""What an editor writes: `fmt` (the canonical layout of a KPI file, comments kept)."""
