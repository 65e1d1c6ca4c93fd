"""What falls due for an agency (``GET /api/v1/deadlines``, DESIGN §6 and §8 "action needed").

Like :mod:`pokja.notify.reminders`, a list of sources: each yields the open items of one kind due on
or before a day, filtering (and the overdue test) in SQL, so recommendations and escalations
join by appending one function to :data:`DUE_SOURCES`. Overdue is derived at read time.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from pokja.access.roles import ACTING_FOR
from pokja.handoffs.queries import acceptance_deadline
from pokja.models import (
    Agency,
    Case,
    CaseClockExtension,
    Escalation,
    Handoff,
    Pokja,
    Recommendation,
    User,
)
from pokja.time.calendar import PokjaCalendar
from pokja.time.case_clocks import DECISION_STAGES
from pokja.time.catalogue import Clock, ElectionKind, Settings, deadline_for
from pokja.time.settings import calendar_for, settings_for

# A coordinator's Pokja-wide list is bounded per source; the earliest come first.
MAX_ITEMS_PER_SOURCE = 500


@dataclass(frozen=True)
class DueScope:
    """Whose deadlines, up to when. ``agency_id`` None means the whole Pokja."""

    pokja: Pokja
    agency_id: uuid.UUID | None
    agency_kind: str | None
    calendar: PokjaCalendar
    settings: Settings
    now: datetime
    until: date
    overdue: bool | None


@dataclass(frozen=True)
class DueItem:
    kind: str
    item_id: uuid.UUID
    case_id: uuid.UUID
    register_number: str
    clock: Clock
    due_at: datetime
    agency_id: uuid.UUID
    unit: str

    def view(self, scope: DueScope) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "item_id": self.item_id,
            "case_id": self.case_id,
            "register_number": self.register_number,
            "clock": str(self.clock),
            "due_at": self.due_at.astimezone(scope.calendar.zone),
            "due_on": scope.calendar.local_date(self.due_at),
            "days_left": scope.calendar.days_left(self.due_at, scope.now, self.unit),  # type: ignore[arg-type]
            "overdue": scope.now >= self.due_at,
            "agency_id": self.agency_id,
        }


DueSource = Callable[[Session, DueScope], Iterable[DueItem]]


def _end_of(calendar: PokjaCalendar, day: date) -> datetime:
    return datetime.combine(day, time.max, tzinfo=calendar.zone)


def pending_handoffs_due(session: Session, scope: DueScope) -> list[DueItem]:
    """Pending handoffs the agency must accept or decline (the receiver acts)."""
    today = scope.calendar.local_date(scope.now)
    stmt = (
        sa.select(Handoff, Case.register_number)
        .join(Case, Case.id == Handoff.case_id)
        .where(
            Handoff.pokja_id == scope.pokja.id,
            Handoff.status == "pending",
            Handoff.due_on.is_not(None),
            Handoff.due_on <= scope.until,
        )
        .order_by(Handoff.due_on, Handoff.id)
        .limit(MAX_ITEMS_PER_SOURCE)
    )
    if scope.agency_id is not None:
        stmt = stmt.where(Handoff.to_agency_id == scope.agency_id)
    if scope.overdue is not None:
        # A handoff is overdue once its due day has ended (pokja.handoffs.overdue_condition).
        stmt = stmt.where(Handoff.due_on < today if scope.overdue else Handoff.due_on >= today)
    unit = scope.settings[Clock.HANDOFF_ACCEPTANCE][ElectionKind.PEMILU].unit
    return [
        DueItem(
            kind="handoff",
            item_id=h.id,
            case_id=h.case_id,
            register_number=number,
            clock=Clock.HANDOFF_ACCEPTANCE,
            due_at=acceptance_deadline(h, scope.pokja.timezone),  # type: ignore[arg-type]
            agency_id=h.to_agency_id,
            unit=unit,
        )
        for h, number in session.execute(stmt).all()
    ]


def _registered_before(scope: DueScope, kind: ElectionKind, last_day: date) -> datetime:
    """The first instant whose decision deadline falls after ``last_day``: registrations
    before it are due by then. Deadlines only grow with their start, so scanning back from
    ``last_day`` finds it; the SQL then compares plain timestamps on either database."""
    day = last_day
    while True:
        start = datetime.combine(day, time.min, tzinfo=scope.calendar.zone)
        due = deadline_for(scope.calendar, scope.settings, Clock.DECISION, kind, start)
        if scope.calendar.local_date(due) <= last_day:
            return datetime.combine(day + timedelta(days=1), time.min, tzinfo=scope.calendar.zone)
        day -= timedelta(days=1)


def _decision_due_by(scope: DueScope, ext: Any, last_day: date) -> sa.ColumnElement[bool]:
    by_registration = sa.or_(
        *(
            sa.and_(
                Case.election_kind == str(kind),
                Case.registered_at < _registered_before(scope, kind, last_day),
            )
            for kind in ElectionKind
        )
    )
    return sa.or_(
        sa.and_(ext.id.is_(None), by_registration),
        # Spelled out so the condition is never NULL (NOT NULL would drop the row).
        sa.and_(ext.id.is_not(None), ext.due_at <= _end_of(scope.calendar, last_day)),
    )


def case_decisions_due(session: Session, scope: DueScope) -> list[DueItem]:
    """Bawaslu's decision on registered cases (DESIGN §6), for Bawaslu and the whole Pokja."""
    if scope.agency_id is not None and scope.agency_kind != "BAWASLU":
        return []
    bawaslu = session.scalar(
        sa.select(Agency.id)
        .where(Agency.pokja_id == scope.pokja.id, Agency.kind == "BAWASLU")
        .order_by(Agency.created_at)
        .limit(1)
    )
    if bawaslu is None:
        return []
    ext = aliased(CaseClockExtension)
    today = scope.calendar.local_date(scope.now)
    stmt = (
        sa.select(Case, ext)
        .outerjoin(ext, sa.and_(ext.case_id == Case.id, ext.clock == str(Clock.DECISION)))
        .where(
            Case.pokja_id == scope.pokja.id,
            Case.stage.in_(DECISION_STAGES),
            _decision_due_by(scope, ext, scope.until),
        )
        .order_by(Case.registered_at, Case.id)
        .limit(MAX_ITEMS_PER_SOURCE)
    )
    if scope.overdue is not None:
        late = _decision_due_by(scope, ext, today - timedelta(days=1))
        stmt = stmt.where(late if scope.overdue else sa.not_(late))
    items = []
    for case, extension in session.execute(stmt).all():
        kind = ElectionKind(case.election_kind)
        if extension is not None:
            due, unit = extension.due_at, extension.unit
        else:
            due = deadline_for(
                scope.calendar, scope.settings, Clock.DECISION, kind, case.registered_at
            )
            unit = scope.settings[Clock.DECISION][kind].unit
        items.append(
            DueItem(
                "case_decision",
                case.id,
                case.id,
                case.register_number,
                Clock.DECISION,
                due,
                bawaslu,
                unit,
            )
        )
    return items


def recommendations_due(session: Session, scope: DueScope) -> list[DueItem]:
    """Recommendations awaiting follow-up (the addressee acts, or the agency acting for an
    outside addressee: BKPSDM for the regent as PPK)."""
    addressee = aliased(Agency)
    stmt = (
        sa.select(Recommendation, Case.register_number, addressee.kind)
        .join(Case, Case.id == Recommendation.case_id)
        .join(addressee, addressee.id == Recommendation.addressee_agency_id)
        .where(
            Recommendation.pokja_id == scope.pokja.id,
            Recommendation.status == "issued",
            Recommendation.follow_up_due_at <= _end_of(scope.calendar, scope.until),
        )
        .order_by(Recommendation.follow_up_due_at, Recommendation.id)
        .limit(MAX_ITEMS_PER_SOURCE)
    )
    if scope.agency_id is not None:
        acted_for = [kind for kind, acting in ACTING_FOR.items() if acting == scope.agency_kind]
        stmt = stmt.where(
            sa.or_(
                Recommendation.addressee_agency_id == scope.agency_id,
                addressee.kind.in_(acted_for),
            )
        )
    if scope.overdue is not None:
        late = Recommendation.follow_up_due_at <= scope.now
        stmt = stmt.where(late if scope.overdue else sa.not_(late))
    return [
        DueItem(
            kind="recommendation",
            item_id=rec.id,
            case_id=rec.case_id,
            register_number=number,
            clock=Clock.RECOMMENDATION_FOLLOW_UP,
            due_at=rec.follow_up_due_at,
            agency_id=rec.addressee_agency_id,
            unit=rec.due_unit,
        )
        for rec, number, _kind in session.execute(stmt).all()
    ]


def escalations_due(session: Session, scope: DueScope) -> list[DueItem]:
    """Escalation letters whose own deadline runs while their recommendation is still open;
    the issuing agency chases them."""
    stmt = (
        sa.select(Escalation, Recommendation.issuing_agency_id, Case.register_number)
        .join(Recommendation, Recommendation.id == Escalation.recommendation_id)
        .join(Case, Case.id == Escalation.case_id)
        .where(
            Escalation.pokja_id == scope.pokja.id,
            Recommendation.status == "issued",
            Escalation.due_at <= _end_of(scope.calendar, scope.until),
        )
        .order_by(Escalation.due_at, Escalation.id)
        .limit(MAX_ITEMS_PER_SOURCE)
    )
    if scope.agency_id is not None:
        stmt = stmt.where(Recommendation.issuing_agency_id == scope.agency_id)
    if scope.overdue is not None:
        late = Escalation.due_at <= scope.now
        stmt = stmt.where(late if scope.overdue else sa.not_(late))
    return [
        DueItem(
            kind="escalation",
            item_id=escalation.id,
            case_id=escalation.case_id,
            register_number=number,
            clock=Clock.RECOMMENDATION_FOLLOW_UP,
            due_at=escalation.due_at,
            agency_id=issuer,
            unit=escalation.due_unit,
        )
        for escalation, issuer, number in session.execute(stmt).all()
    ]


DUE_SOURCES: list[DueSource] = [
    pending_handoffs_due,
    case_decisions_due,
    recommendations_due,
    escalations_due,
]


def due_items(
    session: Session,
    user: User,
    *,
    within_days: int,
    now: datetime,
    overdue: bool | None = None,
    sources: Iterable[DueSource] = DUE_SOURCES,
) -> list[dict[str, Any]]:
    """What falls due within ``within_days`` calendar days (past ones included) for the
    user's agency, or the whole Pokja for its coordinator and secretary; overdue first, then
    by due time."""
    pokja = session.get_one(Pokja, user.pokja_id)
    calendar = calendar_for(session, pokja)
    whole_pokja = user.role in ("coordinator", "secretary")
    agency = None if whole_pokja else session.get_one(Agency, user.agency_id)
    scope = DueScope(
        pokja=pokja,
        agency_id=agency.id if agency else None,
        agency_kind=agency.kind if agency else None,
        calendar=calendar,
        settings=settings_for(session, pokja),
        now=now,
        until=calendar.local_date(now) + timedelta(days=within_days),
        overdue=overdue,
    )
    items = [item for source in sources for item in source(session, scope)]
    items.sort(key=lambda i: (now < i.due_at, i.due_at, str(i.item_id)))
    return [item.view(scope) for item in items]
