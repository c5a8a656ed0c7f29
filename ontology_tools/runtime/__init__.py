"""How the toolkit runs, whatever the domain: atomic writes, worker pools, progress, terminal."""
