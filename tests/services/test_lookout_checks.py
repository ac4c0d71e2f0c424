"""Placing a lookout checks its value like thresholds do: a port must be a Schedule D port of export."""

from __future__ import annotations

import pytest

from exodus.errors import InvalidInput
from exodus.services import lookouts as lk


@pytest.mark.parametrize(("kind", "value", "says"), [
    ("port", "27", "4-digit Schedule D code"),
    ("port", "9999", "not a Schedule D port"),
    ("route", "9999>RU", "not a Schedule D port"),
])
def test_a_lookout_on_an_unknown_port_is_refused(database, kind: str, value: str, says: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match=says), database.session() as session:
        lk.create_lookout(session, kind=kind, value=value, reason="watch this port", actor="tester")
    with database.session() as session:
        assert lk.list_lookouts(session) == []


@pytest.mark.parametrize(("kind", "value"), [("port", "2720"), ("route", "2720>RU"), ("route", "*>RU")])
def test_a_lookout_on_a_schedule_d_port_is_placed(database, kind: str, value: str) -> None:  # type: ignore[no-untyped-def]
    with database.session() as session:
        placed = lk.create_lookout(session, kind=kind, value=value, reason="watch this port", actor="tester")
    assert placed["value"] == value
