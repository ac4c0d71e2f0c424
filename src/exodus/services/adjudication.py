"""Record analysts' decisions on screening hits and set aside known false positives.

A decision names a party (its normalised name and country), a list entry and the
entry's fingerprint when decided. A false positive in force suppresses the same
hit for the same party until it is revoked or the list entry changes (another
fingerprint); suppressed hits are reported as such, never dropped silently.

Two people set a strong hit aside: a false positive on a hit scoring STRONG_SCORE
or more, or matching a listed identifier, waits for the approval of someone else
holding screening.approve; until then it is pending and the hit keeps counting.
After every decision, approval or revocation the stored filings naming the party
are targeted again, so the worklist shows the decision at once.

Only a hit can be decided: the party is screened again (name, country and, when
given, the address as filed) and must score on the list entry at or above the
screening threshold in force, the bar the worklist showed the hit by. A lower
floor would let anyone set aside, or accept, entries screening never raised for
the party, and a decision without a score would escape the two-person rule.

One decision is on record (in force or pending) per party and list entry. Another
one is refused unless it names the decision it replaces; that one is then marked
superseded, with who, when and by which decision (whose reason says why), once the
new one is in force. Should a true match and a false positive ever both be in force,
the true match wins: a hit is never set aside against a decision that it is the party.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import StrEnum
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session, object_session

from exodus.core.countries import check_country
from exodus.core.lists.model import ListEntity
from exodus.core.screening import DEFAULT_THRESHOLD, QueryParty, ScreeningHit, normalize_name
from exodus.core.text import stated_reason
from exodus.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from exodus.storage.decisions import ScreeningDecisionRow
from exodus.storage.models import FilingRow, PartyRow

log = logging.getLogger(__name__)

# A hit this strong is not set aside on one person's word (see module docstring).
STRONG_SCORE = 0.95


class Verdict(StrEnum):
    TRUE_MATCH = "true_match"
    FALSE_POSITIVE = "false_positive"


@dataclass(frozen=True, slots=True)
class Suppressed:
    """A hit set aside by a false-positive decision still in force."""

    hit: ScreeningHit
    decision_id: int
    decided_by: str
    decided_at: datetime
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """Return the hit and the decision that set it aside, for pages and API."""
        return {
            "entity_id": self.hit.entity_id,
            "source": self.hit.source,
            "entity_name": self.hit.entity_name,
            "matched_name": self.hit.matched_name,
            "score": round(float(self.hit.score), 3),
            "explanation": self.hit.explanation,
            "suppressed_by": decision_summary(
                self.decision_id, self.decided_by, self.decided_at, self.reason
            ),
        }


def decision_summary(
    decision_id: int, who: str, when: datetime, reason: str
) -> dict[str, Any]:
    """Return who decided, when and why, as shown next to a suppressed hit."""
    return {"decision_id": decision_id, "decided_by": who,
            "decided_at": when.isoformat(), "reason": reason}  # fmt: skip


def party_key(name: str, country: str | None) -> str:
    """Return the key a decision is kept under: normalised name and country."""
    return f"{normalize_name(name)}|{(country or '').strip().upper()}"


def is_strong(hit: ScreeningHit | None) -> bool:
    """Return whether setting `hit` aside needs a second person: a high score or an identifier match."""
    if hit is None:
        return False
    # The index explains an identifier match as "Identifier '...' matches the listed ...".
    return hit.score >= STRONG_SCORE or "matches the listed" in hit.explanation


class NoHit(InvalidInput):
    """The party named in a decision has no hit on the list entry: nothing to decide."""

    status = 422


def hit_on(index: Any, party_name: str, country: str | None, entity: ListEntity, *,
           address: str | None = None, threshold: float | None = None) -> ScreeningHit | None:
    """Return the hit screening the party gives on `entity` (directly or as another listing), if any.

    `threshold` is the screening threshold in force (None: the default one).
    """
    for hit in index.screen(party_name, country=country, address=address or None,
                            threshold=threshold, limit=50):
        if hit.entity_id == entity.id:
            return hit
        also = next((a for a in hit.also if a.entity_id == entity.id), None)
        if also is not None:
            # TODO: an entry listed with another is weighed by the group's best score,
            # which may overstate it; the safe side for a two-person rule.
            return hit
    return None


def person(actor: str) -> str:
    """Return the account behind an audit actor ("user:ann", "cli:ann", "token:ann#3" -> "ann")."""
    name = actor.split(":", 1)[1] if ":" in actor else actor
    return name.rsplit("#", 1)[0].lower()


def status(row: ScreeningDecisionRow) -> str:
    """Return whether a decision is in force, waits for approval, was revoked or superseded."""
    if row.revoked_at is not None:
        return "revoked"
    if row.superseded_at is not None:
        return "superseded"
    if row.needs_approval and row.approved_at is None:
        return "pending approval"
    return "in force"


# -- recording ----------------------------------------------------------------------


def record_decision(
    session: Session,
    *,
    party_name: str,
    country: str | None,
    entity: ListEntity,
    verdict: str,
    reason: str,
    user: str,
    hit: ScreeningHit | None = None,
    replaces: int | None = None,
) -> ScreeningDecisionRow:
    """Store an analyst's decision on a party and list entry; return the row.

    `hit` is the hit decided on (see `hit_on`; `decide` refuses a party without
    one): a false positive on a strong hit is stored pending a second person's approval.

    One decision is in force (or pending) per party and entry: another one is
    refused (Conflict, naming the one there) unless it `replaces` that one by
    id. The replaced decision is superseded once the new one is in force: at
    once, or on approval when the new one waits for it (until then the old one
    stays in force; a replaced pending one is superseded at once).
    """
    verdict = _verdict(verdict)
    if not party_name.strip():
        raise InvalidInput("field 'party_name' is empty")
    reason = check_reason(reason)
    country = check_country(country, "field 'country'")
    key = party_key(party_name, country)
    serialise(session, key, entity.id)
    _check_open(session, key, entity.id, verdict, replaces)
    row = ScreeningDecisionRow(
        party_key=key,
        party_name=party_name.strip(),
        party_country=country,
        entity_id=entity.id,
        entity_source=entity.source,
        entity_name=entity.name,
        entity_fingerprint=entity.fingerprint(),
        decision=verdict.value,
        reason=reason.strip(),
        decided_by=user,
        decided_at=datetime.now(timezone.utc),
        hit_score=round(float(hit.score), 4) if hit is not None else None,
        needs_approval=verdict is Verdict.FALSE_POSITIVE and is_strong(hit),
        replaces_id=replaces,
    )
    session.add(row)
    session.flush()
    _supersede(session, row, user, now_in_force=status(row) == "in force")
    log.info("screening decision %d: %s on %s by %s%s", row.id, verdict, entity.id, user,
             " (pending approval)" if row.needs_approval else "")
    return row


def check_reason(reason: str) -> str:
    """Return the reason stripped; refuse one that says nothing (see stated_reason)."""
    return stated_reason(reason, "the hit is decided so")


def _open_decisions(session: Session, key: str, entity_id: str) -> list[ScreeningDecisionRow]:
    """Return the decisions on a party and entry neither revoked nor superseded, oldest first."""
    return list(session.execute(
        select(ScreeningDecisionRow).where(
            ScreeningDecisionRow.party_key == key, ScreeningDecisionRow.entity_id == entity_id,
            ScreeningDecisionRow.revoked_at.is_(None), ScreeningDecisionRow.superseded_at.is_(None),
        ).order_by(ScreeningDecisionRow.id)
    ).scalars())


def _replaced_chain(session: Session, row: ScreeningDecisionRow) -> list[ScreeningDecisionRow]:
    """Return the decisions `row` replaces, directly or through a pending one it replaced."""
    chain = []
    target = row.replaces_id
    while target is not None:
        found = session.get(ScreeningDecisionRow, target)
        if found is None:
            break
        chain.append(found)
        target = found.replaces_id
    return chain


def serialise(session: Session, key: str, entity_id: str) -> None:
    """Make every other change to decisions on this party and entry wait until `session` commits.

    The checks that keep one decision on record per party and entry (and an approval
    off a revoked decision) read, then write: two requests at the same instant
    would both pass them. PostgreSQL takes a transaction-scoped advisory lock on
    the pair; SQLite takes its database write lock with a write that changes
    nothing, so the reads that follow see every decision committed before. Call it
    before reading the decisions it guards.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:pair, 0))"),
                        {"pair": f"screening-decision|{key}|{entity_id}"})
    else:
        session.execute(update(ScreeningDecisionRow).where(ScreeningDecisionRow.id == -1)
                        .values(reason=ScreeningDecisionRow.reason))


def _check_open(session: Session, key: str, entity_id: str, verdict: Verdict, replaces: int | None) -> None:
    """Refuse a decision while another is in force or pending on the party and entry, unless it replaces it.

    The caller has serialised changes on the pair (`serialise`).
    """
    open_rows = _open_decisions(session, key, entity_id)
    allowed: set[int] = set()
    if replaces is not None:
        target = session.get(ScreeningDecisionRow, replaces)
        if target is None:
            raise NotFound(f"screening decision {replaces} (to replace) does not exist")
        if (target.party_key, target.entity_id) != (key, entity_id):
            raise InvalidInput(f"screening decision {replaces} is on {target.party_name!r} and list entry "
                               f"{target.entity_id}, not on this party and entry: it cannot be replaced by this one")
        if target not in open_rows:
            raise Conflict(f"screening decision {replaces} is {status(target)}: only a decision in force "
                           "or pending approval can be replaced")
        allowed = {replaces} | {r.id for r in _replaced_chain(session, target)}
    others = [r for r in open_rows if r.id not in allowed]
    if not others:
        return
    there = others[-1]
    state = status(there)
    if there.decision == verdict.value:
        raise Conflict(f"screening decision {there.id} ({there.decision}, {state}, by {there.decided_by}) is "
                       f"already on record for this party and list entry {entity_id}; not recorded twice")
    raise Conflict(f"screening decision {there.id} ({there.decision}, {state}, by {there.decided_by}) is on "
                   f"record for this party and list entry {entity_id}; a contrary decision must replace it "
                   f"explicitly (--replaces {there.id} on the command line, \"replaces\": {there.id} in the API, "
                   f"or 'Replaces decision' {there.id} on the filing page) or it must be revoked first")


def _supersede(session: Session, row: ScreeningDecisionRow, user: str, *, now_in_force: bool) -> None:
    """Mark superseded by `row` what it replaces: all of it once `row` is in force, else only pending ones."""
    now = datetime.now(timezone.utc)
    for old in _replaced_chain(session, row):
        if old.revoked_at is not None or old.superseded_at is not None:
            continue
        if not now_in_force and status(old) == "in force":
            continue  # stays in force until `row` is approved
        old.superseded_at, old.superseded_by, old.superseded_by_id = now, user, row.id
        log.info("screening decision %d superseded by %d (%s)", old.id, row.id, user)


def _decision(session: Session, decision_id: int) -> ScreeningDecisionRow:
    """Return a decision as committed once changes on its party and entry are serialised."""
    row = session.get(ScreeningDecisionRow, decision_id)
    if row is None:
        raise NotFound(f"screening decision {decision_id} does not exist")
    serialise(session, row.party_key, row.entity_id)
    session.refresh(row)
    return row


def approve_decision(session: Session, decision_id: int, user: str) -> ScreeningDecisionRow:
    """Approve a false positive on a strong hit, as a second person; return the row."""
    row = _decision(session, decision_id)
    if row.revoked_at is not None:
        raise Conflict(f"screening decision {decision_id} was revoked")
    if not row.needs_approval:
        raise Conflict(f"screening decision {decision_id} needs no approval: it is in force")
    if row.approved_at is not None:
        raise Conflict(f"screening decision {decision_id} was already approved by {row.approved_by}")
    if row.superseded_at is not None:
        raise Conflict(f"screening decision {decision_id} was superseded by decision {row.superseded_by_id}")
    if person(user) == person(row.decided_by):
        raise PermissionDenied(
            f"{person(user)} recorded screening decision {decision_id}; another person must approve it")
    replaced = {r.id for r in _replaced_chain(session, row)}
    contrary = [r for r in _open_decisions(session, row.party_key, row.entity_id)
                if r.id != row.id and r.id not in replaced]
    if contrary:
        raise Conflict(f"screening decision {contrary[-1].id} ({contrary[-1].decision}) is on record for this "
                       f"party and entry; decision {decision_id} does not replace it, so it cannot come into force")
    row.approved_at = datetime.now(timezone.utc)
    row.approved_by = user
    _supersede(session, row, user, now_in_force=True)
    log.info("screening decision %d approved by %s", decision_id, user)
    return row


def revoke_decision(session: Session, decision_id: int, user: str) -> ScreeningDecisionRow:
    """Withdraw a decision (kept on record with who and when); return the row."""
    row = _decision(session, decision_id)
    if row.revoked_at is not None:
        raise Conflict(f"screening decision {decision_id} was already revoked")
    if row.superseded_at is not None:
        raise Conflict(f"screening decision {decision_id} was superseded by decision {row.superseded_by_id}")
    row.revoked_at = datetime.now(timezone.utc)
    row.revoked_by = user
    log.info("screening decision %d revoked by %s", decision_id, user)
    return row


def list_decisions(
    session: Session,
    *,
    party_name: str | None = None,
    country: str | None = None,
    entity_id: str | None = None,
    include_revoked: bool = False,
    pending: bool = False,
    limit: int = 500,
) -> list[ScreeningDecisionRow]:
    """Return decisions, newest first, for a party, an entry or all (or only those awaiting approval).

    Revoked and superseded decisions are left out unless `include_revoked`.
    """
    query = select(ScreeningDecisionRow).order_by(ScreeningDecisionRow.id.desc())
    if party_name:
        query = query.where(
            ScreeningDecisionRow.party_key == party_key(party_name, country)
        )
    if entity_id:
        query = query.where(ScreeningDecisionRow.entity_id == entity_id)
    if not include_revoked or pending:
        query = query.where(ScreeningDecisionRow.revoked_at.is_(None),
                            ScreeningDecisionRow.superseded_at.is_(None))
    if pending:
        query = query.where(ScreeningDecisionRow.needs_approval.is_(True),
                            ScreeningDecisionRow.approved_at.is_(None))
    return list(session.execute(query.limit(limit)).scalars())


def decision_dict(row: ScreeningDecisionRow) -> dict[str, Any]:
    """Return a decision as plain data for the API and CLI."""
    return {
        "id": row.id, "party_name": row.party_name, "party_country": row.party_country,
        "entity_id": row.entity_id, "source": row.entity_source,
        "entity_name": row.entity_name, "entity_fingerprint": row.entity_fingerprint,
        "decision": row.decision, "reason": row.reason, "decided_by": row.decided_by,
        "decided_at": row.decided_at.isoformat(),
        "hit_score": row.hit_score, "status": status(row),
        "needs_approval": bool(row.needs_approval), "approved_by": row.approved_by,
        "approved_at": row.approved_at.isoformat() if row.approved_at else None,
        "revoked_by": row.revoked_by,
        "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
        "replaces": row.replaces_id, "superseded_by_decision": row.superseded_by_id,
        "superseded_by": row.superseded_by,
        "superseded_at": row.superseded_at.isoformat() if row.superseded_at else None,
    }  # fmt: skip


def _verdict(value: str) -> Verdict:
    """Return the verdict named by `value`, or say which ones exist."""
    try:
        return Verdict(value.strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        known = ", ".join(v.value for v in Verdict)
        raise InvalidInput(f"decision {value!r} is unknown; use one of {known}") from None


# -- suppression --------------------------------------------------------------------


class SuppressionBook:
    """False-positive decisions in force, looked up by party key and entity id."""

    def __init__(self, rows: Sequence[ScreeningDecisionRow]) -> None:
        self._rows: dict[tuple[str, str], ScreeningDecisionRow] = {}
        in_force = [r for r in sorted(rows, key=lambda r: r.id) if status(r) == "in force"]
        # A false positive awaiting approval sets nothing aside; a true match in force (say, one
        # recorded beside a false positive before contrary decisions were refused) always wins.
        matched = {(r.party_key, r.entity_id) for r in in_force if r.decision == Verdict.TRUE_MATCH.value}
        for row in in_force:
            key = (row.party_key, row.entity_id)
            if row.decision == Verdict.FALSE_POSITIVE.value and key not in matched:
                self._rows[key] = row

    @classmethod
    def load(cls, session: Session) -> SuppressionBook:
        """Read every decision in force."""
        rows = session.execute(
            select(ScreeningDecisionRow).where(ScreeningDecisionRow.revoked_at.is_(None),
                                               ScreeningDecisionRow.superseded_at.is_(None))
        ).scalars()
        return cls(list(rows))

    def __len__(self) -> int:
        return len(self._rows)

    def split(
        self, party: QueryParty, hits: Sequence[ScreeningHit]
    ) -> tuple[list[ScreeningHit], list[Suppressed]]:
        """Separate the hits to act on from those a decision in force sets aside.

        A decision stops applying when the list entry has changed since: its
        fingerprint then differs and the hit is back for a fresh look.
        """
        if not self._rows or not hits:
            return list(hits), []
        key = party_key(party.name, party.country)
        kept: list[ScreeningHit] = []
        suppressed: list[Suppressed] = []
        for hit in hits:
            row = self._rows.get((key, hit.entity_id))
            if row is not None and row.entity_fingerprint == hit.entity.fingerprint():
                suppressed.append(
                    Suppressed(hit, row.id, row.decided_by, row.decided_at, row.reason)
                )
            else:
                kept.append(hit)
        return kept, suppressed


def suppressed_for_filing(
    session: Session, index: Any, payload: dict[str, Any]
) -> list[dict[str, Any]]:
    """Return, per party of a stored filing, the hits a false positive sets aside.

    The parties are screened again against the current lists, so a hit shows as
    suppressed only while the decision still applies to the entry as listed.
    """
    from exodus.core.filings import parse_filing

    filing = parse_filing(payload, "stored filing", bounded=False)
    book = SuppressionBook.load(session)
    if not len(book):
        return []
    out: list[dict[str, Any]] = []
    for party in filing.parties:
        query = QueryParty(name=party.name, country=party.country)
        _, suppressed = book.split(query, index.screen(party.name, country=party.country))
        for item in suppressed:
            row = item.to_dict()
            row.update(party_role=party.role.value, party_name=party.name)
            out.append(row)
    return out


def pending_for_filing(session: Session, payload: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the false positives awaiting approval on the parties of a stored filing."""
    from exodus.core.filings import parse_filing

    filing = parse_filing(payload, "stored filing", bounded=False)
    roles = {party_key(p.name, p.country): (p.role.value, p.name) for p in filing.parties}
    rows = session.execute(
        select(ScreeningDecisionRow).where(
            ScreeningDecisionRow.party_key.in_(list(roles)),
            ScreeningDecisionRow.revoked_at.is_(None),
            ScreeningDecisionRow.superseded_at.is_(None),
            ScreeningDecisionRow.needs_approval.is_(True),
            ScreeningDecisionRow.approved_at.is_(None),
        ).order_by(ScreeningDecisionRow.id)
    ).scalars()
    out = []
    for row in rows:
        item = decision_dict(row)
        item["party_role"] = roles[row.party_key][0]
        out.append(item)
    return out


# -- deciding and re-targeting --------------------------------------------------------


def filings_naming(session: Session, key: str) -> list[str]:
    """Return the ids of the stored filings with a party under this decision key."""
    country = key.rsplit("|", 1)[1]
    # TODO: reads every party of the country to compare normalised names; a stored
    # normalised-name column would make this an index lookup on large stores.
    query = (select(FilingRow.filing_id, PartyRow.name)
             .join(FilingRow, FilingRow.id == PartyRow.filing_pk)
             .where(PartyRow.country == country))
    found = {fid for fid, name in session.execute(query.execution_options(yield_per=5000)).tuples()
             if party_key(name, country) == key}
    return sorted(found)


def _after(ex: Any, row: dict[str, Any], key: str) -> dict[str, Any]:
    """Re-target the stored filings naming the decided party; add how many to `row`."""
    with ex.db.session() as session:
        ids = filings_naming(session, key)
    if ids:
        ex.target(ids)
        log.info("screening decision %d: re-targeted %d filings", row["id"], len(ids))
    done = {**row, "retargeted_filings": len(ids)}
    if not row.get("party_country"):
        # Every filed party has a country, so a decision without one meets no filing.
        done["warning"] = ("no country was given: the decision applies to screening of the name "
                           "without a country only, never to a party of a filing; record it "
                           "with the party's country to apply it to filings")
    return done


def decide(ex: Any, who: Any, *, party_name: str, country: str | None, entity_id: str, verdict: str,
           reason: str, via: str, address: str | None = None, replaces: int | None = None) -> dict[str, Any]:
    """Record `who`'s decision on a party's hit, audit it and re-target the filings naming the party.

    `ex` is the running Exodus (database and index); `via` says where it came from.
    The party must have a hit on the entry at the screening threshold in force
    (see the module docstring); `address` is the party's address as filed, which
    screening of filings weighs too. Raises NoHit otherwise. `replaces` names the
    decision in force (or pending) on the party and entry this one replaces; without
    it, a decision while another is on record is refused (see `record_decision`).
    """
    country = check_country(country, "field 'country'")
    index = ex.index()
    entity = next((e for e in index.entities if e.id == entity_id), None)
    if entity is None:
        raise NotFound(f"no list entry {entity_id!r} in the active lists")
    if not party_name.strip():
        raise InvalidInput("field 'party_name' is empty")
    threshold = ex.settings.screen_threshold
    hit = hit_on(index, party_name, country, entity, address=address, threshold=threshold)
    if hit is None:
        floor = DEFAULT_THRESHOLD if threshold is None else threshold
        raise NoHit(f"party {party_name.strip()[:200]!r} has no hit on list entry {entity_id} "
                    f"(screening threshold {floor:g}): only hits screening raised can be decided")
    from exodus.auth.trail import note

    with ex.db.session() as session:
        row = record_decision(session, party_name=party_name, country=country, entity=entity,
                              verdict=verdict, reason=reason, user=who.actor, hit=hit, replaces=replaces)
        note(session, who, "screening.decided", "party", party_name[:200],
             {"entity_id": entity_id, "decision": row.decision, "decision_id": row.id,
              "hit_score": row.hit_score, "status": status(row), "via": via, "replaces": replaces,
              "superseded": _superseded_by(session, row), "country": country,
              "reason": reason.strip()[:500]})
        done, key = decision_dict(row), row.party_key
    return _after(ex, done, key)


def approve(ex: Any, who: Any, decision_id: int, *, via: str) -> dict[str, Any]:
    """Approve a pending false positive as a second person, audit it and re-target."""
    return _change(ex, who, decision_id, approve_decision, "screening.decision_approved", via,
                   lambda row: {"decided_by": row.decided_by,
                                "superseded": _superseded_by(object_session(row), row)})


def _superseded_by(session: Session | None, row: ScreeningDecisionRow) -> list[int]:
    """Return the ids of the decisions `row` has superseded (for the audit entry)."""
    if session is None or row.replaces_id is None:
        return []
    return [r.id for r in _replaced_chain(session, row) if r.superseded_by_id == row.id]


def revoke(ex: Any, who: Any, decision_id: int, *, via: str) -> dict[str, Any]:
    """Revoke a decision, audit it and re-target the filings naming the party."""
    return _change(ex, who, decision_id, revoke_decision, "screening.decision_revoked", via)


def _change(ex: Any, who: Any, decision_id: int, change: Callable[[Session, int, str], ScreeningDecisionRow],
            event: str, via: str,
            detail: Callable[[ScreeningDecisionRow], dict[str, Any]] = lambda row: {}) -> dict[str, Any]:
    """Apply `change` to a decision as `who`, audit it as `event` (with `detail` of the row) and re-target."""
    from exodus.auth.trail import note

    with ex.db.session() as session:
        row = change(session, decision_id, who.actor)
        note(session, who, event, "party", row.party_name[:200],
             {"entity_id": row.entity_id, "decision_id": row.id, **detail(row), "via": via})
        done, key = decision_dict(row), row.party_key
    return _after(ex, done, key)
