"""Tell which list format a file is, read it, and name the bundled releases."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from exodus.core.lists._text import clean
from exodus.core.lists.bis import read_dpl
from exodus.core.lists.csl import read_csl_compact, read_csl_csv, read_csl_json
from exodus.core.lists.eu import read_eu_fsf
from exodus.core.lists.model import ListEntity, ListRelease
from exodus.core.lists.ofac import CONS_SET, SDN_SET, read_ofac, set_of
from exodus.core.lists.uk import read_uk_conlist
from exodus.core.lists.un import read_un_xml
from exodus.errors import DataSourceError

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "lists"

READERS: dict[str, Callable[[Path], ListRelease]] = {
    "csl-compact": read_csl_compact,
    "csl-csv": read_csl_csv,
    "csl-json": read_csl_json,
    "ofac": read_ofac,
    "un-xml": read_un_xml,
    "bis-dpl": read_dpl,
    "uk-conlist": read_uk_conlist,
    "eu-fsf": read_eu_fsf,
}
_SNIFF_BYTES = 65536


def detect_format(path: Path) -> str:
    """Return the format name of a list file or OFAC directory (a READERS key)."""
    path = Path(path)
    if path.is_dir():
        if (path / SDN_SET.primary).is_file() or (path / CONS_SET.primary).is_file():
            return "ofac"
        raise DataSourceError(
            f"{path}: directory holds no OFAC sdn.csv or cons_prim.csv"
        )
    if set_of(path.name) is not None:
        return "ofac"
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError as exc:
        raise DataSourceError(f"{path}: cannot be read ({exc.strerror})") from exc
    detected = _sniff(head)
    if detected is None:
        raise DataSourceError(f"{path}: not a screening-list format Exodus reads")
    return detected


def _sniff(head: bytes) -> str | None:
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    first_line = text.split("\n", 1)[0]
    if text.startswith(("{", "[")):
        compact = '"fieldKey"' in text or '"tables"' in text or '"entries"' in text
        return "csl-compact" if compact else "csl-json"
    if text.startswith("<"):
        return "un-xml" if "CONSOLIDATED_LIST" in text else None
    if first_line.lower().startswith("last updated"):
        return "uk-conlist"
    if "Street_Address" in first_line and "\t" in first_line:
        return "bis-dpl"
    if "Entity_logical_id" in first_line and ";" in first_line:
        return "eu-fsf"
    if "alt_names" in first_line and "source" in first_line:
        return "csl-csv"
    fields = first_line.split(",")
    if len(fields) >= 12 and fields[0].strip().isdigit():
        return "ofac"
    return None


def read_list(path: Path) -> ListRelease:
    """Read any supported list file (or OFAC directory) into a release."""
    path = Path(path)
    return READERS[detect_format(path)](path)


def bundled_releases() -> list[Path]:
    """Return the paths of the list releases Exodus screens against by default.

    The CSL compact JSON is the main list (all U.S. lists, SDN included, as of
    2026-07-31). OFAC's non-SDN set, the UN, BIS Denied Persons, UK and EU
    lists come next. The older standalone OFAC SDN files are not in this set:
    `with_ofac_details` uses them only to add addresses, IDs and dates of
    birth to the CSL's SDN entries.
    """
    paths = [
        DATA_DIR / "csl" / "consolidated-screening-list.2026-07-31.compact.json",
        DATA_DIR / "ofac" / CONS_SET.primary,
        DATA_DIR / "un" / "UN_consolidated.xml",
        DATA_DIR / "bis" / "dpl.txt",
        DATA_DIR / "uk" / "sanctionsconlist.csv",
        DATA_DIR / "eu" / "EUSanctionsShort.csv",
    ]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise DataSourceError(f"bundled list files missing: {', '.join(missing)}")
    return paths


def load_bundled() -> list[ListRelease]:
    """Read every bundled release; CSL OFAC entries get details from OFAC files."""
    releases = [read_list(path) for path in bundled_releases()]
    loaded_ofac = [e for r in releases if r.source.startswith("ofac") for e in r.entities]
    return [
        with_ofac_details(r, loaded_ofac) if r.source == "csl" else r for r in releases
    ]


def with_ofac_details(csl: ListRelease, loaded_ofac: list[ListEntity]) -> ListRelease:
    """Return the CSL release with the details of the bundled and loaded OFAC files.

    Every CSL release goes through here, bundled or loaded later, so the same
    file always gives the same entities. `loaded_ofac` (releases of OFAC's own
    files) wins over the bundled SDN files where both have an ent_num: it is
    the newer.
    """
    sdn_primary = DATA_DIR / "ofac" / SDN_SET.primary
    details = read_ofac(sdn_primary).entities if sdn_primary.is_file() else []
    details = details + loaded_ofac
    return enrich_from_ofac(csl, details) if details else csl


# Lists whose CSL entity_number is OFAC's ent_num.
_OFAC_CODES = frozenset({"SDN", "SSI", "PLC", "CMIC", "NS-MBS", "CAP", "FSE"})


def enrich_from_ofac(csl: ListRelease, ofac: list[ListEntity]) -> ListRelease:
    """Return the CSL release with OFAC details added to entries of the same ent_num.

    The CSL keeps its names and countries (it is the newer list); OFAC's
    legacy files add what the compact CSL lacks: addresses, IDs, dates of
    birth, weak aliases and remarks. OFAC entities absent from the CSL
    (delisted since) are not added.
    """
    by_number = {e.source_id: e for e in ofac}
    enriched = []
    count = 0
    for entity in csl.entities:
        extra = (
            by_number.get(entity.source_id) if entity.source in _OFAC_CODES else None
        )
        if extra is not None:
            entity = _merge(entity, extra)
            count += 1
        enriched.append(entity)
    log.info("added OFAC details to %d CSL entities", count)
    return replace(csl, entities=enriched)


def _merge(entity: ListEntity, extra: ListEntity) -> ListEntity:
    known = {clean(a.name).upper() for a in entity.aliases} | {entity.name.upper()}
    aliases = entity.aliases + tuple(
        a for a in extra.aliases if clean(a.name).upper() not in known
    )
    return replace(
        entity,
        aliases=tuple(dict.fromkeys(aliases)),
        addresses=entity.addresses or extra.addresses,
        countries=tuple(dict.fromkeys(entity.countries + extra.countries)),
        ids=tuple(dict.fromkeys(entity.ids + extra.ids)),
        dates_of_birth=entity.dates_of_birth or extra.dates_of_birth,
        remarks=entity.remarks or extra.remarks,
    )
