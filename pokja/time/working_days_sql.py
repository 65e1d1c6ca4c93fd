"""The calendar's working-day count as SQL, for statistics that rank durations in the database
(DESIGN §8: percentiles in SQL, not by loading rows).

:meth:`PokjaCalendar.working_days_between` walks days in Python; here the same count is
arithmetic on local day numbers: the weekdays in between, minus the weekdays the calendar says
are off (public holidays, declared days off), plus the weekend days it declares working. Which
days those are is still :meth:`PokjaCalendar.is_working_day`'s answer; they reach the statement
as two bound lists, so the statement's shape does not depend on the data.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from pokja.time.calendar import PokjaCalendar, indonesian_public_holidays

_EPOCH = date(1970, 1, 1)
_SATURDAY = 5
OFF_WEEKDAYS = "off_weekdays"
WORKING_WEEKEND_DAYS = "working_weekend_days"


def day_number(day: date) -> int:
    return (day - _EPOCH).days


def local_day_number(
    dialect: str, calendar: PokjaCalendar, moment: Any, offset_minutes: int
) -> Any:
    """SQL: the day number (days since 1970-01-01) of ``moment``'s local date in the Pokja's
    zone. SQLite has no zones: Indonesia's keep one offset all year, ``offset_minutes``."""
    if dialect == "postgresql":
        local = sa.cast(sa.func.timezone(calendar.time_zone, moment), sa.Date)
        return sa.cast(local - sa.cast(sa.literal(_EPOCH.isoformat()), sa.Date), sa.Integer)
    julian = sa.func.julianday(sa.func.date(moment, f"{offset_minutes:+d} minutes"))
    return sa.cast(julian - 2440587.5, sa.Integer)


def _weekdays_through(n: Any) -> Any:
    """Weekdays from Monday 29 December 1969 (day -3) through day ``n``."""
    m = n + 4  # days counted, Monday-based
    rest = m % 7
    return 5 * (m // 7) + sa.case((rest > 5, 5), else_=rest)


# Below every day number: PostgreSQL's width_bucket needs a non-empty array of thresholds.
_SENTINEL = -(10**6)


def _listed_between(dialect: str, name: str, start: Any, end: Any) -> Any:
    """How many of the listed day numbers fall after ``start`` up to and including ``end``."""
    if dialect == "postgresql":
        # width_bucket over the sorted list is the count of its days <= n, by binary search.
        days = sa.bindparam(name, type_=postgresql.ARRAY(sa.Integer))
        return sa.func.width_bucket(end, days) - sa.func.width_bucket(start, days)
    values = sa.func.json_each(sa.bindparam(name, type_=sa.String)).table_valued("value")
    return (
        sa.select(sa.func.count())
        .select_from(values)
        .where(values.c.value > start, values.c.value <= end)
        .scalar_subquery()
    )


def working_days_between_sql(dialect: str, start: Any, end: Any) -> Any:
    """SQL of :meth:`PokjaCalendar.working_days_between` over local day numbers
    ``start`` <= ``end``; bind :func:`calendar_params` with it."""
    return (
        _weekdays_through(end)
        - _weekdays_through(start)
        - _listed_between(dialect, OFF_WEEKDAYS, start, end)
        + _listed_between(dialect, WORKING_WEEKEND_DAYS, start, end)
    )


def calendar_params(
    dialect: str, calendar: PokjaCalendar, first: date, last: date
) -> dict[str, Any]:
    """The days between ``first`` and ``last`` on which the calendar departs from "Monday to
    Friday": weekdays off and weekend days declared working."""
    candidates = set(calendar.days_off) | set(calendar.working_days)
    for year in range(first.year, last.year + 1):
        candidates |= indonesian_public_holidays(year)
    off, on = [], []
    for day in sorted(d for d in candidates if first <= d <= last):
        weekend = day.weekday() >= _SATURDAY
        if not weekend and not calendar.is_working_day(day):
            off.append(day_number(day))
        elif weekend and calendar.is_working_day(day):
            on.append(day_number(day))
    if dialect == "postgresql":
        return {OFF_WEEKDAYS: [_SENTINEL, *off], WORKING_WEEKEND_DAYS: [_SENTINEL, *on]}
    return {OFF_WEEKDAYS: json.dumps(off), WORKING_WEEKEND_DAYS: json.dumps(on)}
