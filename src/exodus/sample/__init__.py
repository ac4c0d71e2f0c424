"""Realistic sample filings, reproducible by seed (filings themselves are not public)."""

from exodus.sample.generator import SampleGenerator, generate

__all__ = ["SampleGenerator", "generate"]
