"""When a meeting closes, each case that was on its agenda gets "discussed at <meeting>" in
its history (DESIGN §7): an event on the case, in the Pokja's chain, before the closing event
whose hash the minutes carry."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.audit import events
from pokja.meetings.agenda_snapshot import agenda_case_ids
from pokja.models import AgendaItem, Case, Decision, Meeting, User

DISCUSSED = "case.discussed_at_meeting"


def cases_on_agenda(session: Session, meeting: Meeting) -> list[uuid.UUID]:
    """The Pokja's cases the frozen agenda, the manual items or the decisions name."""
    ids = agenda_case_ids(meeting.agenda_snapshot)
    for model in (AgendaItem, Decision):
        ids.update(
            session.scalars(
                sa.select(model.case_id).where(
                    model.meeting_id == meeting.id, model.case_id.is_not(None)
                )
            )
        )
    if not ids:
        return []
    return list(
        session.scalars(
            sa.select(Case.id)
            .where(Case.id.in_(ids), Case.pokja_id == meeting.pokja_id)
            .order_by(Case.registered_at, Case.id)
        )
    )


def record_discussed_cases(session: Session, actor: User, meeting: Meeting) -> int:
    cases = cases_on_agenda(session, meeting)
    for case_id in cases:
        events.record(
            session,
            pokja_id=meeting.pokja_id,
            case_id=case_id,
            actor=actor,
            type=DISCUSSED,
            data={
                "meeting_id": meeting.id,
                "meeting_title": meeting.title,
                "meeting_starts_at": meeting.starts_at,
            },
        )
    return len(cases)
