from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from exodus.core.lists import AliasStrength, EntitySchema, ListRelease, read_ofac
from exodus.core.lists.remarks import parse_ofac_dates, parse_remarks
from exodus.errors import DataSourceError


def test_sdn_and_non_sdn_counts(ofac_all: ListRelease) -> None:
    sources = Counter(e.source for e in ofac_all.entities)
    assert sources["SDN"] == 14965
    non_sdn = {k: v for k, v in sources.items() if k != "SDN"}
    assert non_sdn == {"SSI": 286, "PLC": 78, "CMIC": 68, "NS-MBS": 9, "CAP": 1}
    sdn = [e for e in ofac_all.entities if e.id.startswith("SDN:")]
    schemas = Counter(e.schema for e in sdn)
    assert schemas[EntitySchema.PERSON] == 6854
    assert schemas[EntitySchema.ORGANIZATION] == 6884
    assert schemas[EntitySchema.VESSEL] == 851
    assert schemas[EntitySchema.AIRCRAFT] == 376


def test_side_file_rows_for_unknown_entities_are_counted(ofac_all: ListRelease) -> None:
    # alt.csv and add.csv are newer than sdn.csv (see PROVENANCE.md).
    problems = {p.location: p.problem for p in ofac_all.problems}
    assert problems["alt.csv"].startswith("1468 rows")
    assert problems["add.csv"].startswith("2474 rows")


def test_sdn_entry_with_addresses_and_weak_alias(ofac_all: ListRelease) -> None:
    bnc = {e.id: e for e in ofac_all.entities}["SDN:306"]
    assert bnc.source == "SDN"
    assert bnc.name == "BANCO NACIONAL DE CUBA"
    assert bnc.programs == ("CUBA",)
    strong = [a.name for a in bnc.aliases if a.strength is AliasStrength.STRONG]
    weak = [a.name for a in bnc.aliases if a.strength is AliasStrength.WEAK]
    assert strong == ["NATIONAL BANK OF CUBA"]
    assert weak == ["BNC"]
    assert [a.country for a in bnc.addresses] == ["CH", "ES", "JP", "PA"]
    assert bnc.addresses[0].full == "Zweierstrasse 35, Zurich CH-8022, Switzerland"


def test_sdn_person_dob_and_passport_from_remarks(ofac_all: ListRelease) -> None:
    zawahiri = {e.id: e for e in ofac_all.entities}["SDN:2676"]
    assert zawahiri.schema is EntitySchema.PERSON
    assert zawahiri.dates_of_birth == ("1951-06-19",)
    passports = [(i.value, i.country) for i in zawahiri.ids if i.type == "Passport"]
    assert passports == [("1084010", "EG"), ("19820215", None)]


def test_fka_aliases_keep_their_kind(ofac_all: ListRelease) -> None:
    bank = {e.id: e for e in ofac_all.entities}["SDN:4642"]
    fka = [a.name for a in bank.aliases if a.kind == "fka"]
    assert "IRAN OVERSEAS INVESTMENT BANK PLC" in fka


def test_remarks_overflow_is_joined(ofac_all: ListRelease) -> None:
    gazprombank = {e.id: e for e in ofac_all.entities}["NONSDN:17016"]
    assert gazprombank.remarks is not None
    assert "Legal Entity Number 253400WSS48YWMBUA688" in gazprombank.remarks
    ids = {(i.type, i.value) for i in gazprombank.ids}
    assert ("Tax ID No.", "7744001497") in ids
    assert ("Legal Entity Number", "253400WSS48YWMBUA688") in ids


def test_non_sdn_entries(ofac_all: ListRelease) -> None:
    haniya = {e.id: e for e in ofac_all.entities}["NONSDN:9639"]
    assert haniya.source == "PLC"
    assert haniya.name == "HANIYA, Ismail Abdul Salah"
    assert haniya.dates_of_birth == ("1962",)
    assert "HANIYYA, Ismaeel" in haniya.all_names()


def test_vessel_imo_number(ofac_all: ListRelease) -> None:
    vessels = [e for e in ofac_all.entities if e.schema is EntitySchema.VESSEL]
    with_imo = [e for e in vessels if any(i.type == "IMO" for i in e.ids)]
    assert len(with_imo) > 700
    assert all(i.value.isdigit() for e in with_imo for i in e.ids if i.type == "IMO")


def test_ctrl_z_and_malformed_rows(data_dir: Path, tmp_path: Path) -> None:
    rows = (data_dir / "ofac" / "cons_prim.csv").read_bytes().split(b"\r\n")[:5]
    bad = [rows[0], b'abc,"NOT A NUMBER",-0- ', rows[1], b'99,"SHORT ROW"', rows[2]]
    (tmp_path / "cons_prim.csv").write_bytes(b"\r\n".join(bad) + b"\r\n\x1a")
    release = read_ofac(tmp_path / "cons_prim.csv")
    assert [e.id for e in release.entities] == [
        "NONSDN:9639",
        "NONSDN:9640",
        "NONSDN:9641",
    ]
    assert [p.location for p in release.problems] == [
        "cons_prim.csv line 2",
        "cons_prim.csv line 4",
        "cons_alt.csv",
        "cons_add.csv",
        "cons_comments.csv",
    ]
    assert all("side file missing" in p.problem for p in release.problems[2:])
    # The last record is read whole: the trailing Ctrl-Z is not part of it.
    assert release.entities[-1].remarks == "DOB 1955; POB Jabalia Camp."


def test_cp1252_names_are_decoded(tmp_path: Path) -> None:
    row = (
        '1,"MÜLLER, Jürgen","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- '
    )
    (tmp_path / "sdn.csv").write_bytes(row.encode("cp1252") + b"\r\n\x1a")
    release = read_ofac(tmp_path)
    assert release.entities[0].name == "MÜLLER, Jürgen"


@pytest.mark.parametrize(
    "content",
    [b"", b"\x1a", b"Name,Address\nfoo,bar\n", b'1,"ONLY THREE",x\n'],
)
def test_unreadable_primary_file_raises(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "sdn.csv").write_bytes(content)
    with pytest.raises(DataSourceError) as raised:
        read_ofac(tmp_path / "sdn.csv")
    assert "sdn.csv" in raised.value.detail


def test_directory_without_ofac_files_raises(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match="neither sdn.csv nor cons_prim.csv"):
        read_ofac(tmp_path)


def test_missing_side_files_still_load(data_dir: Path, tmp_path: Path) -> None:
    shutil.copy(data_dir / "ofac" / "cons_prim.csv", tmp_path / "cons_prim.csv")
    release = read_ofac(tmp_path / "cons_prim.csv")
    assert len(release.entities) == 442
    assert release.source == "ofac-cons"


def test_parse_remarks() -> None:
    facts = parse_remarks(
        "DOB 01 Jan 1960; alt. DOB 1962; POB Damascus, Syria; nationality Syria; "
        "Passport X123 (Syria) issued 01 Jan 2010; IMO 1234567; "
        "Gender Male; a.k.a. 'ABU ALI'; f.k.a. 'OLD NAME'."
    )
    assert facts.dates_of_birth == ["1960-01-01", "1962"]
    assert facts.places_of_birth == ["Damascus, Syria"]
    assert facts.nationalities == ["SY"]
    assert [(i.type, i.value, i.country) for i in facts.ids] == [
        ("Passport", "X123", "SY"),
        ("IMO", "1234567", None),
    ]
    assert [(a.name, a.kind, a.strength) for a in facts.aliases] == [
        ("ABU ALI", "aka", AliasStrength.WEAK),
        ("OLD NAME", "fka", AliasStrength.WEAK),
    ]
    assert facts.gender == "Male"


def test_parse_ofac_dates() -> None:
    assert parse_ofac_dates("circa 1955") == ["1955"]
    assert parse_ofac_dates("Mar 1970") == ["1970-03"]
    assert parse_ofac_dates("1960 to 1962") == ["1960", "1961", "1962"]
    assert parse_ofac_dates("unknown") == []
