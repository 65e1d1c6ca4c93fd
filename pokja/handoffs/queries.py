"""Reading handoffs (pelimpahan): a case's pending one, the acceptance deadline and whether it
has passed, and the filters of the handoff list (DESIGN §4, §6)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from pokja.access.roles import in_a_pokja
from pokja.access.scopes import access_shape, caller_params, visible_handoffs
from pokja.errors import NotFound, field_error
from pokja.models import Agency, Case, Handoff, Pokja, User
from pokja.models.base import AnySelect
from pokja.time import clock
from pokja.time.calendar import PokjaCalendar
from pokja.time.catalogue import Clock
from pokja.time.settings import pokja_deadline


def pending_handoff(session: Session, case_id: uuid.UUID) -> Handoff | None:
    """The case's pending handoff (the database allows at most one)."""
    return session.scalar(
        sa.select(Handoff).where(Handoff.case_id == case_id, Handoff.status == "pending")
    )


def lock_case(session: Session, case: Case) -> None:
    """Read ``case`` again under a row lock, before a write that decides on its holder without
    changing the case itself (a handoff, a share, a recommendation): the request may have read
    the case before a concurrent accept moved its holder, and no version check would notice. An
    accept takes this lock before it moves the holder, so the two are serialised.

    A refresh discards what is not flushed yet: the session is flushed first, so a change this
    transaction has made to the case (a recommendation's stage) is what is read back."""
    session.flush()
    session.refresh(case, with_for_update=True)


def pokja_agency(session: Session, pokja_id: uuid.UUID, agency_id: Any, field: str) -> Agency:
    """An active agency of the Pokja; another Pokja's agency is unknown (422), not forbidden."""
    agency = session.get(Agency, agency_id) if agency_id else None
    if agency is None or agency.pokja_id != pokja_id or not agency.active:
        raise field_error(field, "Unknown agency.", code="unknown_agency")
    return agency


def acceptance_due_on(session: Session, case: Case, sent_at: datetime) -> date:
    """The last day on which the receiver should accept or decline a handoff sent at
    ``sent_at``: 3 working days by Pokja practice (DESIGN §6), counted with the Pokja's own
    calendar and clock settings (:mod:`pokja.time.settings`).
    """
    pokja = session.get_one(Pokja, case.pokja_id)
    deadline = pokja_deadline(
        session, pokja, Clock.HANDOFF_ACCEPTANCE, case.election_kind, sent_at, case
    )
    return deadline.date()  # the deadline is local to the Pokja's zone, so is its date


def acceptance_deadline(handoff: Handoff, time_zone: str) -> datetime | None:
    """The last instant of ``due_on`` in the Pokja's zone (the end of the day: a deadline
    is the end of its last day, :mod:`pokja.time.calendar`)."""
    if handoff.due_on is None:
        return None
    return PokjaCalendar(time_zone).end_of(handoff.due_on)


def is_handoff_overdue(handoff: Handoff, time_zone: str, now: datetime) -> bool:
    """A pending handoff past the end of its ``due_on`` in the Pokja's zone, derived at read
    time (DESIGN §6). An answered handoff is never overdue, whenever it was answered."""
    if handoff.status != "pending" or handoff.due_on is None:
        return False
    return PokjaCalendar(time_zone).day_has_ended(handoff.due_on, now)


def overdue_condition(time_zone: str, now: datetime) -> sa.ColumnElement[bool]:
    """:func:`is_handoff_overdue` as SQL, for filtering a list."""
    ended = PokjaCalendar(time_zone).day_overdue_condition(Handoff.due_on, now)
    return sa.and_(Handoff.status == "pending", Handoff.due_on.is_not(None), ended)


def filter_handoffs(
    session: Session,
    user: User,
    stmt: sa.Select[Handoff],
    *,
    status: str | None = None,
    direction: str | None = None,
    agency_id: uuid.UUID | None = None,
    case_id: uuid.UUID | None = None,
    overdue: bool | None = None,
) -> sa.Select[Handoff]:
    """Narrow a handoff query; ``direction`` is relative to ``agency_id`` or the user's own
    agency (``incoming`` with ``status=pending`` is the agency's inbox)."""
    if status is not None:
        stmt = stmt.where(Handoff.status == status)
    if case_id is not None:
        stmt = stmt.where(Handoff.case_id == case_id)
    agency_id = agency_id or (user.agency_id if direction else None)
    if direction and agency_id is None:
        raise field_error("direction", "You act for no agency: name one with agency_id.")
    if direction == "incoming":
        stmt = stmt.where(Handoff.to_agency_id == agency_id)
    elif direction == "outgoing":
        stmt = stmt.where(Handoff.from_agency_id == agency_id)
    elif agency_id is not None:
        stmt = stmt.where(
            sa.or_(Handoff.from_agency_id == agency_id, Handoff.to_agency_id == agency_id)
        )
    if overdue is not None and user.pokja_id is not None:
        late = overdue_condition(session.get_one(Pokja, user.pokja_id).timezone, clock.now())
        stmt = stmt.where(late if overdue else sa.not_(late))
    return stmt


# What a handoff's representation shows besides the row: the case's register number, the
# Pokja's zone (for its deadline).
SHOWN_WITH = (joinedload(Handoff.case), joinedload(Handoff.pokja))


def listed_handoffs(session: Session, user: User, **filters: Any) -> AnySelect:
    """The handoffs ``user`` may list (:func:`~pokja.access.scopes.visible_handoffs`),
    narrowed by :func:`filter_handoffs`, loaded to be shown."""
    stmt = filter_handoffs(session, user, visible_handoffs(user), **filters)
    return stmt.options(*SHOWN_WITH)


_BY_ID: dict[tuple[str, bool], AnySelect] = {}


def handoff_reader(session: Session, user: User, handoff_id: uuid.UUID) -> Callable[[], Handoff]:
    """:func:`get_handoff`, to be run later (an answer to a handoff reads it back after its
    commit): the statement and the caller's values are settled now."""
    key = (access_shape(user), in_a_pokja(user))
    if key not in _BY_ID:
        by_id = Handoff.id == sa.bindparam("handoff_id", type_=sa.Uuid())
        _BY_ID[key] = visible_handoffs(user).where(by_id).options(*SHOWN_WITH)
    stmt, params = _BY_ID[key], {**caller_params(user), "handoff_id": handoff_id}

    def read() -> Handoff:
        handoff: Handoff | None = session.scalar(stmt, params)
        if handoff is None:
            raise NotFound("Handoff not found.")
        return handoff

    return read


def get_handoff(session: Session, user: User, handoff_id: uuid.UUID) -> Handoff:
    """A handoff on a case ``user`` sees in full; any other is not found (its statement is
    built once per kind of caller and run with the caller's own values)."""
    return handoff_reader(session, user, handoff_id)()
