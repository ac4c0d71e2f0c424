"""The evaluation: what a case conversion may read, how visibility is told, and the arithmetic."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from exodus.core.targeting import evaluation as ev
from exodus.errors import InvalidInput

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
        "precision": 0.5,  # v1, v2 among v1, v2, l1, l4 examined
    }
    assert report.by_visibility[ev.VISIBLE].recall == 1.0
    assert report.by_visibility[ev.OUTSIDE].recall == 0.0
    assert report.by_visibility[ev.VISIBLE].lawful == 5
    assert report.by_category["military"].to_dict()["lawful_examined_share"] == 1.0
    # Ranked: l1 95, v1 90, v2 60, l4 55 ...
    assert report.precision_at == {1: 0.0, 2: 0.5, 4: 0.5}
    # within a category: dual-use ranks l1 95, v1 90, v2 60, l2 40 ...; military l4 55, v3 30
    assert report.precision_at_by_category["dual-use"] == {1: 0.0, 2: 0.5, 4: 0.5}
    assert report.precision_at_by_category["military"] == {1: 0.0, 2: 0.5}
    # a visibility kind ranks its own violations among all lawful filings
    assert report.precision_at_by_visibility[ev.VISIBLE] == {1: 0.0, 2: 0.5, 4: 0.5}
    assert report.precision_at_by_visibility[ev.OUTSIDE] == {1: 0.0, 2: 0.0, 4: 0.25}
    assert report.by_category["military"].precision == 0.0  # l4 examined, v3 not
    assert report.by_visibility[ev.NO_FILING].precision == 0.0  # v4 missed; l1, l4 examined
    assert report.to_dict()["precision_at_by_category"]["military"] == {"1": 0.0, "2": 0.5}
    assert [m.filing_id for m in report.missed] == ["v3", "v4"]
    assert {m.filing_id for m in report.lawful_examined} == {"l1", "l4"}


def case(fid: str, violation: bool, action: str, visibility: str = "") -> ev.Scored:
    return ev.Scored(f"CASE-{fid}", violation, visibility, "dual-use", 90.0 if action == "hold" else 10.0,
                     action, fid)


def test_splits_halve_the_case_rows_and_carry_the_generated_lawful_trade() -> None:
    items = [
        case("V-002", True, "hold", ev.VISIBLE),
        case("V-004", True, "release", ev.OUTSIDE),
        case("V-001", True, "examine", ev.VISIBLE),
        case("V-003", True, "review", ev.VISIBLE),
        case("L-006", False, "hold"),
        case("L-005", False, "release"),
        scored("g1", False, 60, "examine"),
        scored("g2", False, 0, "release"),
        scored("g3", False, 0, "release"),
    ]
    report = ev.evaluate(items, top=())
    by_id = report.splits["by id"]
    assert (by_id["even ids"].cases, by_id["even ids"].caught) == (2, 1)
    assert (by_id["odd ids"].cases, by_id["odd ids"].caught) == (2, 1)
    # even: L-006 (examined) and the three generated filings (one examined)
    assert (by_id["even ids"].lawful, by_id["even ids"].lawful_examined) == (4, 2)
    assert (by_id["odd ids"].lawful, by_id["odd ids"].lawful_examined) == (4, 1)
    visible_even = by_id[f"even ids / {ev.VISIBLE}"]
    assert (visible_even.cases, visible_even.caught, visible_even.lawful) == (1, 1, 4)
    assert by_id[f"odd ids / {ev.VISIBLE}"].recall == 0.5
    seeded = report.splits["seeded"]
    assert sum(f.cases for h, f in seeded.items() if not h.endswith(ev.VISIBLE)) == 4
    assert {h.split(" (")[0] for h in seeded if not h.endswith(ev.VISIBLE)} <= {"half A", "half B"}
    assert ev.split_halves("V-012") == ev.split_halves("V-012")
    assert ev.split_halves("V-012", seed=1)["by id"] == "even ids"


def test_targets_are_judged_on_visible_cases_and_all_lawful_filings() -> None:
    caught = [case(f"V-{n:03d}", True, "examine", ev.VISIBLE) for n in range(19)]
    lawful = [scored(f"g{n}", False, 0, "release") for n in range(98)] + [scored("x", False, 70, "examine")]
    report = ev.evaluate(caught + [case("V-900", True, "release", ev.OUTSIDE)] + lawful, top=())
    assert report.targets()["met"] is True and report.targets()["recall"] == 1.0
    missed = ev.evaluate(caught + [case("V-901", True, "review", ev.VISIBLE)] + lawful, top=())
    assert missed.targets()["recall"] == 0.95 and missed.targets()["met"] is True
    costly = ev.evaluate(caught + lawful + [scored("y", False, 70, "hold"), scored("z", False, 70, "hold")], top=())
    assert costly.targets()["lawful_examined_share"] == 0.0297 and costly.targets()["met"] is False
    assert ev.evaluate([], top=()).targets()["met"] is False


def test_a_made_up_consignee_name_says_only_what_the_stated_consignee_does() -> None:
    base = {c: "" for c in ev.DECLARED_COLUMNS}
    for stated, trade in [("major UAE consumer-electronics retail chain", "Distribution"),
                          ("intermediary companies in Turkey", "Trading"),
                          ("front company in Switzerland", "Technologies"),
                          ("freight forwarders in Singapore", "Logistics"),
                          ("Turkish company", "Technologies")]:
        draft = ev.draft({**base, "case_id": "X-9", "stated_consignee": stated, "stated_destination": "AE"})
        assert draft is not None and draft.consignee_trade == trade, stated


def test_lawful_trade_is_as_varied_as_the_patterns_that_look_like_diversion() -> None:
    from exodus.sample import pools
    from exodus.sample.generator import SampleGenerator

    generator = SampleGenerator(5, risk_share=0.0)
    filings = [generator.lawful() for _ in range(4000)]
    hubs = set(pools.HUBS) | {"CN", "HK", "SG", "MX", "IN", "TW", "BR", "IL", "MY"}

    def share(test) -> float:  # type: ignore[no-untyped-def]
        return sum(1 for f in filings if test(f)) / len(filings)

    def lines(f, test) -> bool:  # type: ignore[no-untyped-def]
        return any(test(ln) for ln in f.lines)

    ordinary = lambda ln: (ln.eccn or "EAR99") == "EAR99" and not ln.usml_category  # noqa: E731
    assert share(lambda f: f.country_of_destination in hubs and all(ordinary(ln) for ln in f.lines)) > 0.2
    assert share(lambda f: lines(f, lambda ln: ln.license_number)) > 0.04
    assert share(lambda f: f.country_of_destination in hubs and lines(f, lambda ln: ln.license_number)) > 0.01
    assert share(lambda f: lines(f, lambda ln: (ln.eccn or "")[2:4] in ("99",) and ln.license_code == "C33")) > 0.04
    assert share(lambda f: f.country_of_destination in hubs and lines(f, lambda ln: ln.hs6[:4] == "8542")) > 0.01
    assert share(lambda f: "free zone" in f.ultimate_consignee.address.lower()
                 or "jafza" in f.ultimate_consignee.address.lower()) > 0.003
    assert share(lambda f: any(w in f.ultimate_consignee.address for w in ("Apt", "Apartment", "Flat"))) > 0.002
    assert share(lambda f: f.routed_export) > 0.02
    assert share(lambda f: f.filed_at.date() > f.export_date) > 0.01
    assert share(lambda f: lines(f, lambda ln: ln.eccn is None)) > 0.3
    assert share(lambda f: lines(f, lambda ln: ln.description in pools.VAGUE_DESCRIPTIONS.values())) > 0.003
    assert share(lambda f: f.intermediate_consignee is not None) > 0.005
    assert share(lambda f: f.country_of_destination == "RU") > 0.003
    assert share(lambda f: lines(f, lambda ln: ln.hs6[:4] in ("8458", "8459", "9013") and ordinary(ln))) > 0.002
    assert not generator.labels


def test_a_case_stating_several_destinations_files_once_per_country() -> None:
    base = {c: "" for c in ev.DECLARED_COLUMNS}
    row = {**base, "case_id": "X-7", "stated_consignee": "parties in Taiwan and Hong Kong",
           "stated_destination": "TW; HK; TW", "classification_hs_eccn_usml": "HS 8807.30"}
    drafts = ev.drafts(row)
    assert [d.destination for d in drafts] == ["TW", "HK"]
    assert [d.filing_key for d in drafts] == ["X-7", "X-7-HK"]
    assert len({ev.draft_seed(d) for d in drafts}) == 2
    assert all(d.hs6 == "880730" and d.case_id == "X-7" for d in drafts)
    assert ev.draft(row) == drafts[0]
    assert ev.drafts({**row, "stated_destination": "unknown"}) == []


def test_a_case_consignee_past_is_drawn_from_the_same_mix_as_lawful_trade() -> None:
    """Earlier orders of a case consignee carry controlled and licensed goods as often as
    lawful trade does, not ordinary goods only (which would make a case's controlled
    goods look new to its consignee)."""
    from exodus.sample.generator import SampleGenerator

    generator = SampleGenerator(3, risk_share=0.0)
    lawful = [generator.lawful() for _ in range(3000)]
    orders = [o for f in lawful[:300] for o in generator.repeat_orders(f, 10)]
    assert all(o.usppi == lawful[0].usppi and o.ultimate_consignee == lawful[0].ultimate_consignee
               for o in orders[:10])

    def listed(filings) -> float:  # type: ignore[no-untyped-def]
        return sum(any((ln.eccn or "EAR99") != "EAR99" or ln.usml_category for ln in f.lines)
                   for f in filings) / len(filings)

    assert listed(lawful) > 0.1
    assert abs(listed(orders) - listed(lawful)) < 0.04


def write_cases(path: Path, *changed: dict[str, str]) -> Path:
    """Write the first bundled rows, each updated with its change, as a cases file."""
    bundled = rows()
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(bundled[0]))
        writer.writeheader()
        writer.writerows({**row, **change} for row, change in zip(bundled, changed))
    return path


def refusal(path: Path) -> str:
    from exodus.errors import InvalidInput
    from exodus.sample.generator import SampleGenerator
    from exodus.services.evaluate import read_cases

    with pytest.raises(InvalidInput) as refused:
        read_cases(path, SampleGenerator(11, risk_share=0.0))
    return refused.value.detail


def test_a_value_that_is_no_number_is_refused_and_an_empty_one_is_unknown() -> None:
    base = {c: "" for c in ev.DECLARED_COLUMNS}
    row = {**base, "case_id": "X-3", "stated_destination": "AE", "value_usd": "lots"}
    with pytest.raises(InvalidInput) as refused:
        ev.drafts(row)
    assert refused.value.detail == "field 'value_usd': 'lots' is not an amount in USD"
    for wrong in ("-5", "nan", "inf"):
        with pytest.raises(InvalidInput):
            ev.drafts({**row, "value_usd": wrong})
    assert ev.drafts({**row, "value_usd": ""})[0].value_usd == 0.0
    assert ev.drafts({**row, "value_usd": "1,200"})[0].value_usd == 1200.0
    assert ev.drafts({**row, "value_usd": " 350000 "})[0].value_usd == 350000.0


def test_a_cases_file_is_refused_by_file_line_case_and_field(tmp_path: Path) -> None:
    first = rows()[0]["case_id"]
    assert refusal(write_cases(tmp_path / "cases.csv", {}, {}, {"label": "lawful"})) == (
        f"cases.csv line 4 (case {rows()[2]['case_id']}): field 'label': "
        "'lawful' is neither 'violation' nor 'legit'"
    )
    assert refusal(write_cases(tmp_path / "cases.csv", {}, {"label": ""})) == (
        f"cases.csv line 3 (case {rows()[1]['case_id']}): field 'label': "
        "'' is neither 'violation' nor 'legit'"
    )
    assert refusal(write_cases(tmp_path / "cases.csv", {}, {}, {"case_id": first})) == (
        f"cases.csv line 4 (case {first}): field 'case_id': {first!r} is already the case of line 2"
    )
    assert refusal(write_cases(tmp_path / "cases.csv", {}, {}, {"case_id": first.lower()})) == (
        f"cases.csv line 4 (case {first.lower()}): field 'case_id': {first.lower()!r} is already the case of line 2"
    )
    assert refusal(write_cases(tmp_path / "cases.csv", {}, {"case_id": "V-010", "value_usd": "lots"})) == (
        "cases.csv line 3 (case V-010): field 'value_usd': 'lots' is not an amount in USD"
    )
    assert refusal(write_cases(tmp_path / "cases.csv", {}, {}, {
        "case_id": "V-010", "stated_destination": "ZZ; Narnia", "eei_status": "filed"})) == (
        "cases.csv line 4 (case V-010): field 'stated_destination': unknown destination 'ZZ'"
    )
    assert refusal(write_cases(tmp_path / "empty.csv")) == "no cases in empty.csv"


def test_the_bundled_cases_load_with_their_labels() -> None:
    from exodus.sample.generator import SampleGenerator
    from exodus.services.evaluate import read_cases

    cases = read_cases(CASES, SampleGenerator(11, risk_share=0.0))
    truth = {r["case_id"]: r["label"] == "violation" for r in rows()}
    assert {c.case_id: c.violation for c in cases} == truth
    assert sum(truth.values()) == 35 and len(truth) == 57
