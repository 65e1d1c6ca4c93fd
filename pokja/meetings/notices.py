"""Webhooks about meetings and decisions, through the outbox (:mod:`pokja.notify.outbox`):
``meeting.scheduled``, ``meeting.rescheduled`` and ``meeting.cancelled`` to the invited
agencies, ``decision.assigned`` to a decision's owner agency. Payloads are thin, as every
outbox payload: identifiers, status, times and place, no minutes or decision text."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.models import Decision, Meeting, MeetingInvitation
from pokja.notify.outbox import notify


def meeting_payload(meeting: Meeting) -> dict[str, Any]:
    return {
        "meeting_id": meeting.id,
        "title": meeting.title,
        "status": meeting.status,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "online_url": meeting.online_url,
        "sequence": meeting.sequence,
    }


def invited_agency_ids(session: Session, meeting: Meeting) -> list[uuid.UUID]:
    return list(
        session.scalars(
            sa.select(MeetingInvitation.agency_id)
            .where(MeetingInvitation.meeting_id == meeting.id)
            .order_by(MeetingInvitation.agency_id)
        )
    )


def notify_invited(
    session: Session,
    meeting: Meeting,
    event_type: str,
    agency_ids: Iterable[uuid.UUID] | None = None,
) -> int:
    """``event_type`` to every invited agency (or to ``agency_ids`` only)."""
    payload = meeting_payload(meeting)
    targets = invited_agency_ids(session, meeting) if agency_ids is None else agency_ids
    return sum(
        notify(
            session,
            pokja_id=meeting.pokja_id,
            agency_id=agency_id,
            event_type=event_type,
            payload=payload,
        )
        for agency_id in targets
    )


def decision_payload(decision: Decision) -> dict[str, Any]:
    return {
        "decision_id": decision.id,
        "meeting_id": decision.meeting_id,
        "owner_agency_id": decision.owner_agency_id,
        "case_id": decision.case_id,
        "due_on": decision.due_on,
        "status": decision.status,
    }


def notify_assigned(session: Session, decision: Decision) -> int:
    return notify(
        session,
        pokja_id=decision.pokja_id,
        agency_id=decision.owner_agency_id,
        event_type="decision.assigned",
        payload=decision_payload(decision),
    )
