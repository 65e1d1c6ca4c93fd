"""Working days and deadlines in a Pokja's own time zone (DESIGN §6).

Plain date arithmetic, with no Flask and no database (the SQL forms of the overdue tests are
expressions a query embeds), so the API, the agenda, reminders and the tests all use the same
rules: overdue and end-of-day arithmetic is done here and nowhere else.

Conventions, following how Indonesian administrative law counts periods ("paling lama 14 hari
kerja sejak ..."):

- **Day 0 is the day of the event**, taken as its local date in the Pokja's zone. "14 working
  days from Friday 1 March 2024" ends on the 14th working day *after* 1 March. The event day
  never counts, whether or not it is a working day, so an event on a Saturday gives the same
  deadline as one on the Friday before.
- **A deadline is the end of its last day**: 23:59:59.999999 local time on that day. An item
  becomes overdue *at* that instant (``now >= deadline``), one microsecond earlier it is not.
- **Working days** skip Saturdays, Sundays, Indonesian public holidays (the ``holidays``
  package's ``public`` category), plus the days a Pokja declares off (cuti bersama, an election
  day). Days the Pokja declares working days win over everything else: they undo a listed
  holiday, or a weekend when the government swaps one for a working day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import sqlalchemy as sa

from pokja.errors import RuleViolation

Unit = Literal["calendar", "working"]
UNITS: tuple[Unit, ...] = get_args(Unit)

_SATURDAY = 5


class InvalidCalendar(RuleViolation, ValueError):
    """A Pokja's calendar settings contradict themselves or name an unknown time zone."""

    code = "invalid_calendar"
    title = "Invalid calendar"


@lru_cache(maxsize=32)
def indonesian_public_holidays(year: int) -> frozenset[date]:
    """Indonesia's public holidays in ``year``.

    Cached per year because building a ``holidays`` object takes about 0.1 s, and a list of
    cases would otherwise build it once per deadline.
    """
    return frozenset(holidays.country_holidays("ID", years=year))


def _require_date(value: date, name: str) -> None:
    # datetime is a subclass of date; adding days to one would silently keep its time and zone.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a date, not {type(value).__name__}")


def _require_aware(value: datetime, name: str) -> None:
    # A naive datetime has no instant: it would be read in the server's zone, not the Pokja's.
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")


def _require_unit(unit: str) -> None:
    if unit not in UNITS:
        raise ValueError(f"unknown day unit {unit!r}; expected one of {', '.join(UNITS)}")


def is_overdue(deadline: datetime, now: datetime) -> bool:
    """Whether ``now`` is at or past ``deadline``.

    Overdue is derived at read time (DESIGN §6), never stored. Both are instants, so the
    Pokja's zone plays no part here.
    """
    _require_aware(deadline, "deadline")
    _require_aware(now, "now")
    return now >= deadline


def overdue_condition(deadline: Any, now: datetime) -> sa.ColumnElement[bool]:
    """:func:`is_overdue` as SQL over a column of deadline instants."""
    _require_aware(now, "now")
    return deadline <= now  # type: ignore[no-any-return]


def overdue_at(deadline: Any, now: str = "now") -> sa.ColumnElement[bool]:
    """:func:`overdue_condition` with ``now`` bound when the statement runs (under the name
    ``now``), for the hot statements built once."""
    return deadline <= sa.bindparam(now)  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class PokjaCalendar:
    """A Pokja's working calendar: its time zone and the days it declares off or on.

    ``time_zone`` is an IANA name: Asia/Jakarta or Asia/Pontianak (WIB), Asia/Makassar (WITA),
    Asia/Jayapura (WIT). ``days_off`` are extra non-working days (cuti bersama, a declared
    election day); ``working_days`` are declared working days that would otherwise be off.
    """

    time_zone: str = "Asia/Jakarta"
    days_off: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()
    zone: ZoneInfo = field(init=False, repr=False, compare=False)

    def __init__(
        self,
        time_zone: str = "Asia/Jakarta",
        days_off: Iterable[date] = (),
        working_days: Iterable[date] = (),
    ) -> None:
        # A hand-written __init__ so callers may pass lists or query results, not only frozensets.
        try:
            zone = ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidCalendar(f"unknown time zone {time_zone!r}") from exc
        off, on = frozenset(days_off), frozenset(working_days)
        for day in off | on:
            _require_date(day, "a declared day")
        both = sorted(off & on)
        if both:
            listed = ", ".join(d.isoformat() for d in both)
            raise InvalidCalendar(f"days both declared off and declared working: {listed}")
        object.__setattr__(self, "time_zone", time_zone)
        object.__setattr__(self, "days_off", off)
        object.__setattr__(self, "working_days", on)
        object.__setattr__(self, "zone", zone)

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` counts towards a working-day clock in this Pokja."""
        _require_date(day, "day")
        if day in self.working_days:
            return True
        if day in self.days_off or day.weekday() >= _SATURDAY:
            return False
        return day not in indonesian_public_holidays(day.year)

    def add_days(self, start: date, n: int, unit: Unit) -> date:
        """The date ``n`` days after ``start`` (day 0), counting calendar or working days.

        With working days, the result is always a working day when ``n > 0``; a start on a
        holiday or weekend does not count, so the first working day after it is day 1.
        """
        _require_date(start, "start")
        _require_unit(unit)
        if n < 0:
            raise ValueError(f"n must not be negative, got {n}")
        if unit == "calendar":
            return start + timedelta(days=n)
        return _add_working_days(self, start, n)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``; negative if ``end`` is
        earlier (then minus the count after ``end`` up to and including ``start``).

        The half-open interval makes this the inverse of :meth:`add_days`:
        ``working_days_between(a, add_days(a, n, "working")) == n``, and it is antisymmetric.
        """
        _require_date(start, "start")
        _require_date(end, "end")
        if end < start:
            return -self.working_days_between(end, start)
        return _working_days_between(self, start, end)

    def local_date(self, moment: datetime) -> date:
        """The date ``moment`` falls on in the Pokja's zone: 16:30 UTC is already the next day
        in Jayapura (WIT, UTC+9), and that is the day the Pokja's staff see."""
        _require_aware(moment, "moment")
        return moment.astimezone(self.zone).date()

    def end_of(self, day: date) -> datetime:
        """The last instant of ``day`` in the Pokja's zone: when a deadline on that day ends."""
        _require_date(day, "day")
        return datetime.combine(day, time.max, tzinfo=self.zone)

    def start_of(self, day: date) -> datetime:
        """The first instant of ``day`` in the Pokja's zone."""
        _require_date(day, "day")
        return datetime.combine(day, time.min, tzinfo=self.zone)

    def start_after(self, day: date) -> datetime:
        """The first instant after ``day`` has ended here (the next day's midnight)."""
        return self.start_of(day + timedelta(days=1))

    def day_has_ended(self, day: date, now: datetime) -> bool:
        """Whether ``day`` is over in this zone at ``now``: :func:`is_overdue` of a deadline
        on that day (which ends at :meth:`end_of` it)."""
        return day < self.local_date(now)

    def last_ended_day(self, now: datetime) -> date:
        """The latest day that is over at ``now`` here: deadlines on it or before are overdue."""
        return self.local_date(now) - timedelta(days=1)

    def day_overdue_condition(self, due_on: Any, now: datetime) -> sa.ColumnElement[bool]:
        """SQL over a column of due *days*: the day has ended in this zone at ``now``, which is
        :func:`is_overdue` of :meth:`end_of` the day."""
        return due_on < self.local_date(now)  # type: ignore[no-any-return]

    def deadline(self, start: datetime, length: int, unit: Unit) -> datetime:
        """The last instant of a clock of ``length`` ``unit`` days that starts at ``start``.

        Day 0 is the local date of ``start``; the result is 23:59:59.999999 local time on day
        ``length``, as an aware datetime in the Pokja's zone.
        """
        return self.end_of(self.add_days(self.local_date(start), length, unit))

    def days_left(self, deadline: datetime, now: datetime, unit: Unit) -> int:
        """Days from today (local) to the deadline's day: 0 on the deadline day, negative after.

        In working days, a Saturday after a Friday deadline still gives 0, because no working
        day has passed yet; whether an item is late is :func:`is_overdue`'s answer, not this.
        """
        return self.days_from(self.local_date(now), self.local_date(deadline), unit)

    def days_from(self, today: date, last_day: date, unit: Unit) -> int:
        """:meth:`days_left` from the local days themselves (for a caller that has them)."""
        _require_unit(unit)
        if unit == "calendar":
            return (last_day - today).days
        return self.working_days_between(today, last_day)


# Adding working days walks the calendar day by day; a page of cases asks the same questions
# of the same calendar many times over (and again on the next request), so the answers are
# kept. A calendar is a value (zone and declared days): a changed one is another key.
@lru_cache(maxsize=65_536)
def _add_working_days(calendar: PokjaCalendar, start: date, n: int) -> date:
    day = start
    while n:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            n -= 1
    return day


def _working_days_between(calendar: PokjaCalendar, start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (``start <= end``), from each
    year's running count: a clock overdue since last year asks about hundreds of days, on
    every read of its case."""
    through_start = _running_counts(calendar, start.year)[start.timetuple().tm_yday - 1]
    through_end = _running_counts(calendar, end.year)[end.timetuple().tm_yday - 1]
    years_between = sum(_running_counts(calendar, y)[-1] for y in range(start.year, end.year))
    return years_between + through_end - through_start


@lru_cache(maxsize=4096)
def _running_counts(calendar: PokjaCalendar, year: int) -> tuple[int, ...]:
    """For each day of ``year`` (index = day of the year - 1): the working days from 1 January
    up to and including it."""
    day, counts, running = date(year, 1, 1), [], 0
    while day.year == year:
        running += calendar.is_working_day(day)
        counts.append(running)
        day += timedelta(days=1)
    return tuple(counts)
