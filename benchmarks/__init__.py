"""Benchmarks: commands that measure the portal on generated data; never part of the test suite."""
