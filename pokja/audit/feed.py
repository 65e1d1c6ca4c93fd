"""The changes feed (DESIGN §8): a Pokja's events in chain order, for dashboards that sync.

The feed pages on ``seq``, the event's position in its Pokja's hash chain. A writer takes its
seq by updating the chain head (:func:`pokja.audit.events.record`) and holds that row lock
until it commits, so the Pokja's events commit in seq order: a reader that sees seq n has
seen every seq below it that will ever exist (one rolled back is given again to the next
writer). Paging with "after the last seq seen" therefore never skips an event that commits
later and never repeats one.

Visibility is the case list's: an event of a case the caller sees in full carries its data,
any other (another agency's case, or a Pokja-wide change for a caller who does not see every
case) only its envelope — type, case, register number, time. Reads of personal data are not
changes: their log and its digests are left out.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.access.roles import in_a_pokja
from pokja.access.scopes import access_shape, caller_params, caller_pokja, full_access_condition
from pokja.audit.access_log import DIGESTED
from pokja.audit.events import PERSONAL_DATA_VIEWED
from pokja.audit.history import EVENTS_WITH_SUBJECTS
from pokja.models import Case, Event, User
from pokja.models.base import AnySelect

NOT_CHANGES = (PERSONAL_DATA_VIEWED, DIGESTED)

_STATEMENTS: dict[tuple[str, bool, bool, bool], AnySelect] = {}


def _statement(user: User, by_type: bool, by_case: bool) -> AnySelect:
    stmt = (
        sa.select(
            Event.seq,
            Event.id,
            Event.type,
            Event.case_id,
            Case.register_number,
            Event.occurred_at,
            Event.actor_user_id,
            Event.actor_agency_id,
            Event.data,
            full_access_condition(user).label("full_access"),
        )
        .select_from(Event)
        .outerjoin(Case, Case.id == Event.case_id)
        .where(
            Event.pokja_id == caller_pokja(user),
            Event.seq > sa.bindparam("after_seq"),
            Event.type.not_in(NOT_CHANGES),
        )
        .order_by(Event.seq)
        .limit(sa.bindparam("limit"))
    )
    if not in_a_pokja(user):
        stmt = stmt.where(sa.false())
    if by_type:
        stmt = stmt.where(Event.type == sa.bindparam("type"))
    if by_case:
        stmt = stmt.where(Event.case_id == sa.bindparam("case_id", type_=sa.Uuid()))
    return stmt


def changes(
    session: Session,
    user: User,
    *,
    after_seq: int,
    limit: int,
    type: str | None = None,
    case_id: uuid.UUID | None = None,
) -> list[sa.Row[Any]]:
    """Up to ``limit`` of the caller's Pokja's changes after ``after_seq``, in chain order.

    One statement, built once per kind of caller and filter shape and run with the caller's
    values (DESIGN §12 "hot reads")."""
    key = (access_shape(user), in_a_pokja(user), type is not None, case_id is not None)
    if key not in _STATEMENTS:
        _STATEMENTS[key] = _statement(user, type is not None, case_id is not None)
    params = {**caller_params(user), "after_seq": after_seq, "limit": limit}
    if type is not None:
        params["type"] = type
    if case_id is not None:
        params["case_id"] = case_id
    return list(session.execute(_STATEMENTS[key], params))


def change_view(row: Any) -> dict[str, Any]:
    """One change as the caller may read it: in full, or its envelope."""
    view: dict[str, Any] = {
        "seq": row.seq,
        "id": row.id,
        "type": row.type,
        "case_id": row.case_id,
        "register_number": row.register_number,
        "occurred_at": row.occurred_at,
        "redacted": not row.full_access,
    }
    if row.full_access:
        view.update(
            actor_user_id=row.actor_user_id, actor_agency_id=row.actor_agency_id, data=row.data
        )
    return view


def cases_named(rows: list[Any]) -> list[uuid.UUID]:
    """The cases whose subjects the page shows by name (a personal-data read, DESIGN §3)."""
    named = {row.case_id for row in rows if row.full_access and row.type in EVENTS_WITH_SUBJECTS}
    return sorted(named, key=str)
