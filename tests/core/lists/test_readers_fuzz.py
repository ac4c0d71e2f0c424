"""Property tests: every list reader turns a damaged file into a release or a DataSourceError."""

from __future__ import annotations

import tempfile
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exodus.core.lists.registry import READERS, read_list
from exodus.errors import DataSourceError, ExodusError

FUZZ = settings(max_examples=60, deadline=None)
BUNDLE = resources.files("exodus") / "data" / "lists"
# (reader, file name, a real sample of that format: the first bytes of a bundled file)
SAMPLES = {
    "csl-csv": ("consolidated.csv", "csl/consolidated_sample_2025.csv"),
    "ofac": ("sdn.csv", "ofac/sdn.csv"),
    "un-xml": ("consolidated.xml", "un/UN_consolidated.xml"),
    "bis-dpl": ("dpl.txt", "bis/dpl.txt"),
    "uk-conlist": ("ConList.csv", "uk/sanctionsconlist.csv"),
    "eu-fsf": ("eu.csv", "eu/EUSanctionsShort.csv"),
    "csl-compact": ("consolidated.json", "csl/consolidated-screening-list.2026-07-31.compact.json"),
}


def head(path: str, size: int = 6000) -> bytes:
    with (BUNDLE / path).open("rb") as handle:
        return handle.read(size)


HEADS = {kind: head(path) for kind, (_name, path) in SAMPLES.items()}
# Readers built on the csv module: a bare carriage return inside a field is a csv.Error.
CSV_KINDS = {"bis-dpl", "csl-csv", "ofac", "uk-conlist"}


def read_bytes(kind: str, name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            release = READERS[kind](path)
        except ExodusError:
            return
        assert release.entities is not None


@FUZZ
@given(st.sampled_from(sorted(SAMPLES)), st.binary(max_size=2000))
def test_random_bytes_are_refused_cleanly(kind: str, data: bytes) -> None:
    read_bytes(kind, SAMPLES[kind][0], data)


@FUZZ
@given(st.sampled_from(sorted(SAMPLES)), st.integers(0, 6000), st.binary(max_size=200), st.integers(0, 6000))
def test_damaged_real_files_are_read_or_refused_cleanly(kind: str, cut: int, junk: bytes, at: int) -> None:
    sample = HEADS[kind][:cut]
    at = min(at, len(sample))
    read_bytes(kind, SAMPLES[kind][0], sample[:at] + junk + sample[at:])


@FUZZ
@given(st.binary(max_size=1000), st.sampled_from(["list.csv", "list.xml", "list.json", "list.txt", "x"]))
def test_format_detection_never_crashes(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            read_list(path)
        except ExodusError:
            pass


@FUZZ
@given(st.sampled_from(sorted(CSV_KINDS)), st.integers(0, 6000), st.binary(max_size=40))
def test_a_bare_carriage_return_anywhere_in_a_real_file_is_read_or_refused_cleanly(kind: str, at: int, junk: bytes) -> None:
    sample = HEADS[kind]
    at = min(at, len(sample))
    read_bytes(kind, SAMPLES[kind][0], sample[:at] + b"x\ry" + junk + sample[at:])


@pytest.mark.parametrize("kind", sorted(CSV_KINDS))
def test_a_bare_carriage_return_is_refused_naming_the_line(kind: str) -> None:
    """csv.Error would escape the reader; it must be a DataSourceError naming file and line."""
    sample = HEADS[kind].decode("latin-1").splitlines(keepends=True)
    lines = [line.encode("latin-1") for line in sample[:4]]
    data = b"".join(lines[:3]) + b"Acme\rCorp,x\n" + b"".join(lines[3:])
    with pytest.raises(DataSourceError) as refused:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / SAMPLES[kind][0]
            path.write_bytes(data)
            READERS[kind](path)
    assert "line 4" in refused.value.detail and "not readable as CSV" in refused.value.detail
    assert SAMPLES[kind][0] in refused.value.detail
