"""Outbound export filings: the model and its interchange readers."""

from exodus.core.filings.model import (
    CommodityLine,
    ConsigneeType,
    Filing,
    Party,
    PartyRole,
    filing_to_dict,
)
from exodus.core.filings.diff import FieldChange, diff_filings
from exodus.core.filings.parse import (
    CSV_COLUMNS,
    ParsedRecord,
    filing_to_csv_rows,
    parse_filing,
    read_csv,
    read_filings,
    read_filings_text,
    read_jsonl,
)

__all__ = [
    "CSV_COLUMNS",
    "CommodityLine",
    "ConsigneeType",
    "FieldChange",
    "Filing",
    "ParsedRecord",
    "Party",
    "PartyRole",
    "diff_filings",
    "filing_to_csv_rows",
    "filing_to_dict",
    "parse_filing",
    "read_csv",
    "read_filings",
    "read_filings_text",
    "read_jsonl",
]
