"""Lookouts: watches analysts place on a party, address, code, country, port, carrier or route.

A matching filing gets a `lookout.<kind>` signal whose strength is the lookout's
priority (high 1.0, medium 0.75, low 0.5) times, for party names, the name match
score. Expired or cancelled lookouts never match.

Values by kind:
- party: a name, compared with every party of the filing through the screening matcher;
- address: street and city words, all of which must appear in a party's address;
- hs: an HS / Schedule B prefix (digits, dots ignored); eccn: an ECCN prefix;
- country: ISO-2 of the destination or of any foreign party; port: a Schedule D code;
- carrier: the carrier's name (case and spacing ignored);
- route: `PORT>DEST` (either side may be `*`) or `via:CC` for a transshipment country
  (an intermediate consignee, forwarder or consignee in CC while the destination differs).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from exodus.core.countries import is_country
from exodus.core.filings import Filing
from exodus.core.screening import match_names, normalize_name
from exodus.core.targeting.model import Signal
from exodus.core.text import is_hidden, visible, without_hidden
from exodus.errors import InvalidInput

KINDS = ("party", "address", "hs", "eccn", "country", "port", "carrier", "route")
PRIORITY_STRENGTH = {"high": 1.0, "medium": 0.75, "low": 0.5}
PARTY_MATCH = 0.8


@dataclass(frozen=True, slots=True)
class Lookout:
    id: int
    kind: str
    value: str
    reason: str
    priority: str = "medium"
    expires: date | None = None
    active: bool = True

    def live(self, on: date) -> bool:
        """Tell whether the lookout matches filings exported on `on`."""
        return self.active and (self.expires is None or on <= self.expires)


def _squash(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


# An ECCN or its start: category and group (3A), the number (3A001), paragraphs (3A001.a.1).
ECCN_PREFIX = re.compile(r"EAR99|\d[A-E](?:\d{1,3})?|\d[A-E]\d{3}(?:\.[A-Z0-9]+)+\.?")


def _check_country(code: str, what: str) -> None:
    if not is_country(code):
        raise InvalidInput(f"{what} needs an ISO 3166-1 alpha-2 country code, got {code!r}")


def check_lookout(kind: str, value: str, priority: str) -> str:
    """Validate a lookout's kind, value and priority; return the value in its stored form."""
    if kind not in KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    priority = priority.strip().lower() if isinstance(priority, str) else priority
    if priority not in PRIORITY_STRENGTH:
        raise InvalidInput(
            f"priority must be one of high, medium, low, got {priority!r}"
        )
    value = value.strip()
    if not without_hidden(value).strip():
        raise InvalidInput("value must not be empty")
    if any(is_hidden(c) for c in value):
        raise InvalidInput(f"value holds a character that shows nothing ({visible(value)[:80]}); "
                           "type the value as it is filed")
    if kind in ("hs",):
        digits = re.sub(r"\D", "", value)
        if not 4 <= len(digits) <= 10:
            raise InvalidInput(f"an HS lookout needs 4 to 10 digits (a heading to a Schedule B number), "
                               f"got {value!r}")
        value = digits
    elif kind in ("eccn", "country", "port"):
        value = value.upper()
        if kind == "country":
            _check_country(value, "a country lookout")
        elif kind == "eccn" and not ECCN_PREFIX.fullmatch(value):
            raise InvalidInput(f"an ECCN lookout needs an ECCN or its start (3A001, 3A001.a, 3A, EAR99), got {value!r}")
    elif kind == "route":
        value = value.upper().replace(" ", "")
        if not (
            re.fullmatch(r"VIA:[A-Z]{2}", value)
            or re.fullmatch(r"(\*|\d{4})>(\*|[A-Z]{2})", value)
        ):
            raise InvalidInput(
                f"a route is PORT>DEST (either may be *) or via:CC, got {value!r}"
            )
        country = value[4:] if value.startswith("VIA:") else value.partition(">")[2]
        if country != "*":
            _check_country(country, "a route")
    return value


def same_value(kind: str, one: str, other: str) -> bool:
    """Tell whether two stored lookout values watch the same thing (names as matching reads them)."""
    if kind in ("party", "address"):
        return normalize_name(one) == normalize_name(other)
    return one == other


class LookoutBook:
    """The lookouts in force, prepared for fast matching against many filings."""

    def __init__(self, lookouts: Sequence[Lookout]) -> None:
        self.lookouts = list(lookouts)
        self._names = {
            lk.id: normalize_name(lk.value)
            for lk in self.lookouts
            if lk.kind == "party"
        }
        self._tokens = {i: set(n.split()) for i, n in self._names.items()}
        self._addresses = {
            lk.id: set(_squash(lk.value).split())
            for lk in self.lookouts
            if lk.kind == "address"
        }

    def __len__(self) -> int:
        return len(self.lookouts)

    def match(self, filing: Filing, on: date | None = None) -> list[Signal]:
        """Return one `lookout.<kind>` signal per live lookout the filing matches."""
        day = on or filing.export_date
        signals = []
        for lookout in self.lookouts:
            if not lookout.live(day):
                continue
            hit = getattr(self, f"_{lookout.kind}")(lookout, filing)
            if hit is None:
                continue
            what, score = hit
            signals.append(
                Signal(
                    code=f"lookout.{lookout.kind}",
                    text=f"lookout #{lookout.id} ({lookout.priority}) on {lookout.kind} {lookout.value!r}: "
                    f"{what}. Reason: {lookout.reason}",
                    subject=f"lookout {lookout.id}",
                    strength=PRIORITY_STRENGTH[lookout.priority] * score,
                    evidence={
                        "lookout_id": lookout.id,
                        "kind": lookout.kind,
                        "value": lookout.value,
                        "priority": lookout.priority,
                        "reason": lookout.reason,
                    },
                )
            )
        return signals

    # -- one matcher per kind: return (what matched, score in [0, 1]) or None --

    def _party(self, lookout: Lookout, filing: Filing) -> tuple[str, float] | None:
        wanted = self._tokens[lookout.id]
        best: tuple[str, float] | None = None
        for party in filing.parties:
            if not wanted & set(normalize_name(party.name).split()):
                continue
            result = match_names(party.name, lookout.value)
            if result.score >= PARTY_MATCH and (best is None or result.score > best[1]):
                best = (
                    f"{party.role.value.replace('_', ' ')} {party.name!r} (match {result.score:.2f})",
                    float(result.score),
                )
        return best

    def _address(self, lookout: Lookout, filing: Filing) -> tuple[str, float] | None:
        wanted = self._addresses[lookout.id]
        for party in filing.parties:
            if wanted <= set(_squash(f"{party.address} {party.city}").split()):
                return (
                    f"{party.role.value.replace('_', ' ')} address {party.address!r}",
                    1.0,
                )
        return None

    def _hs(self, lookout: Lookout, filing: Filing) -> tuple[str, float] | None:
        line = next(
            (ln for ln in filing.lines if ln.schedule_b.startswith(lookout.value)), None
        )
        return (f"line {line.line_no} HS {line.schedule_b}", 1.0) if line else None

    def _eccn(self, lookout: Lookout, filing: Filing) -> tuple[str, float] | None:
        line = next(
            (
                ln
                for ln in filing.lines
                if (ln.eccn or "").upper().startswith(lookout.value)
            ),
            None,
        )
        return (f"line {line.line_no} ECCN {line.eccn}", 1.0) if line else None

    def _country(self, lookout: Lookout, filing: Filing) -> tuple[str, float] | None:
        if filing.country_of_destination == lookout.value:
            return f"destination {lookout.value}", 1.0
        party = next(
            (
                p
                for p in filing.parties
                if p.country == lookout.value and p.country != "US"
            ),
            None,
        )
        return (
            (f"{party.role.value.replace('_', ' ')} in {lookout.value}", 1.0)
            if party
            else None
        )

    def _port(self, lookout: Lookout, filing: Filing) -> tuple[str, float] | None:
        return (
            (f"port of export {filing.port_of_export}", 1.0)
            if filing.port_of_export == lookout.value
            else None
        )

    def _carrier(self, lookout: Lookout, filing: Filing) -> tuple[str, float] | None:
        return (
            (f"carrier {filing.carrier!r}", 1.0)
            if _squash(filing.carrier) == _squash(lookout.value)
            else None
        )

    def _route(self, lookout: Lookout, filing: Filing) -> tuple[str, float] | None:
        dest = filing.country_of_destination
        if lookout.value.startswith("VIA:"):
            country = lookout.value[4:]
            if dest == country:
                return None
            party = next((p for p in filing.parties if p.country == country), None)
            return (
                (
                    f"{party.role.value.replace('_', ' ')} in {country} on the way to {dest}",
                    1.0,
                )
                if party
                else None
            )
        port, _, wanted = lookout.value.partition(">")
        if port not in ("*", filing.port_of_export) or wanted not in ("*", dest):
            return None
        return f"route {filing.port_of_export} > {dest}", 1.0
