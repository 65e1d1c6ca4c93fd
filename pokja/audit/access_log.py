"""The access log: reads of personal data (DESIGN §3: subject identity, reporter), apart from
the change chain.

A read appends one row in the reading request's own transaction, with no lock that another
reader or a writer holds: no chain head, no foreign key (see
:class:`~pokja.models.PersonalDataRead`). It is made tamper-evident afterwards: the worker (or
``pokja audit-digest``) digests each Pokja's undigested reads into one
``access_log.digested`` event of the hash chain — how many reads, and the SHA-256 over their
canonical forms in order — and marks them with that event. ``pokja audit-verify`` recomputes
every digest, so a digested read altered, added or removed is detected like a changed event.
The digest itself is a plain SHA-256: it is stored in a chain event, whose HMAC under the audit
key (:mod:`pokja.audit.keys`) covers it, so a forged read needs the key like a forged event.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.audit import events
from pokja.models import Event, PersonalDataRead, User
from pokja.time import clock

DIGESTED = "access_log.digested"
# Bounds one digest (and its transaction); the next pass takes the rest.
DIGEST_BATCH = 10_000


class ReadCase(Protocol):
    @property
    def id(self) -> uuid.UUID: ...
    @property
    def pokja_id(self) -> uuid.UUID: ...


def record_personal_data_view(
    session: Session, actor: User, case: ReadCase, what: Iterable[str]
) -> None:
    """Log that ``actor`` read personal data of ``case`` (``what``: "subjects", "reporter"):
    one INSERT, committed with the request. Every full read of a case runs it, so the
    statement is built once and sent on the session's connection, without the ORM."""
    values = {
        "id": uuid.uuid4(),
        "pokja_id": case.pokja_id,
        "case_id": case.id,
        "user_id": actor.id,
        "agency_id": actor.agency_id,
        "read_at": clock.now(),
        "fields": sorted(set(what)),
    }
    session.connection().execute(_INSERT_READ, values)


_INSERT_READ = sa.insert(PersonalDataRead.__table__)  # type: ignore[arg-type]


def record_personal_data_views(
    session: Session,
    actor: User,
    pokja_id: uuid.UUID,
    case_ids: Iterable[uuid.UUID],
    what: Iterable[str],
) -> None:
    """Log that ``actor`` read personal data of each of ``case_ids`` (a feed page, an export
    batch): one multi-row INSERT, committed with the request."""
    now, fields = clock.now(), sorted(set(what))
    rows = [
        {
            "id": uuid.uuid4(),
            "pokja_id": pokja_id,
            "case_id": case_id,
            "user_id": actor.id,
            "agency_id": actor.agency_id,
            "read_at": now,
            "fields": fields,
        }
        for case_id in case_ids
    ]
    if rows:
        session.execute(sa.insert(PersonalDataRead), rows)


def _canonical(row: Any) -> bytes:
    fields = [
        str(row.id),
        str(row.pokja_id),
        str(row.case_id),
        row.user_id and str(row.user_id),
        row.agency_id and str(row.agency_id),
        row.read_at.isoformat(),
        sorted(row.fields),
    ]
    return json.dumps(fields, separators=(",", ":")).encode()


def _digest(rows: Iterable[Any]) -> tuple[int, str]:
    digest, count = hashlib.sha256(), 0
    for row in rows:
        digest.update(hashlib.sha256(_canonical(row)).digest())
        count += 1
    return count, digest.hexdigest()


_COLUMNS = (
    PersonalDataRead.id,
    PersonalDataRead.pokja_id,
    PersonalDataRead.case_id,
    PersonalDataRead.user_id,
    PersonalDataRead.agency_id,
    PersonalDataRead.read_at,
    PersonalDataRead.fields,
)
_ORDER = (PersonalDataRead.read_at, PersonalDataRead.id)


def digest_reads(session: Session) -> int:
    """Digest every Pokja's undigested reads into its change chain (in the caller's
    transaction); returns how many reads were digested."""
    pokja_ids = session.scalars(
        sa.select(PersonalDataRead.pokja_id)
        .where(PersonalDataRead.digest_event_id.is_(None))
        .distinct()
    ).all()
    digested = 0
    for pokja_id in pokja_ids:
        stmt = (
            sa.select(*_COLUMNS)
            .where(
                PersonalDataRead.pokja_id == pokja_id, PersonalDataRead.digest_event_id.is_(None)
            )
            .order_by(*_ORDER)
            .limit(DIGEST_BATCH)
            # Two digesting workers never take the same reads (PostgreSQL; SQLite has one
            # writer at a time anyway).
            .with_for_update(skip_locked=True)
        )
        rows = session.execute(stmt).all()
        if not rows:
            continue
        count, digest = _digest(rows)
        event = events.record(
            session,
            pokja_id=pokja_id,
            case_id=None,
            actor=None,
            type=DIGESTED,
            data={
                "reads": count,
                "digest": digest,
                "first_read_at": rows[0].read_at,
                "last_read_at": rows[-1].read_at,
            },
        )
        session.execute(
            sa.update(PersonalDataRead)
            .where(PersonalDataRead.id.in_([row.id for row in rows]))
            .values(digest_event_id=event.id)
            .execution_options(synchronize_session=False)
        )
        digested += count
    return digested


@dataclass(frozen=True)
class DigestBreak:
    """A digest that the access log no longer matches."""

    pokja_id: uuid.UUID
    event_id: uuid.UUID
    reason: str


def verify_digests(session: Session, pokja_id: uuid.UUID | None = None) -> DigestBreak | None:
    """Recompute every digest of the access log (one Pokja or all); the first mismatch."""
    stmt = sa.select(Event.id, Event.pokja_id, Event.data).where(Event.type == DIGESTED)
    if pokja_id is not None:
        stmt = stmt.where(Event.pokja_id == pokja_id)
    for event_id, event_pokja, data in session.execute(stmt.order_by(Event.pokja_id, Event.seq)):
        rows = session.execute(
            sa.select(*_COLUMNS)
            .where(PersonalDataRead.digest_event_id == event_id)
            .order_by(*_ORDER)
        )
        count, digest = _digest(rows)
        if count != data.get("reads"):
            reason = f"the digest holds {data.get('reads')} reads, the log {count}"
            return DigestBreak(event_pokja, event_id, reason)
        if digest != data.get("digest"):
            return DigestBreak(event_pokja, event_id, "a digested read differs from what was read")
    return None


def undigested(session: Session, pokja_id: uuid.UUID | None = None) -> int:
    """How many reads wait for their digest (not yet anchored in the chain)."""
    stmt = sa.select(sa.func.count()).where(PersonalDataRead.digest_event_id.is_(None))
    if pokja_id is not None:
        stmt = stmt.where(PersonalDataRead.pokja_id == pokja_id)
    return session.scalar(stmt) or 0
