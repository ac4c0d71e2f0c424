"""Lookouts of every kind match the filings they watch, and stop at expiry or cancellation."""

from __future__ import annotations

from datetime import date

import pytest

from exodus.core.filings import parse_filing
from exodus.core.targeting.lookouts import Lookout, LookoutBook, check_lookout
from exodus.errors import InvalidInput
from tests.conftest import filing_data

FILING = parse_filing(
    filing_data(
        country_of_destination="AE",
        ultimate_consignee={
            "name": "Aurora Trading FZE",
            "address": "Jebel Ali Free Zone LOB 16",
            "city": "Dubai",
            "country": "AE",
            "type": "R",
        },
        intermediate_consignee={
            "name": "Bosphorus Cargo Ltd",
            "address": "1 Liman Cd",
            "city": "Istanbul",
            "country": "TR",
        },
        lines=[
            {
                "schedule_b": "8542310000",
                "description": "Microcontrollers",
                "quantity": 100,
                "unit": "NO",
                "value_usd": 9000,
                "weight_kg": 2,
                "eccn": "3A991",
                "license_code": "C33",
            }
        ],
    ),
    "test",
)


def matches(kind: str, value: str, **extra: object) -> list[str]:
    lookout = Lookout(
        1, kind, check_lookout(kind, value, "high"), "test reason", "high", **extra
    )  # type: ignore[arg-type]
    return [s.code for s in LookoutBook([lookout]).match(FILING)]


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("party", "AURORA TRADING F.Z.E."),
        ("address", "jebel ali free zone"),
        ("hs", "8542.31"),
        ("eccn", "3a991"),
        ("country", "TR"),
        ("port", "2720"),
        ("carrier", "Lufthansa  cargo"),
        ("route", "2720>AE"),
        ("route", "*>AE"),
        ("route", "via:TR"),
    ],
)
def test_each_kind_matches(kind: str, value: str) -> None:
    assert matches(kind, value) == [f"lookout.{kind}"]


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("party", "Meridian Instruments GmbH"),
        ("hs", "8471"),
        ("country", "IR"),
        ("port", "5301"),
        ("carrier", "Emirates SkyCargo"),
        ("route", "5301>AE"),
        ("route", "via:AE"),
    ],
)
def test_other_values_do_not_match(kind: str, value: str) -> None:
    assert matches(kind, value) == []


def test_expired_and_cancelled_lookouts_stop_matching() -> None:
    assert matches("country", "AE", expires=date(2026, 12, 2)) == [
        "lookout.country"
    ]  # export date is 12-02
    assert matches("country", "AE", expires=date(2026, 12, 1)) == []
    assert matches("country", "AE", active=False) == []


def test_priority_sets_strength_and_reason_is_carried() -> None:
    low = Lookout(7, "hs", "854231", "CHPL watch", "low")
    (signal,) = LookoutBook([low]).match(FILING)
    assert (
        signal.strength == 0.5
        and "CHPL watch" in signal.text
        and signal.evidence["lookout_id"] == 7
    )


@pytest.mark.parametrize(
    ("kind", "value", "priority"),
    [
        ("vessel", "X", "high"),
        ("hs", "85", "high"),
        ("country", "UAE", "high"),
        ("route", "LAX to AE", "high"),
        ("party", "  ", "high"),
        ("party", "Someone", "urgent"),
        ("country", "ZZ", "high"),
        ("route", "via:ZZ", "high"),
        ("route", "2720>ZZ", "high"),
        ("eccn", "9Z999ZZZ", "high"),
        ("eccn", "ABC", "high"),
    ],
)
def test_bad_lookouts_are_refused(kind: str, value: str, priority: str) -> None:
    with pytest.raises(InvalidInput):
        check_lookout(kind, value, priority)


def test_lookout_errors_echo_the_value_given() -> None:
    with pytest.raises(InvalidInput, match="got 'abc'"):
        check_lookout("hs", "abc", "high")
    with pytest.raises(InvalidInput, match="got 'ZZ'"):
        check_lookout("country", "zz", "high")


@pytest.mark.parametrize(("kind", "value", "stored"), [
    ("eccn", "3a001.a.1", "3A001.A.1"), ("eccn", "3A", "3A"), ("eccn", "EAR99", "EAR99"), ("eccn", "9A610", "9A610"),
    ("country", "xk", "XK"), ("route", "via:ae", "VIA:AE"), ("route", "2720>*", "2720>*"), ("hs", "8542.31", "854231"),
])
def test_well_formed_lookouts_are_kept(kind: str, value: str, stored: str) -> None:
    assert check_lookout(kind, value, "high") == stored
