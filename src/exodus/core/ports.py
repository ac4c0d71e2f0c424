"""U.S. ports of export: the Census Schedule D codes of the bundled reference data."""

from __future__ import annotations

import re

from exodus.core.controls.reference import load_reference
from exodus.errors import InvalidInput

PORT_CODE = re.compile(r"\d{4}")


def check_port(port: str, field: str = "port") -> str:
    """Return `port` if it is a Schedule D port of export; raise InvalidInput naming `field`."""
    if not PORT_CODE.fullmatch(port):
        raise InvalidInput(f"{field} must be a 4-digit Schedule D code, got {port!r}")
    ref = load_reference()
    if port not in ref.ports:
        raise InvalidInput(f"{field} {port} is not a Schedule D port of export (reference edition {ref.edition})")
    return port
