"""Export-control knowledge: reference data, license determination, declared-versus-
required checks and controlled goods hidden in plain descriptions. Pure: no database."""

from exodus.core.controls.ccl import CclEntry, ControlRow, split_eccn
from exodus.core.controls.declared import Finding, check_line, item_from_line
from exodus.core.controls.describe import (
    DEFAULT_THRESHOLD,
    best_matches,
    candidate_matters,
    description_index,
    flag_description,
)
from exodus.core.controls.determination import (
    END_USES,
    Determination,
    ItemQuery,
    Outcome,
    PartyStatus,
    Reason,
    determine,
    end_use_kinds,
)
from exodus.core.controls.evalset import EvalLine, build_eval_set
from exodus.core.controls.exceptions import ExceptionOption, check_exception
from exodus.core.controls.reference import (
    Edition,
    Gap,
    ReferenceData,
    list_editions,
    load_reference,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "END_USES",
    "CclEntry",
    "ControlRow",
    "Determination",
    "Edition",
    "EvalLine",
    "ExceptionOption",
    "Finding",
    "Gap",
    "ItemQuery",
    "Outcome",
    "PartyStatus",
    "Reason",
    "ReferenceData",
    "best_matches",
    "build_eval_set",
    "candidate_matters",
    "check_exception",
    "check_line",
    "description_index",
    "determine",
    "end_use_kinds",
    "flag_description",
    "item_from_line",
    "list_editions",
    "load_reference",
    "split_eccn",
]
