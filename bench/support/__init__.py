"""Helpers the benchmark scripts share: their databases, the server, sample text, the tables."""
