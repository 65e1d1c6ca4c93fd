"""Handoff statistics (DESIGN §8): per receiving agency, what it received and how it answered,
and how long the answer took — median and 90th percentile, in hours and in the Pokja's working
days — all in one statement on either database (window functions, no rows loaded).

The handoffs counted are those of the cases the caller may list (the case list's scope and
filters): counts and codes reveal no names or text, as a redacted summary shows the holder.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.models import DECLINE_REASONS, Case, Handoff, User
from pokja.stats.percentiles import MEDIAN, P90, percentile, ranked
from pokja.stats.scope import case_condition, facts_for
from pokja.time import clock
from pokja.time.calendar import PokjaCalendar
from pokja.time.working_days_sql import (
    calendar_params,
    local_day_number,
    working_days_between_sql,
)

ANSWERED = ("accepted", "declined")
COUNTS = ("received", "accepted", "declined", "withdrawn", "pending", "pending_overdue")


def _hours(dialect: str, start: Any, end: Any) -> Any:
    if dialect == "postgresql":
        return sa.func.extract("epoch", end - start) / 3600.0
    return (sa.func.julianday(end) - sa.func.julianday(start)) * 24.0


def _offset_minutes(calendar: PokjaCalendar) -> int:
    offset = clock.now().astimezone(calendar.zone).utcoffset() or timedelta()
    return int(offset.total_seconds() // 60)


def _counts(scope: Any, calendar: PokjaCalendar) -> Any:
    """Per receiver: the handoffs by status and decline reason."""
    status = Handoff.status
    overdue = sa.and_(
        status == "pending",
        Handoff.due_on.is_not(None),
        calendar.day_overdue_condition(Handoff.due_on, clock.now()),
    )

    def tally(condition: Any) -> Any:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    columns = [
        sa.func.count().label("received"),
        *(tally(status == s).label(s) for s in ("accepted", "declined", "withdrawn", "pending")),
        tally(overdue).label("pending_overdue"),
        *(tally(Handoff.decline_reason == r).label(f"declined_{r}") for r in DECLINE_REASONS),
    ]
    return (
        sa.select(Handoff.to_agency_id, *columns)
        .join(Case, Case.id == Handoff.case_id)
        .where(scope)
        .group_by(Handoff.to_agency_id)
        .subquery("counts")
    )


def _latency(dialect: str, scope: Any, calendar: PokjaCalendar) -> Any:
    offset = _offset_minutes(calendar)
    hours = _hours(dialect, Handoff.created_at, Handoff.decided_at)
    days = working_days_between_sql(
        dialect,
        local_day_number(dialect, calendar, Handoff.created_at, offset),
        local_day_number(dialect, calendar, Handoff.decided_at, offset),
    )
    # Each duration computed once, then ranked (a window's ORDER BY would compute it again).
    answered = (
        sa.select(Handoff.to_agency_id, hours.label("hours"), days.label("days"))
        .join(Case, Case.id == Handoff.case_id)
        .where(scope, Handoff.status.in_(ANSWERED), Handoff.decided_at.is_not(None))
        .subquery("answered")
    )
    d = answered.c
    hour_rank, size = ranked(d.hours, d.to_agency_id)
    day_rank, _ = ranked(d.days, d.to_agency_id)
    answers = sa.select(
        d.to_agency_id,
        d.hours,
        d.days,
        hour_rank.label("hour_rank"),
        day_rank.label("day_rank"),
        size.label("size"),
    ).subquery("answers")
    a = answers.c
    return (
        sa.select(
            a.to_agency_id,
            sa.func.count().label("answered"),
            percentile(a.hours, a.hour_rank, a.size, MEDIAN).label("hours_median"),
            percentile(a.hours, a.hour_rank, a.size, P90).label("hours_p90"),
            percentile(a.days, a.day_rank, a.size, MEDIAN).label("days_median"),
            percentile(a.days, a.day_rank, a.size, P90).label("days_p90"),
        )
        .group_by(a.to_agency_id)
        .subquery("latency")
    )


def _span(session: Session, scope: Any, calendar: PokjaCalendar) -> tuple[Any, Any]:
    """The local days the answered handoffs span (the calendar's exceptions to bind)."""
    first, last = session.execute(
        sa.select(sa.func.min(Handoff.created_at), sa.func.max(Handoff.decided_at))
        .join(Case, Case.id == Handoff.case_id)
        .where(scope, Handoff.status.in_(ANSWERED))
    ).one()
    if first is None or last is None:
        today = calendar.local_date(clock.now())
        return today, today
    return calendar.local_date(first), calendar.local_date(last)


def _round(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


def handoff_stats(session: Session, user: User, filters: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per agency of the Pokja (as receiver), in the Pokja's agency order."""
    facts = facts_for(session, user)
    if facts is None:
        return []
    dialect = session.get_bind().dialect.name
    # The Pokja named on the handoffs too, so that the scan starts from their own index.
    scope = sa.and_(Handoff.pokja_id == user.pokja_id, case_condition(session, user, filters))
    calendar = facts.calendar
    first, last = _span(session, scope, calendar)
    counts, latency = _counts(scope, calendar), _latency(dialect, scope, calendar)
    stmt = sa.select(counts, *(c for c in latency.c if c.key != "to_agency_id")).outerjoin(
        latency, latency.c.to_agency_id == counts.c.to_agency_id
    )
    params = calendar_params(dialect, calendar, first, last)
    found = {row.to_agency_id: row for row in session.execute(stmt, params)}
    return [_row(agency, found.get(agency_id)) for agency_id, agency in facts.agencies.items()]


def _row(agency: dict[str, Any], row: Any) -> dict[str, Any]:
    def get(name: str) -> Any:
        return getattr(row, name) if row is not None else 0

    return {
        "agency_id": agency["id"],
        "agency_name": agency["name"],
        "agency_kind": agency["kind"],
        **{name: int(get(name) or 0) for name in COUNTS},
        "declined_by_reason": {r: int(get(f"declined_{r}") or 0) for r in DECLINE_REASONS},
        "answered": int(get("answered") or 0),
        "hours_to_answer": {
            "median": _round(row.hours_median if row else None),
            "p90": _round(row.hours_p90 if row else None),
        },
        "working_days_to_answer": {
            "median": _round(row.days_median if row else None),
            "p90": _round(row.days_p90 if row else None),
        },
    }


CSV_COLUMNS = [
    "agency_id",
    "agency_name",
    "agency_kind",
    *COUNTS,
    *(f"declined_by_reason_{r}" for r in DECLINE_REASONS),
    "answered",
    "hours_to_answer_median",
    "hours_to_answer_p90",
    "working_days_to_answer_median",
    "working_days_to_answer_p90",
]
