"""Generate a synthetic, valid ontology of N KPIs in a git repository, released once, then edited.

    python benchmarks/generate.py OUT --n 10000 [--seed 7] [--release tool|stamp]

The repository at OUT gets three commits:

1. `Initial ontology`: N KPI files spread over the vocabulary's domains, with realistic prose of
   the length of the real KPIs, relations that resolve, and `ontology.yaml` copied from this
   repository (its vocabularies unchanged).
2. The first release, 1.0.0 on 2026-01-05: made by `ontology release --commit --tag` (the
   default), or with `--release stamp` by stamping the files directly and committing with the
   release trailer and an annotated tag, as the tests' `released` fixture does.
3. `Edit 1% of the KPIs`: a mix of formula, label, stage and tier edits, with a change note.

The output is deterministic for a given N and seed.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
CONFIG_SOURCE = REPOSITORY / "ontology" / "ontology.yaml"
RELEASE_DATE = "2026-01-05"
RELEASE_VERSION = "1.0.0"
EDIT_SHARE = 0.01
TEXT_WIDTH = 96
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Benchmark Editor", "GIT_AUTHOR_EMAIL": "editor@example.com",
    "GIT_COMMITTER_NAME": "Benchmark Editor", "GIT_COMMITTER_EMAIL": "editor@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}

DOMAINS = ("customers", "sales", "revenue", "finance", "efficiency", "product", "marketing",
           "people")
STAGES = ("preSeed", "seed", "seriesA", "seriesB", "seriesC", "public")
LEVELS = ("core", "recommended", "optional")
OWNERS = ("Executive", "Finance", "Sales", "Marketing", "Customer Success", "Product",
          "Engineering", "People")
FIELD_UNITS = (("number", None), ("currency", "USD"), ("percentage", None), ("ratio", None),
               ("duration", "months"), ("duration", "days"), ("number", "people"))
MATURITIES = ("general", "general", "general", "emerging", "experimental")
TIME_BASES = ("point_in_time", "period", "trailing_twelve_months")
PRODUCTIONS = ("primary", "derived")

QUALIFIERS = ("net", "gross", "new", "expansion", "contracted", "blended", "weighted", "average",
              "median", "annualised", "quarterly", "monthly", "cumulative", "active", "paid",
              "organic", "enterprise", "mid_market", "self_serve", "regional", "cohort",
              "trailing", "forward", "committed", "recognised", "deferred", "qualified",
              "retained", "churned", "reactivated")
NOUNS = ("revenue", "customers", "logos", "pipeline", "bookings", "margin", "spend", "burn",
         "headcount", "retention", "churn", "conversion", "payback", "velocity", "coverage",
         "utilisation", "engagement", "adoption", "backlog", "runway", "collections",
         "discounting", "attainment", "tenure", "hiring", "cost", "contribution", "usage",
         "renewals", "seats")
MEASURES = ("rate", "ratio", "count", "total", "share", "growth", "per_rep", "per_customer",
            "per_employee", "days", "months", "index", "yield", "efficiency", "multiple")

SUBJECTS = ("the company", "the board", "the finance team", "the revenue team", "management",
            "the audit committee", "investors", "the operating team", "each business unit",
            "the go-to-market organisation")
VERBS = ("reads", "tracks", "compares", "reconciles", "reviews", "benchmarks", "questions",
         "segments", "forecasts", "annualises")
OBJECTS = ("the trailing four-quarter trend", "the plan approved at the start of the year",
           "the cohort that signed in the same quarter", "the same period of the prior year",
           "the figure reported in the last board pack", "the unit economics of each segment",
           "the definition documented in the metric dictionary", "the audited ledger totals",
           "the pipeline that entered the period", "the headcount plan by function")
CAVEATS = ("Definitions drift as the business adds segments, so settle the counting unit first",
           "One-off items distort the quarter and belong in a footnote, not the headline",
           "Currency movements must be held constant before comparing periods",
           "Small denominators make the ratio noisy in the earliest stages",
           "A change of definition is flagged on the chart, never absorbed silently",
           "Seasonality hides in monthly figures; compare like-for-like months",
           "Trials, pilots and zero-revenue accounts are excluded unless stated",
           "Acquired entities are shown separately until a full year has passed")


@dataclass(frozen=True)
class Kpi:
    """The content of one synthetic KPI, rendered to YAML by `render`."""

    domain: str
    slug: str
    label: str
    description: str
    field_type: str
    unit: str | None
    maturity: str
    relevance: Mapping[str, str]
    owners: tuple[str, ...]
    tier: str
    formula: str
    why: str
    guidance: str
    related: tuple[str, ...]
    time_basis: str
    production: str

    @property
    def rogue_id(self) -> str:
        """`<domain>.<slug>`."""
        return f"{self.domain}.{self.slug}"

    @property
    def path(self) -> str:
        """Where the file lives, relative to the repository."""
        return f"ontology/{self.domain}/{self.slug}.yaml"

    @property
    def suggested(self) -> tuple[str, ...]:
        """The stages whose relevance is core or recommended, in vocabulary order."""
        return tuple(s for s in STAGES if self.relevance[s] in ("core", "recommended"))


def sentence(rng: random.Random) -> str:
    """One plausible sentence of board-reporting prose."""
    return (f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} it against "
            f"{rng.choice(OBJECTS)}. {rng.choice(CAVEATS)}.")


def prose(rng: random.Random, length: int) -> str:
    """Sentences until the text is about `length` characters long."""
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < length:
        parts.append(sentence(rng))
    return " ".join(parts)


def slugs(rng: random.Random, count: int) -> Iterator[str]:
    """`count` distinct, readable slugs."""
    seen: set[str] = set()
    while len(seen) < count:
        slug = f"{rng.choice(QUALIFIERS)}_{rng.choice(NOUNS)}_{rng.choice(MEASURES)}"
        if slug in seen:
            slug = f"{slug}_{len(seen)}"
        seen.add(slug)
        yield slug


def make_kpis(n: int, seed: int) -> list[Kpi]:
    """N KPIs, round-robin over the domains, each related to 2-5 others that exist."""
    rng = random.Random(seed)
    names = list(slugs(rng, n))
    ids = [f"{DOMAINS[i % len(DOMAINS)]}.{names[i]}" for i in range(n)]
    kpis = []
    for index, slug in enumerate(names):
        domain = DOMAINS[index % len(DOMAINS)]
        field_type, unit = rng.choice(FIELD_UNITS)
        relevance = {stage: rng.choice(LEVELS) for stage in STAGES}
        relevance[rng.choice(STAGES)] = "core"
        others = [i for i in rng.sample(range(n), min(n, 6)) if i != index]
        kpis.append(Kpi(
            domain=domain, slug=slug, label=slug.replace("_", " ").title(),
            description=prose(rng, rng.randint(300, 560)), field_type=field_type, unit=unit,
            maturity=rng.choice(MATURITIES), relevance=relevance,
            owners=tuple(sorted(rng.sample(OWNERS, rng.randint(1, 2)), key=OWNERS.index)),
            tier="editorial" if rng.random() < 0.9 else "published",
            formula=prose(rng, rng.randint(110, 240)), why=prose(rng, rng.randint(150, 300)),
            guidance=prose(rng, rng.randint(220, 440)),
            related=tuple(ids[i] for i in others[: rng.randint(2, 5)]),
            time_basis=rng.choice(TIME_BASES), production=rng.choice(PRODUCTIONS)))
    return kpis


def folded(key: str, text: str) -> list[str]:
    """`key: >-` and the text wrapped at TEXT_WIDTH, indented by four spaces."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > TEXT_WIDTH:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return [f"  {key}: >-", *(f"    {text_line}" for text_line in lines)]


def source_lines(kpi: Kpi) -> list[str]:
    """The definitionSource block of either tier."""
    if kpi.tier == "published":
        return ["  definitionSource:", "    tier: published",
                "    sourceName: Board Metrics Standard",
                f"    sourceUrl: https://standards.example.org/metrics/{kpi.slug}",
                "    sectionRef: § 4.2", "    publicationDate: 2025-06-30",
                "    attributionNotice: Adapted from the Board Metrics Standard."]
    return ["  definitionSource:", "    tier: editorial", "    sourceName: imboard Editorial",
            "    sourceUrl: null", "    sectionRef: null", "    publicationDate: 2026-04-01",
            "    attributionNotice: null"]


def render(kpi: Kpi, stamps: Sequence[str] = ()) -> str:
    """The KPI file's text, in the canonical key order and style of the real files."""
    relevance = ", ".join(f"{stage}: {kpi.relevance[stage]}" for stage in STAGES)
    lines = [*stamps, "kpi:", f"  rogueId: {kpi.rogue_id}", f"  slug: {kpi.slug}",
             f"  domain: {kpi.domain}", f"  defaultLabel: {kpi.label}",
             *folded("description", kpi.description), f"  fieldType: {kpi.field_type}",
             f"  unit: {kpi.unit or 'null'}", f"  maturity: {kpi.maturity}",
             f"  suggestedForStages: [{', '.join(kpi.suggested)}]",
             f"  defaultOwningFunctions: [{', '.join(kpi.owners)}]",
             f"  stageRelevance: {{{relevance}}}", *source_lines(kpi),
             *folded("formula", kpi.formula), *folded("whyItMatters", kpi.why),
             *folded("interpretationGuidance", kpi.guidance), "  relatedKpiIds:",
             *(f"    - {related}" for related in kpi.related),
             f"  metricBasis: {{timeBasis: {kpi.time_basis}, production: {kpi.production}}}"]
    return "\n".join(lines) + "\n"


def edited(kpi: Kpi, kind: str, rng: random.Random) -> Kpi:
    """The KPI after one editorial change of the given kind."""
    if kind == "formula":
        return replace(kpi, formula=prose(rng, len(kpi.formula)))
    if kind == "label":
        return replace(kpi, label=f"{kpi.label} (Adjusted)")
    if kind == "stage":
        stage = next((s for s in STAGES if kpi.relevance[s] != "core"), STAGES[0])
        level = "optional" if kpi.relevance[stage] == "core" else "core"
        return replace(kpi, relevance={**kpi.relevance, stage: level})
    return replace(kpi, tier="published" if kpi.tier == "editorial" else "editorial")


def git(root: Path, *args: str) -> str:
    """Run git in `root` with a fixed identity; return its output."""
    done = subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True,
                          env={**os.environ, **GIT_IDENTITY})
    return done.stdout


def write_tree(root: Path, kpis: Sequence[Kpi]) -> None:
    """ontology.yaml and every KPI file."""
    (root / "ontology").mkdir(parents=True)
    (root / "ontology" / "ontology.yaml").write_text(unreleased_config(), encoding="utf-8")
    for domain in DOMAINS:
        (root / "ontology" / domain).mkdir()
    for kpi in kpis:
        (root / kpi.path).write_text(render(kpi), encoding="utf-8")
    (root / ".gitignore").write_text(".ontology-cache/\n/dist/\n", encoding="utf-8")


def unreleased_config() -> str:
    """This repository's ontology.yaml (its vocabularies), as it was before any release."""
    text = CONFIG_SOURCE.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^version: .*$", "version: null", text, count=1)
    return re.sub(r"(?m)^releasedAt: .*$", "releasedAt: null", text, count=1)


def release_with_tool(root: Path) -> None:
    """`ontology release --commit --tag --date 2026-01-05`."""
    subprocess.run([sys.executable, "-m", "ontology_tools", "--root", str(root), "release",
                    "--commit", "--tag", "--date", RELEASE_DATE], check=True,
                   stdout=subprocess.DEVNULL, env={**os.environ, **GIT_IDENTITY})


def release_by_stamping(root: Path, kpis: Sequence[Kpi]) -> None:
    """Stamp, commit with the release trailer and tag, as the tests' `released` fixture does."""
    for kpi in kpis:
        (root / kpi.path).write_text(render(kpi, stamp_lines()), encoding="utf-8")
    config = root / "ontology" / "ontology.yaml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("version: null", f"version: {RELEASE_VERSION}", 1)
    text = text.replace("releasedAt: null", f"releasedAt: {RELEASE_DATE}", 1)
    config.write_text(text, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m",
        f"Release ontology {RELEASE_VERSION}\n\nOntology-Release: {RELEASE_VERSION}")
    git(root, "tag", "-a", f"v{RELEASE_VERSION}", "-m", f"Ontology {RELEASE_VERSION}")


def stamp_lines() -> tuple[str, str]:
    """The two stamp lines of the first release."""
    return f"version: {RELEASE_VERSION}", f"releasedAt: {RELEASE_DATE}"


def edit_share(root: Path, kpis: Sequence[Kpi], seed: int) -> list[str]:
    """Edit 1% of the KPIs (formula, label, stage, tier in turn), write a note, commit."""
    rng = random.Random(seed + 1)
    count = max(4, round(len(kpis) * EDIT_SHARE))
    chosen = sorted(rng.sample(range(len(kpis)), count))
    kinds = ("formula", "label", "stage", "tier")
    ids = []
    for turn, index in enumerate(chosen):
        kpi = kpis[index]
        (root / kpi.path).write_text(render(edited(kpi, kinds[turn % 4], rng), stamp_lines()),
                                     encoding="utf-8")
        ids.append(kpi.rogue_id)
    notes = root / "changelog" / "unreleased"
    notes.mkdir(parents=True, exist_ok=True)
    listed = "\n".join(f"  - {rogue_id}" for rogue_id in ids)
    (notes / "benchmark-edits.yaml").write_text(
        f"kpis:\n{listed}\nsummary: Clarify formulas, labels, stages and tiers of {count} KPIs.\n",
        encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", f"Edit {count} KPIs (1%): formulas, labels, stages, tiers")
    return ids


def generate(root: Path, n: int, seed: int, release: str) -> list[str]:
    """The whole repository; returns the ids of the KPIs edited after the release."""
    if root.exists() and any(root.iterdir()):
        raise SystemExit(f"{root} is not empty")
    root.mkdir(parents=True, exist_ok=True)
    kpis = make_kpis(n, seed)
    write_tree(root, kpis)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", f"Initial ontology of {n} KPIs")
    if release == "tool":
        release_with_tool(root)
    else:
        release_by_stamping(root, kpis)
    return edit_share(root, kpis, seed)


def main(argv: Sequence[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="An empty or missing folder.")
    parser.add_argument("--n", type=int, default=1000, help="How many KPIs (default 1000).")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--release", choices=("tool", "stamp"), default="tool",
                        help="Make the first release with `ontology release` (default) or by "
                        "stamping directly.")
    args = parser.parse_args(argv)
    edited_ids = generate(args.out, args.n, args.seed, args.release)
    print(f"{args.n} KPIs in {args.out}; released {RELEASE_VERSION} ({args.release}); "
          f"{len(edited_ids)} edited after the release")


if __name__ == "__main__":
    main()
