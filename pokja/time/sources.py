"""The one list of deadline sources (DESIGN §6, §12): everything in a Pokja that falls due.

Each source is a query of one kind of open item (a handoff awaiting an answer, a case awaiting
Bawaslu's decision, a recommendation awaiting follow-up, an escalation letter awaiting an
answer, a meeting decision awaiting its owner agency) that returns what is due, when, in
which unit, for which agency and who else waits for it. ``/deadlines``
(:mod:`pokja.time.due`), the reminders (:mod:`pokja.notify.reminders`) and, later, the agenda
and "action needed" all read :data:`SOURCES`; a new kind of deadline joins by appending one
function. A case's own ``deadlines`` block computes its clocks with the
same functions (:func:`pokja.time.case_clocks.decision_deadline`).

Filtering, including the overdue test, is done in SQL with :mod:`pokja.time.calendar`'s
conditions; overdue is derived at read time and never stored. A page of ``/deadlines`` is the
items after a cursor in (due instant, kind, id) order (:class:`~pokja.time.scope.DueKey`):
each source adds its keyset condition and limit in SQL, except the decision source
(:mod:`pokja.time.decision_due`), whose deadlines are derived and cut in Python.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from pokja.access.roles import addressee_side_condition
from pokja.handoffs.queries import acceptance_deadline
from pokja.meetings.due import decisions_awaiting_action
from pokja.models import (
    Agency,
    Case,
    Escalation,
    Handoff,
    Recommendation,
)
from pokja.notify.outbox import handoff_payload
from pokja.time.acting import addressee_sides
from pokja.time.calendar import overdue_condition
from pokja.time.catalogue import Clock, ElectionKind
from pokja.time.decision_due import cases_awaiting_decision
from pokja.time.scope import (
    Due,
    DueScope,
    Source,
    after_cursor,
    bounded,
    last_instant,
    overdue_filter,
    since_condition,
    since_day_condition,
    within,
)

# The recommendation's addressee, beside the agencies a scope names. Built once: an alias made
# per request is most of the cost of building its statement.
_ADDRESSEE = aliased(Agency, name="addressee")


def handoffs_awaiting_answer(session: Session, scope: DueScope) -> list[Due]:
    """Pending handoffs: the receiver accepts or declines; the sender waits."""
    stmt = (
        sa.select(Handoff, Case.register_number)
        .join(Case, Case.id == Handoff.case_id)
        .where(
            Handoff.pokja_id.in_(scope.pokjas),
            Handoff.status == "pending",
            Handoff.due_on.is_not(None),
            Handoff.due_on <= max(p.until for p in scope.pokjas.values()),
            since_day_condition(scope, Handoff.due_on),
        )
    )
    if scope.agency_id is not None:
        stmt = stmt.where(Handoff.to_agency_id == scope.agency_id)
    if scope.after is not None:
        # A handoff falls due at the end of its due day: the cursor's day, and whether that
        # day's end is the cursor itself (a tie) or after it.
        calendar = scope.only_one().calendar
        day = calendar.local_date(scope.after.due_at)
        ties = calendar.end_of(day) == scope.after.due_at
        stmt = stmt.where(after_cursor(scope, "handoff", Handoff.due_on, Handoff.id, day, ties))
    stmt = overdue_filter(
        scope,
        stmt,
        lambda: scope.only_one().calendar.day_overdue_condition(Handoff.due_on, scope.now),
    )
    items = []
    for handoff, number in session.execute(bounded(scope, stmt, Handoff.due_on, Handoff.id)):
        clocks = scope.pokjas[handoff.pokja_id]
        due_at = acceptance_deadline(handoff, clocks.calendar.time_zone)
        if due_at is None or not within(scope, handoff.pokja_id, due_at):
            continue
        items.append(
            Due(
                kind="handoff",
                item_id=handoff.id,
                pokja_id=handoff.pokja_id,
                case_id=handoff.case_id,
                register_number=number,
                clock=Clock.HANDOFF_ACCEPTANCE,
                due_at=due_at,
                unit=clocks.settings[Clock.HANDOFF_ACCEPTANCE][ElectionKind.PEMILU].unit,
                agency_id=handoff.to_agency_id,
                acting_agency_ids=(handoff.to_agency_id,),
                waiting_agency_id=handoff.from_agency_id,
                payload=handoff_payload(handoff, number),
            )
        )
    return items


def recommendations_awaiting_follow_up(session: Session, scope: DueScope) -> list[Due]:
    """Issued recommendations: the addressee (or the agency acting for an outside addressee,
    BKPSDM for the regent as PPK) follows up; the issuer waits."""
    addressee = _ADDRESSEE
    stmt = (
        sa.select(Recommendation, Case.register_number, addressee.pokja_id, addressee.kind)
        .join(Case, Case.id == Recommendation.case_id)
        .join(addressee, addressee.id == Recommendation.addressee_agency_id)
        .where(
            Recommendation.pokja_id.in_(scope.pokjas),
            Recommendation.status == "issued",
            Recommendation.follow_up_due_at <= last_instant(scope),
            since_condition(scope, Recommendation.follow_up_due_at),
        )
    )
    if scope.agency_id is not None:
        stmt = stmt.where(addressee_side_condition(addressee, scope.agency_id, scope.agency_kind))
    stmt = stmt.where(
        after_cursor(scope, "recommendation", Recommendation.follow_up_due_at, Recommendation.id)
    )
    stmt = overdue_filter(
        scope, stmt, lambda: overdue_condition(Recommendation.follow_up_due_at, scope.now)
    )
    rows = [
        row
        for row in session.execute(
            bounded(scope, stmt, Recommendation.follow_up_due_at, Recommendation.id)
        )
        if within(scope, row[0].pokja_id, row[0].follow_up_due_at)
    ]
    sides = addressee_sides(
        session, scope, {rec.addressee_agency_id: (pid, kind) for rec, _, pid, kind in rows}
    )
    return [
        Due(
            kind="recommendation",
            item_id=rec.id,
            pokja_id=rec.pokja_id,
            case_id=rec.case_id,
            register_number=number,
            clock=Clock.RECOMMENDATION_FOLLOW_UP,
            due_at=rec.follow_up_due_at,
            unit=rec.due_unit,
            agency_id=rec.addressee_agency_id,
            acting_agency_ids=sides[rec.addressee_agency_id],
            waiting_agency_id=rec.issuing_agency_id,
            payload={
                "recommendation_id": rec.id,
                "case_id": rec.case_id,
                "number": rec.number,
                "register_number": number,
                "due_at": rec.follow_up_due_at,
            },
        )
        for rec, number, _pokja_id, _kind in rows
    ]


def escalations_awaiting_answer(session: Session, scope: DueScope) -> list[Due]:
    """Escalation letters whose own deadline runs while their recommendation is still open:
    listed for the issuing agency, which chases them; the addressee side is reminded."""
    addressee = _ADDRESSEE
    stmt = (
        sa.select(Escalation, Recommendation, Case.register_number, addressee.kind)
        .join(Recommendation, Recommendation.id == Escalation.recommendation_id)
        .join(Case, Case.id == Escalation.case_id)
        .join(addressee, addressee.id == Recommendation.addressee_agency_id)
        .where(
            Escalation.pokja_id.in_(scope.pokjas),
            Recommendation.status == "issued",
            Escalation.due_at <= last_instant(scope),
            since_condition(scope, Escalation.due_at),
        )
    )
    if scope.agency_id is not None:
        stmt = stmt.where(Recommendation.issuing_agency_id == scope.agency_id)
    stmt = stmt.where(after_cursor(scope, "escalation", Escalation.due_at, Escalation.id))
    stmt = overdue_filter(scope, stmt, lambda: overdue_condition(Escalation.due_at, scope.now))
    rows = [
        row
        for row in session.execute(bounded(scope, stmt, Escalation.due_at, Escalation.id))
        if within(scope, row[0].pokja_id, row[0].due_at)
    ]
    sides = addressee_sides(
        session,
        scope,
        {rec.addressee_agency_id: (rec.pokja_id, kind) for _, rec, _, kind in rows},
    )
    return [
        Due(
            kind="escalation",
            item_id=escalation.id,
            pokja_id=escalation.pokja_id,
            case_id=escalation.case_id,
            register_number=number,
            clock=Clock.RECOMMENDATION_FOLLOW_UP,
            due_at=escalation.due_at,
            unit=escalation.due_unit,
            agency_id=rec.issuing_agency_id,
            acting_agency_ids=sides[rec.addressee_agency_id],
            waiting_agency_id=rec.issuing_agency_id,
            payload={
                "recommendation_id": rec.id,
                "escalation_id": escalation.id,
                "case_id": rec.case_id,
                "kind_of_escalation": escalation.kind,
                "register_number": number,
                "due_at": escalation.due_at,
            },
        )
        for escalation, rec, number, _kind in rows
    ]


SOURCES: list[Source] = [
    handoffs_awaiting_answer,
    cases_awaiting_decision,
    recommendations_awaiting_follow_up,
    escalations_awaiting_answer,
    decisions_awaiting_action,
]


def collect(session: Session, scope: DueScope, sources: list[Source] | None = None) -> list[Due]:
    """Every source's items in ``scope``."""
    return [item for source in sources or SOURCES for item in source(session, scope)]
