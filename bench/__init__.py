"""Benchmarks: reading and loading large township ledgers (`python -m bench`, see bench/run.py)."""
