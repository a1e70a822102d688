"""Benchmark scripts that print tables (not tests). Run them with ``python -m bench.<name>``."""
