"""Where the benchmarks live and write: the repository root and var/bench/."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
BENCH_DIR = ROOT / "var" / "bench"
