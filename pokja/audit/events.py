"""The audit trail: append-only events, hash-chained per Pokja (DESIGN §3, "Event").

Each event's ``hash`` is the HMAC-SHA256, under the audit key it names (``key_id``,
:mod:`pokja.audit.keys`), of its canonical JSON (every stored field and the previous event's
hash), so changing, removing or reordering a stored event breaks the chain from that event on,
and :func:`verify_chain` names the first broken one. Without the key a rewritten event cannot
be given a hash that verifies. Events recorded before the chain was keyed (``key_id`` NULL)
carry the plain SHA-256; one after a keyed event is a break (a downgrade).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.audit import keys
from pokja.models import Event, EventChainHead, User
from pokja.models.base import insert_missing
from pokja.time import clock

GENESIS_HASH = "0" * 64
UNKEYED = "unkeyed"  # how verify_chain counts the events hashed before keys
PERSONAL_DATA_VIEWED = "case.personal_data_viewed"


@dataclass(frozen=True)
class ChainBreak:
    """Where a Pokja's chain is broken; ``event_id`` is None when events at its end are gone."""

    pokja_id: uuid.UUID
    seq: int
    event_id: uuid.UUID | None
    reason: str


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def jsonable(data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` as plain JSON values (UUIDs, dates as strings): what is stored is what is hashed."""
    result: dict[str, Any] = json.loads(json.dumps(data, default=_plain))
    return result


def _canonical(fields: Mapping[str, Any]) -> bytes:
    return json.dumps(
        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain
    ).encode()


def compute_hash(
    *,
    id: uuid.UUID,
    pokja_id: uuid.UUID,
    seq: int,
    case_id: uuid.UUID | None,
    actor_user_id: uuid.UUID | None,
    actor_agency_id: uuid.UUID | None,
    type: str,
    occurred_at: datetime,
    data: Mapping[str, Any],
    prev_hash: str,
    key_id: str | None = None,
    keyring: keys.Keyring | None = None,
) -> str | None:
    """HMAC-SHA256 under ``key_id`` (of ``keyring``, by default the installed one) over the
    canonical JSON of an event's fields and its predecessor's hash; None for a key the
    keyring lacks. ``key_id`` None: the plain SHA-256 of the events from before keys."""
    fields = {
        "id": str(id),
        "pokja_id": str(pokja_id),
        "seq": seq,
        "case_id": str(case_id) if case_id else None,
        "actor_user_id": str(actor_user_id) if actor_user_id else None,
        "actor_agency_id": str(actor_agency_id) if actor_agency_id else None,
        "type": type,
        "occurred_at": occurred_at.isoformat(),
        "data": data,
        "prev_hash": prev_hash,
    }
    if key_id is None:
        return hashlib.sha256(_canonical(fields)).hexdigest()
    return (keyring or keys.current()).mac(key_id, _canonical(fields))


def keyed_hash(keyring: keys.Keyring, **fields: Any) -> str:
    """:func:`compute_hash` under the keyring's current key (which it always holds)."""
    digest = compute_hash(**fields, key_id=keyring.current_id, keyring=keyring)
    if digest is None:
        raise RuntimeError("the current audit key is missing from its keyring")
    return digest


# Every write runs these; built once (ORM statements, so that the session flushes its pending
# changes first and the chain head stays the last row a write locks).
_ADVANCE = (
    sa.update(EventChainHead)
    .where(EventChainHead.pokja_id == sa.bindparam("chain_pokja_id"))
    .values(last_seq=EventChainHead.last_seq + 1)
    .returning(EventChainHead.last_seq, EventChainHead.last_hash)
    .execution_options(synchronize_session=False)
)
_SEAL = (
    sa.update(EventChainHead)
    .where(EventChainHead.pokja_id == sa.bindparam("chain_pokja_id"))
    .values(last_hash=sa.bindparam("chain_hash"))
    .execution_options(synchronize_session=False)
)


def record(
    session: Session,
    *,
    pokja_id: uuid.UUID,
    case_id: uuid.UUID | None,
    actor: User | None,
    type: str,
    data: Mapping[str, Any],
) -> Event:
    """Append an event to the Pokja's chain in the caller's transaction.

    ``actor`` is None for the system (CLI, imports). ``data`` says what changed, e.g.
    ``{"before": {...}, "after": {...}}``. The UPDATE of the chain head locks it until the
    transaction ends, so a Pokja's writers append one after the other and never fork the chain.
    """
    chain = {"chain_pokja_id": pokja_id}
    head = session.execute(_ADVANCE, chain).one_or_none()
    if head is None:  # the Pokja's first event: its chain starts at the genesis hash
        insert_missing(
            session,
            EventChainHead,
            {"pokja_id": pokja_id, "last_seq": 0, "last_hash": GENESIS_HASH},
        )
        head = session.execute(_ADVANCE, chain).one()
    seq, prev_hash = head
    keyring = keys.current()
    event = Event(
        id=uuid.uuid4(),
        pokja_id=pokja_id,
        seq=seq,
        case_id=case_id,
        actor_user_id=actor.id if actor else None,
        actor_agency_id=actor.agency_id if actor else None,
        type=type,
        # Microseconds are kept: both databases store them, and the hash covers them.
        occurred_at=clock.now(),
        data=jsonable(data),
        prev_hash=prev_hash,
        key_id=keyring.current_id,
    )
    event.hash = keyed_hash(
        keyring,
        id=event.id,
        pokja_id=pokja_id,
        seq=seq,
        case_id=case_id,
        actor_user_id=event.actor_user_id,
        actor_agency_id=event.actor_agency_id,
        type=type,
        occurred_at=event.occurred_at,
        data=event.data,
        prev_hash=prev_hash,
    )
    session.execute(_SEAL, {**chain, "chain_hash": event.hash})
    session.add(event)
    session.flush()
    return event


def verify_chain(
    session: Session, pokja_id: uuid.UUID | None = None, used: Counter[str] | None = None
) -> ChainBreak | None:
    """Recompute every stored event's hash, one Pokja or all; the first break, or None.

    Reads raw rows (never the session's cached objects), so that what is checked is what the
    database holds. ``used`` counts the verified events per key id (:data:`UNKEYED` for the
    plain hashes from before keys), which ``pokja audit-verify`` reports.
    """
    keyring = keys.current()
    used = Counter() if used is None else used
    keyed: set[uuid.UUID] = set()
    table = Event.__table__
    stmt = sa.select(table).order_by(table.c.pokja_id, table.c.seq)
    heads = sa.select(EventChainHead.pokja_id, EventChainHead.last_seq, EventChainHead.last_hash)
    if pokja_id is not None:
        stmt = stmt.where(table.c.pokja_id == pokja_id)
        heads = heads.where(EventChainHead.pokja_id == pokja_id)
    expected = {row.pokja_id: (0, GENESIS_HASH) for row in session.execute(heads)}
    last: dict[uuid.UUID, tuple[int, str]] = {}
    result = session.execute(stmt.execution_options(yield_per=1000))
    try:
        for row in result.mappings():
            previous = last.get(row["pokja_id"], (0, GENESIS_HASH))
            broken = _check_link(row, previous, keyring, row["pokja_id"] in keyed)
            if broken:
                return broken
            last[row["pokja_id"]] = (row["seq"], row["hash"])
            used[row["key_id"] or UNKEYED] += 1
            if row["key_id"] is not None:
                keyed.add(row["pokja_id"])
    finally:
        result.close()
    for head in session.execute(heads):
        if last.get(head.pokja_id, expected[head.pokja_id]) != (head.last_seq, head.last_hash):
            seq = last.get(head.pokja_id, (0, ""))[0]
            return ChainBreak(head.pokja_id, seq + 1, None, "events at the chain's end are missing")
    return None


def _check_link(
    row: sa.RowMapping, previous: tuple[int, str], keyring: keys.Keyring, after_keyed: bool
) -> ChainBreak | None:
    seq, prev = previous
    key_id = row["key_id"]
    fields = {k: row[k] for k in ("id", "pokja_id", "seq", "case_id", "type", "data")}
    fields.update(
        actor_user_id=row["actor_user_id"],
        actor_agency_id=row["actor_agency_id"],
        occurred_at=row["occurred_at"],
        prev_hash=row["prev_hash"],
    )
    if row["seq"] != seq + 1:
        reason = f"events {seq + 1} to {row['seq'] - 1} are missing"
    elif row["prev_hash"] != prev:
        reason = "prev_hash does not match the previous event's hash"
    elif key_id is None and after_keyed:
        reason = "an event without an audit key follows keyed events"
    elif key_id is not None and key_id not in keyring.secrets:
        reason = f"the event names the audit key {key_id!r}, which is not configured"
    elif row["hash"] != compute_hash(**fields, key_id=key_id, keyring=keyring):
        reason = "the stored event differs from what was recorded"
    else:
        return None
    return ChainBreak(row["pokja_id"], row["seq"], row["id"], reason)


def count(session: Session, pokja_id: uuid.UUID | None = None) -> int:
    """How many events are stored (for one Pokja or all)."""
    stmt = sa.select(sa.func.count()).select_from(Event)
    if pokja_id is not None:
        stmt = stmt.where(Event.pokja_id == pokja_id)
    return session.scalar(stmt) or 0


def parse_anchor(text: str) -> tuple[int, str]:
    """``SEQ:HASH`` as printed in a meeting's minutes (DESIGN §7)."""
    seq, _, digest = text.partition(":")
    if not seq.isdigit() or len(digest) != 64 or digest.strip("0123456789abcdef"):
        raise ValueError("an anchor is SEQ:HASH, e.g. 42:<64 hex digits>")
    return int(seq), digest


def anchored_pokja(session: Session, seq: int, digest: str) -> uuid.UUID | None:
    """The Pokja whose stored chain has event ``seq`` with hash ``digest`` (hashes are unique),
    or None: once :func:`verify_chain` passes for that Pokja, today's chain runs through the
    anchor, so nothing recorded up to it was changed, removed or reordered since."""
    return session.scalar(sa.select(Event.pokja_id).where(Event.seq == seq, Event.hash == digest))
