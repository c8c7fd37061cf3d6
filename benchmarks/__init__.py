"""Benchmark harness: corpora, a synthetic project generator and peer tools (tach, rope)."""
