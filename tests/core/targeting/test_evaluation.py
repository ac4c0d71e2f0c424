"""The evaluation: what a case conversion may read, how visibility is told, and the arithmetic."""

from __future__ import annotations

import csv
from pathlib import Path

from exodus.core.targeting import evaluation as ev

CASES = (
    Path(__file__).resolve().parents[3] / "src/exodus/data/cases/enforcement_cases.csv"
)


def rows() -> list[dict[str, str]]:
    with CASES.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_conversion_never_sees_truth_columns() -> None:
    for row in rows():
        fields = ev.declared_fields(row)
        assert not set(fields) & set(ev.FORBIDDEN_COLUMNS)
        poisoned = {
            **row,
            **{
                c: "RU; Kalashnikov Concern; seize/refer; violation"
                for c in ev.FORBIDDEN_COLUMNS
            },
        }
        assert ev.draft(poisoned) == ev.draft(row)


def test_visibility_kinds_follow_the_declared_facts() -> None:
    base = {c: "" for c in ev.DECLARED_COLUMNS}
    land = {
        **base,
        "stated_destination": "MX",
        "transport_mode": "land (vehicle)",
        "eei_status": "none",
    }
    hub = {
        **base,
        "stated_destination": "AE",
        "transport_mode": "air",
        "eei_status": "filed",
    }
    ally = {
        **base,
        "stated_destination": "DE",
        "transport_mode": "air",
        "eei_status": "destination Germany (inferred)",
    }
    nlr = {
        **base,
        "stated_destination": "CO",
        "classification_hs_eccn_usml": "0A985",
        "eei_status": "no license cited",
    }
    assert ev.visibility(land) == ev.NO_FILING
    assert ev.visibility(hub) == ev.VISIBLE
    assert ev.visibility(ally) == ev.OUTSIDE
    assert ev.visibility(nlr) == ev.VISIBLE


def test_draft_reads_codes_value_mode_and_license() -> None:
    base = {c: "" for c in ev.DECLARED_COLUMNS}
    row = {
        **base,
        "case_id": "X-1",
        "stated_consignee": "Chinese customer",
        "stated_destination": "CN",
        "commodity_declared": "'metal parts', USD 255 (USPS customs declaration)",
        "classification_hs_eccn_usml": "6A003.b.4.b",
        "value_usd": "2617",
        "value_note": "USD 2,617 (declared 255)",
        "transport_mode": "postal",
        "eei_status": "none filed",
    }
    draft = ev.draft(row)
    assert draft is not None
    assert (draft.destination, draft.eccn, draft.mode, draft.license_code) == (
        "CN",
        "6A003.b.4.b",
        "mail",
        "C33",
    )
    assert (
        draft.value_usd == 255.0
        and draft.description == "metal parts"
        and draft.consignee == ""
    )
    licensed = {
        **base,
        "case_id": "X-2",
        "stated_consignee": "Netherlands Ministry of Defence",
        "stated_destination": "NL",
        "classification_hs_eccn_usml": "USML Cat. VIII(h)",
        "eei_status": "EEI filed with DSP-5 license and USML category",
        "transport_mode": "air",
    }
    converted = ev.draft(licensed)
    assert (
        converted is not None
        and converted.usml == "VIII(h)"
        and converted.license_code == "S05"
    )
    assert (
        converted.consignee == "Netherlands Ministry of Defence"
        and converted.consignee_kind == "G"
    )


def test_every_case_with_a_destination_converts() -> None:
    drafts = [ev.draft(r) for r in rows()]
    assert sum(d is not None for d in drafts) >= len(drafts) - 6
    assert all(len(d.destination) == 2 for d in drafts if d)


def scored(
    fid: str,
    violation: bool,
    score: float,
    action: str,
    visibility: str = "",
    category: str = "dual-use",
):  # type: ignore[no-untyped-def]
    return ev.Scored(fid, violation, visibility, category, score, action)


def test_report_arithmetic_on_a_known_set() -> None:
    items = [
        scored("v1", True, 90, "hold", ev.VISIBLE),
        scored("v2", True, 60, "examine", ev.VISIBLE),
        scored("v3", True, 30, "review", ev.OUTSIDE, "military"),
        scored("v4", True, 0, "release", ev.NO_FILING),
        scored("l1", False, 95, "hold"),
        scored("l2", False, 40, "review"),
        scored("l3", False, 10, "release"),
        scored("l4", False, 55, "examine", category="military"),
        scored("l5", False, 0, "release"),
    ]
    report = ev.evaluate(items, top=(1, 2, 4))
    assert report.overall.to_dict() == {
        "cases": 4,
        "caught": 2,
        "recall": 0.5,
        "lawful": 5,
        "lawful_examined": 2,
        "lawful_examined_share": 0.4,
    }
    assert report.by_visibility[ev.VISIBLE].recall == 1.0
    assert report.by_visibility[ev.OUTSIDE].recall == 0.0
    assert report.by_visibility[ev.VISIBLE].lawful == 5
    assert report.by_category["military"].to_dict()["lawful_examined_share"] == 1.0
    # Ranked: l1 95, v1 90, v2 60, l4 55 ...
    assert report.precision_at == {1: 0.0, 2: 0.5, 4: 0.5}
    assert [m.filing_id for m in report.missed] == ["v3", "v4"]
    assert {m.filing_id for m in report.lawful_examined} == {"l1", "l4"}
