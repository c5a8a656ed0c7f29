"""What a dispute reviewer reads: KPI history, `show`, dispute records and their review."""
