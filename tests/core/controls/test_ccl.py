"""Reading the CCL's License Requirements rows and License Exception flags."""

from __future__ import annotations

import pytest

from exodus.core.controls import load_reference
from exodus.core.controls.ccl import flag_scope, in_flag_scope, parse_row


@pytest.fixture(scope="module")
def ref():
    return load_reference()


def row(ref, control: str, chart: str, eccn: str):  # type: ignore[no-untyped-def]
    return parse_row({"control": control, "countryChart": chart}, ref.group_members, eccn)


def test_ranges_and_bare_letters_in_a_row(ref):
    found = row(ref, "NS applies to 3B001.a.1 to a.3, b, e, f.2 to f.4, g to j", "NS Column 2", "3B001")
    assert set(found.paragraphs) == {"a.1", "a.2", "a.3", "b", "e", "f.2", "f.3", "f.4", "g", "h", "i", "j"}
    assert found.applies_to("h.1") == "yes" and found.applies_to("c") == "no"


def test_parenthesised_exceptions_exclude(ref):
    found = row(ref, "NS applies to 5A001.b (except .b.5), .c, .d, .f (except f.3), .g, and .j",
                "NS Column 2", "5A001")
    assert found.applies_to("c") == "yes"
    assert found.applies_to("b.5") == "no" and found.applies_to("f.3") == "no"


def test_entire_entry_with_a_conditional_exclusion_still_covers_the_rest(ref):
    nine = {r.reason: r for r in ref.ccl["9A610"].rows if r.column}
    assert nine["NS"].applies_to("a") == "yes"
    assert nine["NS"].applies_to("y") == "no"


def test_destination_rules_read_from_the_chart_text(ref):
    comma = row(ref, "RS applies to 0A606.y", "China, Russia, or Venezuela (see § 742.6(a)(7))", "0A606")
    assert comma.destinations == {"CN", "HK", "RU", "VE"}
    world = row(ref, "NS applies to entire entry", "Worldwide control. See § 742.4(a)(5)", "3A901")
    assert world.all_except == frozenset()
    named = row(ref, "RS applies to entire entry",
                "A license is required for items controlled by this entry for export or reexport to Pakistan",
                "2A992")
    assert named.destinations == {"PK"}
    scoped = row(ref, "SL applies to the entire entry as applicable for equipment controlled by 5A001.f.1",
                 "A license is required for all destinations, as specified in § 742.13 of the EAR.", "5D001")
    assert not scoped.entire_entry


@pytest.mark.parametrize(
    ("flag", "eccn", "inside", "outside"),
    [
        ("$500 for 0A501.c, .d, and .x.", "0A501", "c", "a"),
        ("Yes for 3A001.a.1.b, a.2 to a.14 (except .a.5.a when controlled for MT), b.2", "3A001", "a.7", "a.1.a"),
        ("$1500, except N/A for 6A003.a.3 through a.6, b.1, b.3 and b.4.", "6A003", "a.1", "a.4"),
        ("$3,000 for .a through .c; $6,000 for .d.", "1A008", "b", "e"),
        ("Yes, except 5A001.a, b.5", "5A001", "b.1", "b.5"),
    ],
)
def test_exception_flag_scope(flag, eccn, inside, outside):
    assert in_flag_scope(inside, flag, eccn)
    assert not in_flag_scope(outside, flag, eccn)
    assert in_flag_scope("", flag, eccn)  # paragraph unknown: may apply


def test_conditional_na_excludes_nothing():
    assert flag_scope("$5000, except N/A for 5B001.a (for 5A001.j)", "5B001") == ((), ())
    flag = "$1,500; N/A for NP; N/A for composite structures controlled by 1A002.a, having an organic matrix"
    assert flag_scope(flag, "1A002")[1] == ()
