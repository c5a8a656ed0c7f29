"""What an editor or a reviewer writes into the repository: `fmt` (the canonical layout of a KPI
file, every comment kept), dispute records."""
