"""The working-day count in SQL (pokja.time.working_days_sql) equals the calendar's own
(PokjaCalendar.working_days_between) over many pairs of days, on either database."""

from __future__ import annotations

import random
from datetime import date, timedelta

import sqlalchemy as sa

from pokja.extensions import db
from pokja.time.calendar import PokjaCalendar
from pokja.time.working_days_sql import calendar_params, day_number, working_days_between_sql


def test_sql_working_days_match_the_calendar():
    calendar = PokjaCalendar(
        "Asia/Makassar",
        days_off=[date(2024, 2, 14), date(2024, 4, 8)],  # election day, cuti bersama
        working_days=[date(2024, 4, 6), date(2024, 4, 11)],  # a Saturday, a holiday undone
    )
    rng = random.Random(7)  # noqa: S311 (sample days, not secrets)
    first = date(2023, 12, 1)
    pairs = []
    for _ in range(120):
        start = first + timedelta(days=rng.randrange(500))
        pairs.append((start, start + timedelta(days=rng.randrange(40))))
    dialect = db.session.get_bind().dialect.name
    start, end = sa.bindparam("start", type_=sa.Integer), sa.bindparam("end", type_=sa.Integer)
    stmt = sa.select(working_days_between_sql(dialect, start, end))
    params = calendar_params(dialect, calendar, first, first + timedelta(days=540))
    for a, b in pairs:
        got = db.session.scalar(stmt, {**params, "start": day_number(a), "end": day_number(b)})
        assert got == calendar.working_days_between(a, b), (a, b)
