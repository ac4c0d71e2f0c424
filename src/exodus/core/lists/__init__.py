"""Screening lists: one entity model and a reader per published format."""

from exodus.core.lists.bis import read_dpl
from exodus.core.lists.countries import countries_in, to_iso2
from exodus.core.lists.csl import read_csl_compact, read_csl_csv, read_csl_json
from exodus.core.lists.eu import read_eu_fsf
from exodus.core.lists.fetch import fetch_release
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
from exodus.core.lists.ofac import read_ofac
from exodus.core.lists.registry import (
    bundled_releases,
    detect_format,
    enrich_from_ofac,
    load_bundled,
    read_list,
    with_ofac_details,
)
from exodus.core.lists.uk import read_uk_conlist
from exodus.core.lists.un import read_un_xml
from exodus.core.lists.versions import ListDiff, diff_releases, release_checksum

__all__ = [
    "Address",
    "Alias",
    "AliasStrength",
    "EntitySchema",
    "Identifier",
    "ListDiff",
    "ListEntity",
    "ListRelease",
    "ParseProblem",
    "bundled_releases",
    "countries_in",
    "detect_format",
    "diff_releases",
    "enrich_from_ofac",
    "fetch_release",
    "load_bundled",
    "read_csl_compact",
    "read_csl_csv",
    "read_csl_json",
    "read_dpl",
    "read_eu_fsf",
    "read_list",
    "read_ofac",
    "read_uk_conlist",
    "read_un_xml",
    "release_checksum",
    "to_iso2",
    "with_ofac_details",
]
