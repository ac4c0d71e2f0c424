"""Worklist actions follow a port's thresholds; lookouts look back at stored filings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from exodus.core.filings import ParsedRecord, parse_filing
from exodus.core.targeting.model import Thresholds
from exodus.errors import Conflict, InvalidInput
from exodus.services import lookouts as lk
from exodus.services import worklist as wl
from exodus.storage.models import AuditEventRow
from tests.conftest import filing_data, unique_id


def _hub_filing(fid: str, port: str, consignee: str, export_date: str | None = None) -> ParsedRecord:
    changes = {"filing_id": fid, "port_of_export": port, "country_of_destination": "AE",
               "ultimate_consignee": {"name": consignee, "address": "Jebel Ali Free Zone LOB 16",
                                      "city": "Dubai", "country": "AE", "type": "R"}}
    if export_date:
        changes["export_date"] = export_date
    return ParsedRecord("t", filing=parse_filing(filing_data(**changes), "t"))


def _row(session, port: str, fid: str) -> dict:  # type: ignore[no-untyped-def]
    _, items = wl.worklist(session, wl.WorklistFilter(port=port, limit=500))
    (item,) = [i for i in items if i["filing_id"] == fid]
    return item


def test_threshold_change_moves_worklist_actions_at_once(exodus_app) -> None:  # type: ignore[no-untyped-def]
    port, fid = "4601", unique_id()
    exodus_app.ingest_parsed([_hub_filing(fid, port, "Nimbus Tools LLC")], actor="test")
    (result,) = exodus_app.target([fid])
    score = result.score
    assert score > 0
    with exodus_app.db.session() as session:
        before = _row(session, port, fid)["action"]
    assert before == result.action.value
    # The stored score now lies between this port's review and examine thresholds.
    in_review = Thresholds(score / 2, score + (100 - score) / 3, score + 2 * (100 - score) / 3)
    assert before != "review" or score < 25  # default thresholds put it elsewhere, or below review
    with exodus_app.db.session() as session:
        lk.set_thresholds(session, port, in_review, actor="user:sup", reason="test")
    with exodus_app.db.session() as session:
        assert _row(session, port, fid)["action"] == "review"
        events = session.query(AuditEventRow).filter(AuditEventRow.action == "thresholds.set",
                                                      AuditEventRow.object_id == port).all()
        assert events[-1].detail["actions_changed"] >= (0 if before == "review" else 1)
    # Above every threshold's reach: nothing to review.
    with exodus_app.db.session() as session:
        lk.set_thresholds(session, port, Thresholds(score + 1 if score < 97 else 98, 99, 100),
                          actor="user:sup", reason="test")
    with exodus_app.db.session() as session:
        assert _row(session, port, fid)["action"] == "release"
        lk.clear_thresholds(session, port, actor="user:sup", reason="back to defaults")
    with exodus_app.db.session() as session:
        assert _row(session, port, fid)["action"] == before


def test_lookout_flags_and_notifies_filings_stored_before_it(exodus_app) -> None:  # type: ignore[no-untyped-def]
    name = f"Perivale Anodyne {unique_id('')} Holdings"
    fid, old = unique_id(), unique_id()
    today = date.today()
    exodus_app.ingest_parsed([_hub_filing(fid, "4602", name.upper(), today.isoformat()),
                              _hub_filing(old, "4602", name.upper(), (today - timedelta(days=400)).isoformat())],
                             actor="test")
    exodus_app.target([fid, old])
    placed = exodus_app.place_lookout(kind="party", value=name, reason="is-informed letter", priority="high",
                                      actor="user:ana")
    assert placed["matched_filings"] == 1
    with exodus_app.db.session() as session:
        told = {n["filing_id"] for n in lk.notifications(session) if n["lookout_id"] == placed["id"]}
        assert told == {fid}
        reasons = _row(session, "4602", fid)["reasons"]
        assert any(r["category"] == "lookout" and r["evidence"]["lookout_id"] == placed["id"] for r in reasons)
        score = _row(session, "4602", fid)["score"]
    # Placing it twice is refused; cancelling it takes its reason off the stored filing at once.
    with exodus_app.db.session() as session, pytest.raises(Conflict, match=f"lookout {placed['id']} .*in force"):
        lk.create_lookout(session, kind="party", value=name, reason="same letter again", priority="high",
                          actor="user:bo")
    cancelled = exodus_app.cancel_lookout(placed["id"], actor="user:ana", reason="letter withdrawn")
    assert cancelled["retargeted_filings"] == 1 and cancelled["active"] is False
    with exodus_app.db.session() as session:
        after = _row(session, "4602", fid)
        assert not [r for r in after["reasons"] if r["category"] == "lookout"]
        assert after["score"] < score


def test_lookout_expiring_in_the_past_is_refused(exodus_app) -> None:  # type: ignore[no-untyped-def]
    with exodus_app.db.session() as session, pytest.raises(InvalidInput, match="expires"):
        lk.create_lookout(session, kind="party", value="Someone Ltd", reason="old lead",
                          expires=date.today() - timedelta(days=1), actor="user:ana")


def test_notifications_page_from_the_newest(exodus_app) -> None:  # type: ignore[no-untyped-def]
    name = f"Pagewise {unique_id('')} Traders"
    ids = [unique_id() for _ in range(5)]
    today = date.today().isoformat()
    exodus_app.ingest_parsed([_hub_filing(fid, "4601", name.upper(), today) for fid in ids], actor="test")
    exodus_app.target(ids)
    placed = exodus_app.place_lookout(kind="party", value=name, reason="paging test", actor="user:ana")
    assert placed["matched_filings"] == 5
    with exodus_app.db.session() as session:
        mine = [n for n in lk.notifications(session, limit=1000) if n["lookout_id"] == placed["id"]]
        everything = lk.notifications(session, limit=1000)
        first = everything.index(mine[0])
        pages = [lk.notifications(session, limit=2, offset=first + k) for k in (0, 2, 4)]
    assert [n["id"] for page in pages for n in page][:5] == [n["id"] for n in mine]
    assert all(len(page) <= 2 for page in pages)


def test_the_same_party_watched_again_in_other_letters_is_refused(exodus_app) -> None:  # type: ignore[no-untyped-def]
    name = f"Marmara {unique_id('')} Equipment Inc."
    with exodus_app.db.session() as session:
        first = lk.create_lookout(session, kind="party", value=name, reason="first letter", actor="user:ana")
    with exodus_app.db.session() as session, pytest.raises(Conflict, match=f"lookout {first['id']} "):
        lk.create_lookout(session, kind="party", value=name.upper().rstrip("."), reason="again", actor="user:bo")
    with exodus_app.db.session() as session, pytest.raises(InvalidInput, match="shows nothing"):
        lk.create_lookout(session, kind="party", value=name + "\u200b", reason="again", actor="user:bo")
    with exodus_app.db.session() as session, pytest.raises(InvalidInput, match="4 to 10 digits"):
        lk.create_lookout(session, kind="hs", value="85423199999", reason="too long a code", actor="user:bo")
