"""Read OFAC's legacy CSV files: the SDN set and the non-SDN consolidated set.

The SDN set is sdn.csv (primary records) with alt.csv (aliases), add.csv
(addresses) and sdn_comments.csv (remarks overflow); the non-SDN set is
cons_prim.csv with cons_alt.csv, cons_add.csv and cons_comments.csv. The
files have no header, write "-0-" for an empty field, end with a Ctrl-Z
byte (0x1A) and are cp1252 text. Column order follows OFAC's dat_spec.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from exodus.core.lists._text import (
    CsvRows,
    clean,
    decode,
    file_checksum,
    read_bytes,
    release,
    unique,
)
from exodus.core.lists.countries import to_iso2
from exodus.core.lists.model import (
    Address,
    Alias,
    AliasStrength,
    EntitySchema,
    Identifier,
    ListEntity,
    ListRelease,
    ParseProblem,
)
from exodus.core.lists.remarks import parse_remarks
from exodus.errors import DataSourceError

log = logging.getLogger(__name__)

SDN_URL = "https://sanctionslist.ofac.treas.gov/Home/SdnList"
CONS_URL = "https://sanctionslist.ofac.treas.gov/Home/ConsolidatedList"

PRIMARY_COLUMNS = 12  # ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign,
# Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks
ALT_COLUMNS = 5  # ent_num, alt_num, alt_type, alt_name, alt_remarks
ADD_COLUMNS = 6  # ent_num, add_num, address, city/state/postal, country, remarks
COMMENT_COLUMNS = 2  # ent_num, remarks_extended

_SCHEMAS = {
    "individual": EntitySchema.PERSON,
    "vessel": EntitySchema.VESSEL,
    "aircraft": EntitySchema.AIRCRAFT,
    "": EntitySchema.ORGANIZATION,
}


@dataclass(frozen=True, slots=True)
class _FileSet:
    """The four files of one OFAC set and how its entities are named."""

    primary: str
    alt: str
    add: str
    comments: str
    id_prefix: str
    release_source: str
    url: str

    @property
    def files(self) -> tuple[str, str, str, str]:
        """The set's file names, primary first."""
        return (self.primary, self.alt, self.add, self.comments)

    @property
    def side_files(self) -> tuple[str, str, str]:
        return (self.alt, self.add, self.comments)


SDN_SET = _FileSet(
    "sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv", "SDN", "ofac-sdn", SDN_URL
)
CONS_SET = _FileSet(
    "cons_prim.csv",
    "cons_alt.csv",
    "cons_add.csv",
    "cons_comments.csv",
    "NONSDN",
    "ofac-cons",
    CONS_URL,
)


@dataclass(slots=True)
class _Draft:
    """An entity being assembled from its primary row and its side files."""

    ent_num: str
    name: str
    kind: str
    programs: tuple[str, ...]
    title: str
    call_sign: str
    vessel_flag: str
    remarks: str
    aliases: list[Alias] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)


def read_ofac(path: Path) -> ListRelease:
    """Read an OFAC legacy set from a directory, a primary file or a side file.

    A directory holding both sets yields one release with SDN and non-SDN
    entities; a file path reads the set that file belongs to.
    """
    path = Path(path)
    if path.is_dir():
        return _read_directory(path)
    file_set = set_of(path.name)
    if file_set is None:
        raise DataSourceError(f"{path}: not a file of an OFAC legacy CSV set")
    return _read_set(path.parent, file_set)


def set_of(file_name: str) -> _FileSet | None:
    """Return the OFAC set a file name belongs to, None if it is not one."""
    name = file_name.lower()
    for file_set in (SDN_SET, CONS_SET):
        if name in (file_set.primary, file_set.alt, file_set.add, file_set.comments):
            return file_set
    return None


def sets_in(directory: Path) -> list[_FileSet]:
    """Return the OFAC sets whose primary file is in `directory`."""
    return [s for s in (SDN_SET, CONS_SET) if (Path(directory) / s.primary).is_file()]


def missing_side_files(directory: Path, file_set: _FileSet) -> list[str]:
    """Return the names of the set's side files absent from `directory`."""
    return [name for name in file_set.side_files if not (Path(directory) / name).is_file()]


# The primary file's remarks field holds this many characters; the remarks file continues longer ones.
PRIMARY_REMARKS_LIMIT = 1000


def side_file_counts(entities: Iterable[ListEntity], file_set: _FileSet) -> dict[str, int]:
    """Return, per side file of `file_set`, how many aliases, addresses or continued remarks it gave.

    Counted from the entities (a stored version keeps no side file), the same
    way for a new release and the active version, so the two compare.
    TODO: aliases spelt out in the remarks ("a.k.a. ...") are counted with
    those of the alias file; entities cannot tell them apart once read.
    """
    found = {file_set.alt: 0, file_set.add: 0, file_set.comments: 0}
    for entity in entities:
        found[file_set.alt] += len(entity.aliases)
        found[file_set.add] += len(entity.addresses)
        found[file_set.comments] += len(entity.remarks or "") > PRIMARY_REMARKS_LIMIT
    return found


def set_checksum(directory: Path, file_set: _FileSet) -> str:
    """Return the checksum of a set's release: the names and bytes of all four of its files.

    A side file added, removed or changed changes it, so a release read
    without its aliases is never taken for the full one.
    """
    digest = hashlib.sha256()
    for name in file_set.files:
        path = Path(directory) / name
        digest.update(name.encode("ascii") + b"\0")
        digest.update(_file_sha(path).encode("ascii") if path.is_file() else b"missing")
        digest.update(b"\n")
    return digest.hexdigest()


def _file_sha(path: Path) -> str:
    try:
        return file_checksum(path.read_bytes())  # not read_bytes(): an empty side file has a checksum too
    except OSError as exc:
        raise DataSourceError(f"{path}: cannot be read ({exc.strerror})") from exc


def _read_directory(directory: Path) -> ListRelease:
    present = sets_in(directory)
    if not present:
        raise DataSourceError(f"{directory}: holds neither sdn.csv nor cons_prim.csv")
    releases = [_read_set(directory, file_set) for file_set in present]
    if len(releases) == 1:
        return releases[0]
    merged = ListRelease(
        source="ofac",
        published=None,
        checksum=file_checksum("".join(r.checksum for r in releases).encode()),
        origin=str(directory),
    )
    for one in releases:
        merged.entities.extend(one.entities)
        merged.problems.extend(one.problems)
    return merged


def _read_set(directory: Path, file_set: _FileSet) -> ListRelease:
    primary_path = directory / file_set.primary
    data = read_bytes(primary_path)
    problems: list[ParseProblem] = []
    drafts = _read_primary(primary_path, data, problems)
    _attach_aliases(directory / file_set.alt, drafts, problems)
    _attach_addresses(directory / file_set.add, drafts, problems)
    _attach_comments(directory / file_set.comments, drafts, problems)
    for name in missing_side_files(directory, file_set):
        problems.append(ParseProblem(name, "side file missing: the release lacks what it holds "
                                           "(aliases, addresses or remarks)"))
    entities = [_entity(draft, file_set) for draft in drafts.values()]
    # The legacy CSV files carry no publication date.
    found = release(file_set.release_source, primary_path, data, None, entities, problems)
    found.checksum = set_checksum(directory, file_set)
    return found


def _rows(path: Path, data: bytes) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, fields) of an OFAC legacy file, Ctrl-Z removed."""
    text = decode(data).replace("\x1a", "")
    reader = CsvRows(path, text)
    line = 1
    for row in reader:
        if row and any(cell.strip() for cell in row):
            yield line, row
        line = reader.line_num + 1


def _read_primary(
    path: Path, data: bytes, problems: list[ParseProblem]
) -> dict[str, _Draft]:
    drafts: dict[str, _Draft] = {}
    checked_first = False
    for line, row in _rows(path, data):
        if not checked_first:
            _check_first_row(path, row)
            checked_first = True
        problem = _primary_problem(row, drafts)
        if problem:
            problems.append(ParseProblem(f"{path.name} line {line}", problem))
            continue
        draft = _draft(row)
        drafts[draft.ent_num] = draft
    if not checked_first:
        raise DataSourceError(f"{path}: no records")
    return drafts


def _check_first_row(path: Path, row: list[str]) -> None:
    if len(row) != PRIMARY_COLUMNS or not row[0].strip().isdigit():
        raise DataSourceError(
            f"{path}: not an OFAC primary file: first row has {len(row)} fields "
            f"and starts with {row[0][:20]!r}, expected {PRIMARY_COLUMNS} fields "
            "starting with an entity number"
        )


def _primary_problem(row: list[str], drafts: dict[str, _Draft]) -> str | None:
    if len(row) != PRIMARY_COLUMNS:
        return f"expected {PRIMARY_COLUMNS} fields, found {len(row)}"
    ent_num = row[0].strip()
    if not ent_num.isdigit():
        return f"entity number {ent_num!r} is not a number"
    if not clean(row[1]):
        return "name is empty"
    if ent_num in drafts:
        return f"entity number {ent_num} appears twice"
    return None


def _draft(row: list[str]) -> _Draft:
    return _Draft(
        ent_num=row[0].strip(),
        name=clean(row[1]),
        kind=clean(row[2]).lower(),
        programs=split_programs(row[3]),
        title=clean(row[4]),
        call_sign=clean(row[5]),
        vessel_flag=clean(row[9]),
        remarks=clean(row[11]),
    )


def split_programs(value: str) -> tuple[str, ...]:
    """Split OFAC's "UKRAINE-EO13662] [RUSSIA-EO14024" program field."""
    parts = clean(value).strip("[]").split("] [")
    return unique([p.strip() for p in parts])


def _side_rows(
    path: Path, columns: int, problems: list[ParseProblem]
) -> Iterator[list[str]]:
    """Yield the well-formed rows of a side file; a missing file yields nothing."""
    if not path.is_file():
        log.warning("OFAC side file missing: %s", path)
        return
    data = path.read_bytes()
    for line, row in _rows(path, data):
        if len(row) != columns or not row[0].strip().isdigit():
            problems.append(
                ParseProblem(
                    f"{path.name} line {line}",
                    f"expected {columns} fields starting with an entity number, "
                    f"found {len(row)} fields",
                )
            )
            continue
        yield row


def _attach_aliases(
    path: Path, drafts: dict[str, _Draft], problems: list[ParseProblem]
) -> None:
    orphans = 0
    for row in _side_rows(path, ALT_COLUMNS, problems):
        draft = drafts.get(row[0].strip())
        name = clean(row[3])
        if draft is None:
            orphans += 1
            continue
        if name:
            draft.aliases.append(_alias(clean(row[2]), name, clean(row[4])))
    _note_orphans(path, orphans, problems)


def _alias(alt_type: str, name: str, alt_remarks: str) -> Alias:
    kind = alt_type.lower()
    weak = "weak" in kind or "weak" in alt_remarks.lower()
    kind = kind.replace("weak", "").strip() or "aka"
    strength = AliasStrength.WEAK if weak else AliasStrength.STRONG
    return Alias(name, strength, kind if kind in ("aka", "fka", "nka") else "aka")


def _attach_addresses(
    path: Path, drafts: dict[str, _Draft], problems: list[ParseProblem]
) -> None:
    orphans = 0
    for row in _side_rows(path, ADD_COLUMNS, problems):
        draft = drafts.get(row[0].strip())
        if draft is None:
            orphans += 1
            continue
        street, city, country = clean(row[2]), clean(row[3]), clean(row[4])
        if street or city or country:
            full = ", ".join(part for part in (street, city, country) if part)
            draft.addresses.append(Address(full, city, to_iso2(country)))
    _note_orphans(path, orphans, problems)


def _attach_comments(
    path: Path, drafts: dict[str, _Draft], problems: list[ParseProblem]
) -> None:
    for row in _side_rows(path, COMMENT_COLUMNS, problems):
        draft = drafts.get(row[0].strip())
        if draft is not None:
            # The overflow continues the remark mid-word: join without a space.
            draft.remarks = draft.remarks + row[1].strip()


def _note_orphans(path: Path, orphans: int, problems: list[ParseProblem]) -> None:
    if orphans:
        problems.append(
            ParseProblem(
                path.name,
                f"{orphans} rows name entity numbers absent from the primary file "
                "(the side file is from another date); they were skipped",
            )
        )


def _entity(draft: _Draft, file_set: _FileSet) -> ListEntity:
    facts = parse_remarks(draft.remarks)
    ids = list(facts.ids)
    if draft.call_sign:
        ids.append(Identifier("Call Sign", draft.call_sign))
    countries = [a.country for a in draft.addresses if a.country]
    countries.extend(facts.nationalities)
    if flag := to_iso2(draft.vessel_flag):
        countries.append(flag)
    source = "SDN" if file_set is SDN_SET else non_sdn_list_code(draft.programs)
    return ListEntity(
        id=f"{file_set.id_prefix}:{draft.ent_num}",
        source=source,
        source_id=draft.ent_num,
        schema=_SCHEMAS.get(draft.kind, EntitySchema.UNKNOWN),
        name=draft.name,
        aliases=tuple(dict.fromkeys([*draft.aliases, *facts.aliases])),
        addresses=tuple(dict.fromkeys(draft.addresses)),
        countries=unique(countries),
        ids=tuple(dict.fromkeys(ids)),
        dates_of_birth=unique(facts.dates_of_birth),
        programs=draft.programs,
        remarks=draft.remarks or None,
        source_url=file_set.url,
    )


def non_sdn_list_code(programs: tuple[str, ...]) -> str:
    """Return the non-SDN list a consolidated entry belongs to, from its programs.

    The legacy files do not name the list; the program tags decide it the
    way the Consolidated Screening List assigns these entries.
    """
    tags = set(programs)
    if "UKRAINE-EO13662" in tags:
        return "SSI"
    if "NS-PLC" in tags:
        return "PLC"
    if "CMIC-EO13959" in tags:
        return "CMIC"
    if "561-Related" in tags:
        return "CAP"
    if any(tag.startswith("FSE-") for tag in tags):
        return "FSE"
    return "NS-MBS"
