"""What every benchmark's table is made of: rows with targets, aligned columns, percentiles, and
the code version measured."""

import statistics
import subprocess
from collections.abc import Sequence

from bench.support.paths import ROOT

Row = tuple[str, str, str, bool | None]  # metric, value, target, passed (None: no target)


def print_table(header: list[str], rows: list[Row]) -> None:
    print_grid(
        header,
        [("metric", "value", "target", "result")]
        + [
            (metric, value, target, "" if ok is None else ("PASS" if ok else "FAIL"))
            for metric, value, target, ok in rows
        ],
    )


def print_grid(header: list[str], cells: Sequence[tuple[str, ...]]) -> None:
    """The header lines, then ``cells`` (its first row the column names) as aligned columns."""
    widths = [max(len(row[c]) for row in cells) for c in range(len(cells[0]))]
    line = "  ".join("-" * w for w in widths)
    print()
    for text in header:
        print(text)
    print(line)
    for n, row in enumerate(cells):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            print(line)
    print(line)


def percentiles(seconds: list[float]) -> dict[str, float]:
    """p50/p95/p99 in milliseconds."""
    cuts = statistics.quantiles([s * 1000 for s in seconds], n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "max": max(seconds) * 1000}


def code_version(*paths: str) -> str:
    """The commit checked out, and whether the code measured (``paths``) differs from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", *paths], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head} (+ uncommitted changes in {', '.join(paths)})" if dirty else head
