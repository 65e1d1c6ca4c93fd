"""How recommendations and their escalations are shown: plain dicts with the deadlines'
``days_left`` and ``overdue`` derived now, from the Pokja's calendar (DESIGN §6)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.followup.recommendations import deadline_view
from pokja.models import Case, Escalation, Pokja, Recommendation, Sanction
from pokja.time import clock
from pokja.time.calendar import PokjaCalendar
from pokja.time.settings import calendar_for


def _columns(obj: Any) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in sa.inspect(obj).mapper.column_attrs}


def _escalation(
    e: Escalation, calendar: PokjaCalendar, now: datetime, *, open: bool
) -> dict[str, Any]:
    deadline = deadline_view(calendar, e.due_at, e.due_unit, now, open=open)
    return {**_columns(e), **deadline, "deadline": deadline}


def present(session: Session, recs: list[Recommendation]) -> list[dict[str, Any]]:
    """The recommendations with their escalations, sanctions and deadlines derived now: one
    statement each for escalations, sanctions, register numbers and the calendar."""
    if not recs:
        return []
    now = clock.now()
    ids = [r.id for r in recs]
    escalations: dict[uuid.UUID, list[Escalation]] = defaultdict(list)
    for e in session.scalars(
        sa.select(Escalation)
        .where(Escalation.recommendation_id.in_(ids))
        .order_by(Escalation.created_at, Escalation.id)
    ):
        escalations[e.recommendation_id].append(e)
    sanctions: dict[uuid.UUID, list[Sanction]] = defaultdict(list)
    for s in session.scalars(
        sa.select(Sanction)
        .where(Sanction.recommendation_id.in_(ids))
        .order_by(Sanction.created_at, Sanction.id)
    ):
        sanctions[s.recommendation_id].append(s)  # type: ignore[index]
    numbers = {
        case_id: number
        for case_id, number in session.execute(
            sa.select(Case.id, Case.register_number).where(Case.id.in_({r.case_id for r in recs}))
        )
    }
    calendars = {
        pokja_id: calendar_for(session, session.get_one(Pokja, pokja_id))
        for pokja_id in {r.pokja_id for r in recs}
    }
    items = []
    for rec in recs:
        calendar, open_ = calendars[rec.pokja_id], rec.status == "issued"
        deadline = deadline_view(calendar, rec.follow_up_due_at, rec.due_unit, now, open=open_)
        items.append(
            {
                **_columns(rec),
                "case_register_number": numbers.get(rec.case_id),
                "follow_up_due_at": deadline["due_at"],
                "days_left": deadline["days_left"],
                "overdue": deadline["overdue"],
                "deadline": deadline,
                "escalations": [
                    _escalation(e, calendar, now, open=open_) for e in escalations[rec.id]
                ],
                "sanctions": sanctions[rec.id],
            }
        )
    return items


def present_escalations(
    session: Session, rec: Recommendation, escalations: Sequence[Escalation]
) -> list[dict[str, Any]]:
    """A recommendation's escalations, each with its own deadline (open while ``rec`` is)."""
    calendar = calendar_for(session, session.get_one(Pokja, rec.pokja_id))
    now, open_ = clock.now(), rec.status == "issued"
    return [_escalation(e, calendar, now, open=open_) for e in escalations]
