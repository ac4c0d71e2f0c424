"""U.S. ports of export: the Census Schedule D codes of the bundled reference data."""

from __future__ import annotations

import re

from exodus.core.controls.reference import load_reference
from exodus.errors import InvalidInput

PORT_CODE = re.compile(r"\d{4}")


def is_port(port: str) -> bool:
    """Tell whether `port` is a Schedule D port of export of the bundled reference edition."""
    return port in load_reference().ports


def reference_edition() -> str:
    """Name the edition of the bundled reference data the ports come from."""
    return load_reference().edition


def check_port(port: str, field: str = "port") -> str:
    """Return `port` if it is a Schedule D port of export; raise InvalidInput naming `field`."""
    if not PORT_CODE.fullmatch(port):
        raise InvalidInput(f"{field} must be a 4-digit Schedule D code, got {port!r}")
    if not is_port(port):
        raise InvalidInput(f"{field} {port} is not a Schedule D port of export (reference edition {reference_edition()})")
    return port
