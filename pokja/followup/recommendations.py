"""Recommendations (rekomendasi) and their follow-up (DESIGN §3, §6).

The holder issues a recommendation to the authority that decides: a Pokja agency, or an outside
authority (KASN, BKN, the regent as PPK) for which a Pokja agency acts. Its follow-up deadline
is computed once, when it is issued, from the letter's date (or its recorded receipt) with the
case's clock settings; whether it is overdue and how many
days are left are derived at read time from :func:`pokja.time.clock.now`. Completion is a
conditional UPDATE on ``status = 'issued'``, so of two concurrent follow-ups one wins.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.access.permissions import action_permissions
from pokja.access.roles import acting_kind, member_of
from pokja.audit import events
from pokja.cases.editing import move_stage
from pokja.cases.stages import check_transition
from pokja.errors import Conflict, NotFound, NotPermitted, field_error
from pokja.handoffs.queries import lock_case, pokja_agency
from pokja.handoffs.shares import grant_share
from pokja.models import (
    Agency,
    Case,
    Pokja,
    Recommendation,
    Sanction,
    Share,
    User,
)
from pokja.notify.outbox import notify
from pokja.time import clock
from pokja.time.calendar import PokjaCalendar, is_overdue
from pokja.time.calendar import overdue_condition as calendar_overdue
from pokja.time.catalogue import Clock, ElectionKind
from pokja.time.settings import calendar_for, pokja_deadline, settings_for

FOLLOW_UP = Clock.RECOMMENDATION_FOLLOW_UP


def addressee_side(session: Session, pokja_id: uuid.UUID, addressee: Agency) -> list[Agency]:
    """The addressee and, for an outside authority, the Pokja's active agencies acting for it."""
    side = [addressee]
    acting = acting_kind(addressee.kind)
    if acting:
        side += session.scalars(
            sa.select(Agency)
            .where(Agency.pokja_id == pokja_id, Agency.kind == acting, Agency.active.is_(True))
            .order_by(Agency.created_at, Agency.id)
        )
    return side


def overdue_condition(now: datetime) -> sa.ColumnElement[bool]:
    """Still issued at or after its deadline (``is_overdue``: overdue *at* the instant)."""
    late = calendar_overdue(Recommendation.follow_up_due_at, now)
    return sa.and_(Recommendation.status == "issued", late)


def filter_recommendations(
    stmt: sa.Select[Recommendation],
    *,
    addressee_id: uuid.UUID | None = None,
    case_id: uuid.UUID | None = None,
    status: str | None = None,
    due_before: datetime | None = None,
    overdue: bool | None = None,
) -> sa.Select[Recommendation]:
    """Narrow a recommendation query (``overdue``: derived now, DESIGN §6)."""
    if addressee_id:
        stmt = stmt.where(Recommendation.addressee_agency_id == addressee_id)
    if case_id:
        stmt = stmt.where(Recommendation.case_id == case_id)
    if status:
        stmt = stmt.where(Recommendation.status == status)
    if due_before:
        stmt = stmt.where(Recommendation.follow_up_due_at < due_before)
    if overdue is not None:
        late = overdue_condition(clock.now())
        stmt = stmt.where(late if overdue else sa.not_(late))
    return stmt


def deadline_view(
    calendar: PokjaCalendar, due_at: datetime, unit: str, now: datetime, *, open: bool
) -> dict[str, Any]:
    """``{due_at, unit, days_left, overdue}``; a completed item has no days left to count."""
    return {
        "due_at": due_at.astimezone(calendar.zone),
        "unit": unit,
        "days_left": calendar.days_left(due_at, now, unit) if open else None,  # type: ignore[arg-type]
        "overdue": open and is_overdue(due_at, now),
    }


def follow_up_clock(
    session: Session, pokja: Pokja, case: Case, start: datetime
) -> tuple[datetime, str]:
    unit = settings_for(session, pokja, case)[FOLLOW_UP][ElectionKind(case.election_kind)].unit
    return pokja_deadline(session, pokja, FOLLOW_UP, case.election_kind, start, case), unit


def letter_start(session: Session, pokja: Pokja, data: dict[str, Any]) -> datetime:
    """When a letter's follow-up clock starts (DESIGN §6): at its recorded receipt, else at
    its date — not when it is typed in, so that a back-dated letter is overdue when it is."""
    received = data.get("received_on")
    if received is not None and received < data["date"]:
        raise field_error("received_on", "A letter is received on or after its date.")
    return calendar_for(session, pokja).start_of(received or data["date"])


def move_case(session: Session, actor: User, case: Case, to_stage: str, note: str) -> None:
    """Move the case as a consequence of a recommendation step; the step's own permission has
    been checked already."""
    move_stage(session, actor, case, to_stage, note=note)


def snapshot(rec: Recommendation) -> dict[str, Any]:
    return {
        "recommendation_id": rec.id,
        "issuing_agency_id": rec.issuing_agency_id,
        "addressee_agency_id": rec.addressee_agency_id,
        "number": rec.number,
        "status": rec.status,
        "follow_up_due_at": rec.follow_up_due_at,
    }


def payload(rec: Recommendation, case: Case) -> dict[str, Any]:
    """Thin webhook payload: identifiers, number, status and dates (pokja.notifications)."""
    return {**snapshot(rec), "case_id": case.id, "register_number": case.register_number}


def issue_recommendation(
    session: Session, actor: User, case: Case, data: dict[str, Any]
) -> Recommendation:
    """Issue a recommendation on ``case`` (the holder's liaison or a coordinator, DESIGN §4).

    ``data``: addressee_agency_id, number, date, text. The case moves to ``recommended`` (it
    stays there when another recommendation is open); the addressee side gets a share of the
    case, so that it reads what it must decide on, and a ``recommendation.received`` message.
    """
    lock_case(session, case)
    if not action_permissions(session, actor, case).can_edit:
        raise NotPermitted("Only the holding agency's liaison or a coordinator recommends.")
    if case.stage != "recommended":
        check_transition(case.stage, "recommended")
    addressee = pokja_agency(
        session, case.pokja_id, data.get("addressee_agency_id"), "addressee_agency_id"
    )
    if addressee.id == case.holder_agency_id:
        raise field_error(
            "addressee_agency_id", "The holder cannot recommend to itself.", "recommend_to_holder"
        )
    pokja = session.get_one(Pokja, case.pokja_id)
    now = clock.now()
    due_at, unit = follow_up_clock(session, pokja, case, letter_start(session, pokja, data))
    rec = Recommendation(
        pokja_id=case.pokja_id,
        case_id=case.id,
        issuing_agency_id=case.holder_agency_id,
        addressee_agency_id=addressee.id,
        number=data["number"],
        date=data["date"],
        received_on=data.get("received_on"),
        text=data["text"],
        issued_at=now,
        follow_up_due_at=due_at,
        due_unit=unit,
        status="issued",
        issued_by_id=actor.id,
    )
    session.add(rec)
    session.flush()
    events.record(
        session,
        pokja_id=case.pokja_id,
        case_id=case.id,
        actor=actor,
        type="recommendation.issued",
        data={**snapshot(rec), "date": rec.date, "received_on": rec.received_on, "text": rec.text},
    )
    if case.stage != "recommended":
        move_case(session, actor, case, "recommended", f"Recommendation {rec.number}")
    side = addressee_side(session, case.pokja_id, addressee)
    shared = set(
        session.scalars(
            sa.select(Share.agency_id).where(Share.case_id == case.id, Share.revoked_at.is_(None))
        )
    )
    for agency in side:
        if agency.id != case.holder_agency_id and agency.id not in shared:
            grant_share(session, actor, case, agency.id, f"Rekomendasi {rec.number}")
        notify(
            session,
            pokja_id=case.pokja_id,
            agency_id=agency.id,
            event_type="recommendation.received",
            payload=lambda: payload(rec, case),
        )
    return rec


def load_recommendation(session: Session, actor: User, rec: Recommendation) -> tuple[Case, Agency]:
    if not member_of(actor, rec.pokja_id):
        raise NotFound("Recommendation not found.")
    return session.get_one(Case, rec.case_id), session.get_one(Agency, rec.addressee_agency_id)


def require_issued(rec: Recommendation) -> None:
    if rec.status != "issued":
        raise Conflict(f"The recommendation is {rec.status} already.", code="recommendation_closed")


def sanctions_of(session: Session, case: Case) -> sa.Select[Sanction]:
    """The case's sanctions (the caller has been checked to see the case in full)."""
    return sa.select(Sanction).where(Sanction.case_id == case.id)
