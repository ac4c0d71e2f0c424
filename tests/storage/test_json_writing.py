"""JSON written by the store: the fast writer gives what the json module gives.

Filing digests must stay byte for byte what they always were (a re-sent filing is
told from a correction by its digest); JSON columns must read back the same values.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import struct
from datetime import date

import pytest

from exodus.storage.db import json_text
from exodus.storage.filings import canonical_json, content_hash
from tests.conftest import filing_data


def _plain(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _floats(count: int) -> list[float]:
    rng = random.Random(5)
    found = [0.0, -0.0, 1e-7, 1.5e-5, 0.0001, 0.00012, 1e15, 1e16, 1.5e16, 2.5e300, 5e-324, 123456789.125]
    for _ in range(count):
        found.append(struct.unpack("d", struct.pack("Q", rng.getrandbits(64)))[0])
        found.append(rng.uniform(-1, 1) * 10 ** rng.randint(-12, 20))
        found.append(round(rng.uniform(0, 1e6), rng.randint(0, 4)))
    return [f for f in found if math.isfinite(f)]


def test_digest_bytes_are_the_json_modules_for_any_float_and_text() -> None:
    texts = ["Müller GmbH", "Ülkü Dış Ticaret", "北京", "tab\there", 'quote " and \\ slash /', "\u2028", "null"]
    for n, number in enumerate(_floats(3000)):
        value = {"b": [number, texts[n % len(texts)], None if n % 5 == 0 else n], "a": {"z": True, "y": number}}
        assert canonical_json(value) == _plain(value), number


def test_digest_of_values_orjson_writes_differently_falls_back() -> None:
    for value in ({"x": float("nan")}, {"x": float("inf")}, {"x": 2**70}, {"x": 1e-7}, {"x": 0.00003}):
        assert canonical_json(value) == _plain(value)
    payload = filing_data()
    assert content_hash(payload) == hashlib.sha256(_plain(payload)).hexdigest()


@pytest.mark.parametrize("value", [
    {"lines": [{"value_usd": 12000.5, "description": "Ventile, rostfrei"}], "routed": False},
    {"reasons": [{"rule_id": "R1", "evidence": {"also": ["a", "b"], "strength": 0.25}}]},
    [1, 2.5, "x", {"nested": [True, False]}],
])
def test_json_columns_read_back_the_same_values(value: object) -> None:
    assert json.loads(json_text(value)) == value


def test_json_columns_keep_what_orjson_would_write_otherwise() -> None:
    # NaN and integers beyond 64 bits are written as the json module writes them.
    assert json_text({"x": float("nan")}) == json.dumps({"x": float("nan")})
    assert json.loads(json_text({"x": 2**70})) == {"x": 2**70}
    assert json.loads(json_text({1: "a"})) == {"1": "a"}
    # Values the json module refuses are still refused.
    with pytest.raises(TypeError):
        json_text({"day": date(2026, 12, 1)})
