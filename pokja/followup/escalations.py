"""Escalations: the next step on a recommendation the addressee has not acted on — a reminder
letter, a request to BKN to block personnel data, a report to the Ministry (DESIGN §3)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.access.roles import is_coordinator_of
from pokja.audit import events
from pokja.errors import NotPermitted, field_error
from pokja.followup.recommendations import (
    addressee_side,
    follow_up_clock,
    letter_start,
    load_recommendation,
    payload,
    require_issued,
)
from pokja.followup.sanctions import ESCALATION_KINDS
from pokja.models import (
    Escalation,
    Pokja,
    Recommendation,
    User,
)
from pokja.notify.outbox import notify
from pokja.time import clock


def escalate(
    session: Session, actor: User, rec: Recommendation, data: dict[str, Any]
) -> Escalation:
    """Record the next step on a recommendation the addressee has not acted on (DESIGN §3).

    A coordinator or the issuing agency's liaison, while the recommendation is still issued.
    ``data``: kind, letter_number, date, received_on, addressee, text, due_at (default: the
    follow-up clock again, from the letter's receipt or else its date, in the Pokja's zone).
    """
    case, addressee = load_recommendation(session, actor, rec)
    coordinator = is_coordinator_of(actor, rec.pokja_id)
    issuer = actor.role == "liaison" and actor.agency_id == rec.issuing_agency_id
    if not (coordinator or issuer):
        raise NotPermitted("Only the issuing agency's liaison or a coordinator escalates.")
    require_issued(rec)
    if data.get("kind") not in ESCALATION_KINDS:
        raise field_error("kind", f"Must be one of {', '.join(ESCALATION_KINDS)}.")
    pokja = session.get_one(Pokja, rec.pokja_id)
    due_at, unit = follow_up_clock(session, pokja, case, letter_start(session, pokja, data))
    if data.get("due_at") is not None:
        due_at = data["due_at"]
    escalation = Escalation(
        pokja_id=rec.pokja_id,
        recommendation_id=rec.id,
        case_id=case.id,
        kind=data["kind"],
        letter_number=data["letter_number"],
        date=data["date"],
        received_on=data.get("received_on"),
        addressee=data["addressee"],
        text=data.get("text") or "",
        due_at=due_at,
        due_unit=unit,
        created_by_id=actor.id,
        created_at=clock.now(),
    )
    session.add(escalation)
    session.flush()
    events.record(
        session,
        pokja_id=case.pokja_id,
        case_id=case.id,
        actor=actor,
        type="recommendation.escalated",
        data={
            "recommendation_id": rec.id,
            "escalation_id": escalation.id,
            "kind": escalation.kind,
            "letter_number": escalation.letter_number,
            "date": escalation.date,
            "received_on": escalation.received_on,
            "addressee": escalation.addressee,
            "due_at": escalation.due_at,
        },
    )
    for agency in addressee_side(session, rec.pokja_id, addressee):
        notify(
            session,
            pokja_id=rec.pokja_id,
            agency_id=agency.id,
            event_type="escalation.received",
            payload=lambda: {
                **payload(rec, case),
                "escalation_id": escalation.id,
                "kind": escalation.kind,
                "due_at": escalation.due_at,
            },
        )
    return escalation


def escalations_of(rec: Recommendation) -> sa.Select[Escalation]:
    """A recommendation's escalations (the caller has been checked to see it)."""
    return sa.select(Escalation).where(Escalation.recommendation_id == rec.id)
