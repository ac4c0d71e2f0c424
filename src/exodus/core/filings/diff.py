"""What changed between two versions of a filing, field by field.

Versions are compared in their interchange form (`filing_to_dict`), as stored.
Fields are named as the readers name them in errors: `carrier`,
`ultimate_consignee.name`, `lines[0].value_usd` (lines by position, from 0). A
party or line present in one version only appears as each of its fields going
from or to None.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from exodus.core.filings.parse import FILING_FIELDS, LINE_FIELDS, PARTY_FIELDS, PARTY_ROLES


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field whose value differs between two versions (None: absent in that version)."""

    field: str
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}


NESTED = (*PARTY_ROLES, "lines")  # compared field by field, not as whole values


def _compare(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, known: tuple[str, ...],
             prefix: str) -> list[FieldChange]:
    before, after = old or {}, new or {}
    # The schema's fields, then any other key either side holds, so no difference is missed.
    extra = sorted((set(before) | set(after)) - set(known) - set(NESTED if not prefix else ()))
    changes = []
    for name in (*known, *extra):
        was, now = before.get(name), after.get(name)
        if was != now:
            changes.append(FieldChange(prefix + name, was, now))
    return changes


def diff_filings(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[FieldChange]:
    """Return the fields that differ from `old` to `new` (two interchange forms of one filing).

    Header fields first, then the parties (USPPI first), then the lines in order.
    """
    changes = _compare(old, new, FILING_FIELDS, "")
    for role in PARTY_ROLES:
        changes += _compare(old.get(role), new.get(role), PARTY_FIELDS, f"{role}.")
    old_lines, new_lines = list(old.get("lines") or ()), list(new.get("lines") or ())
    for n in range(max(len(old_lines), len(new_lines))):
        changes += _compare(old_lines[n] if n < len(old_lines) else None,
                            new_lines[n] if n < len(new_lines) else None, LINE_FIELDS, f"lines[{n}].")
    return changes
