"""From two snapshots to a plan: DeepDiff per changed KPI, rules from one catalog, bumps."""
