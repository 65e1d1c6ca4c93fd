"""Open decisions as a deadline source (:data:`pokja.time.sources.SOURCES`): listed for, and
reminded to, the owner agency; in ``/deadlines``, the reminders and the agenda alike."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.models import Case, Decision
from pokja.models.base import records
from pokja.time.meeting_clocks import DECISION_CLOCK
from pokja.time.scope import Due, DueScope, overdue_filter, since_day_condition, within


def decisions_awaiting_action(session: Session, scope: DueScope) -> list[Due]:
    """Open decisions due by the scope's last day, for their owner agency."""
    stmt = (
        sa.select(
            Decision.id,
            Decision.pokja_id,
            Decision.meeting_id,
            Decision.case_id,
            Decision.owner_agency_id,
            Decision.due_on,
            Decision.due_unit,
            Case.register_number,
        )
        .outerjoin(Case, Case.id == Decision.case_id)
        .where(
            Decision.pokja_id.in_(scope.pokjas),
            Decision.status == "open",
            Decision.due_on <= max(p.until for p in scope.pokjas.values()),
            since_day_condition(scope, Decision.due_on),
        )
    )
    if scope.agency_id is not None:
        stmt = stmt.where(Decision.owner_agency_id == scope.agency_id)
    if scope.cases is not None:
        # A decision without a case is the Pokja's; one on a case follows the case's scope.
        stmt = stmt.where(sa.or_(Decision.case_id.is_(None), scope.cases))
    stmt = overdue_filter(
        scope,
        stmt,
        lambda: scope.only_one().calendar.day_overdue_condition(Decision.due_on, scope.now),
    )
    stmt = stmt.order_by(Decision.due_on, Decision.id)
    if scope.limit:
        stmt = stmt.limit(scope.limit)
    items = []
    # Plain columns on the session's connection: no ORM loading to set up (see records()).
    for row in records(session.connection().execute(stmt)):
        clocks = scope.pokjas[row.pokja_id]
        due_at = clocks.calendar.end_of(row.due_on)
        if not within(scope, row.pokja_id, due_at):
            continue
        items.append(
            Due(
                kind="decision",
                item_id=row.id,
                pokja_id=row.pokja_id,
                case_id=row.case_id,
                register_number=row.register_number,
                clock=DECISION_CLOCK,
                due_at=due_at,
                unit=row.due_unit,
                agency_id=row.owner_agency_id,
                acting_agency_ids=(row.owner_agency_id,),
                payload={
                    "decision_id": row.id,
                    "meeting_id": row.meeting_id,
                    "case_id": row.case_id,
                    "register_number": row.register_number,
                    "due_on": row.due_on,
                },
            )
        )
    return items
