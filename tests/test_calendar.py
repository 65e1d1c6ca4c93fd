"""Working days and deadlines on real 2024 dates (pokja.time.calendar).

Hand-worked reference, Friday 1 March 2024 + 14 working days in Jakarta:
Mar 4 5 6 7 8 (1-5), [9-10 weekend, 11 Nyepi], 12 13 14 15 (6-9), 18 19 20 21 22 (10-14).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pokja.errors import RuleViolation
from pokja.time.calendar import (
    InvalidCalendar,
    PokjaCalendar,
    indonesian_public_holidays,
    is_overdue,
)

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")
ONE_MICROSECOND = timedelta(microseconds=1)

# SKB cuti bersama 2024 around Idul Fitri, which a Pokja enters itself.
LEBARAN_CUTI_BERSAMA = {date(2024, 4, 8), date(2024, 4, 9), date(2024, 4, 12), date(2024, 4, 15)}


@pytest.fixture
def jakarta() -> PokjaCalendar:
    return PokjaCalendar("Asia/Jakarta")


# --- what the holidays package says -------------------------------------------------------


def test_package_lists_idul_fitri_2024_but_not_its_cuti_bersama():
    listed = indonesian_public_holidays(2024)
    assert {date(2024, 4, 10), date(2024, 4, 11)} <= listed
    assert not LEBARAN_CUTI_BERSAMA & listed


def test_package_lists_election_day_nyepi_and_isra_miraj_2024():
    listed = indonesian_public_holidays(2024)
    assert date(2024, 2, 14) in listed  # Pemilu 2024, declared a national holiday
    assert date(2024, 3, 11) in listed  # Nyepi
    assert date(2024, 2, 8) in listed  # Isra Mi'raj
    assert date(2024, 3, 12) not in listed  # Nyepi's cuti bersama is not a public holiday


def test_holidays_are_built_once_per_year():
    assert indonesian_public_holidays(2024) is indonesian_public_holidays(2024)


# --- is_working_day ------------------------------------------------------------------------


def test_weekends_and_public_holidays_are_not_working_days(jakarta):
    assert jakarta.is_working_day(date(2024, 3, 1)) is True  # Friday
    assert jakarta.is_working_day(date(2024, 3, 2)) is False  # Saturday
    assert jakarta.is_working_day(date(2024, 3, 3)) is False  # Sunday
    assert jakarta.is_working_day(date(2024, 3, 11)) is False  # Nyepi, a Monday
    assert jakarta.is_working_day(date(2024, 3, 12)) is True


def test_election_day_2024_is_off_whether_listed_or_added_by_the_pokja(jakarta):
    added = PokjaCalendar("Asia/Jakarta", days_off={date(2024, 2, 14)})
    for calendar in (jakarta, added):
        assert calendar.is_working_day(date(2024, 2, 14)) is False
        assert calendar.add_days(date(2024, 2, 13), 1, "working") == date(2024, 2, 15)


def test_cuti_bersama_added_by_the_pokja_are_not_working_days(jakarta):
    lebaran = PokjaCalendar("Asia/Jakarta", days_off=LEBARAN_CUTI_BERSAMA)
    week = [date(2024, 4, 8) + timedelta(days=i) for i in range(8)]  # Mon 8 .. Mon 15 April
    assert [lebaran.is_working_day(d) for d in week] == [False] * 8
    assert [jakarta.is_working_day(d) for d in week] == [
        True,  # Mon 8, cuti bersama only when the Pokja adds it
        True,  # Tue 9
        False,  # Wed 10, Idul Fitri
        False,  # Thu 11, Idul Fitri second day
        True,  # Fri 12
        False,  # Sat 13
        False,  # Sun 14
        True,  # Mon 15
    ]


def test_removing_a_listed_holiday_makes_it_a_working_day():
    nyepi_worked = PokjaCalendar("Asia/Jakarta", working_days={date(2024, 3, 11)})
    assert nyepi_worked.is_working_day(date(2024, 3, 11)) is True
    assert nyepi_worked.add_days(date(2024, 3, 1), 14, "working") == date(2024, 3, 21)


def test_a_declared_working_saturday_counts():
    calendar = PokjaCalendar("Asia/Jakarta", working_days=[date(2024, 3, 2)])
    assert calendar.is_working_day(date(2024, 3, 2)) is True
    assert calendar.add_days(date(2024, 3, 1), 1, "working") == date(2024, 3, 2)


# --- add_days --------------------------------------------------------------------------------


def test_recommendation_of_friday_1_march_2024_ends_after_14_working_days(jakarta):
    assert jakarta.add_days(date(2024, 3, 1), 14, "working") == date(2024, 3, 22)


def test_nyepi_cuti_bersama_added_moves_the_14th_working_day_to_monday():
    calendar = PokjaCalendar("Asia/Jakarta", days_off={date(2024, 3, 12)})
    assert calendar.add_days(date(2024, 3, 1), 14, "working") == date(2024, 3, 25)


def test_report_window_across_isra_miraj_and_election_day(jakarta):
    # Mon 5 Feb: 6 (1), 7 (2), [8 Isra Mi'raj], 9 (3), [10-11], 12 (4), 13 (5), [14 Pemilu],
    # 15 (6), 16 (7).
    assert jakarta.add_days(date(2024, 2, 5), 7, "working") == date(2024, 2, 16)
    imlek_cuti = PokjaCalendar("Asia/Jakarta", days_off={date(2024, 2, 9)})
    assert imlek_cuti.add_days(date(2024, 2, 5), 7, "working") == date(2024, 2, 19)


def test_idul_fitri_with_cuti_bersama_pushes_a_handoff_past_the_holiday_week(jakarta):
    lebaran = PokjaCalendar("Asia/Jakarta", days_off=LEBARAN_CUTI_BERSAMA)
    assert lebaran.add_days(date(2024, 4, 5), 1, "working") == date(2024, 4, 16)
    assert lebaran.add_days(date(2024, 4, 5), 3, "working") == date(2024, 4, 18)
    # Without the Pokja's cuti bersama only 10 and 11 April are skipped.
    assert jakarta.add_days(date(2024, 4, 5), 3, "working") == date(2024, 4, 12)


def test_a_start_on_a_holiday_is_day_0_and_does_not_count(jakarta):
    assert jakarta.add_days(date(2024, 4, 10), 1, "working") == date(2024, 4, 12)
    assert jakarta.add_days(date(2024, 3, 2), 1, "working") == date(2024, 3, 4)


def test_calendar_days_ignore_weekends_holidays_and_cuti_bersama():
    lebaran = PokjaCalendar("Asia/Jakarta", days_off=LEBARAN_CUTI_BERSAMA)
    assert lebaran.add_days(date(2024, 4, 5), 7, "calendar") == date(2024, 4, 12)
    assert lebaran.add_days(date(2024, 3, 1), 14, "calendar") == date(2024, 3, 15)


def test_zero_days_is_the_start_itself(jakarta):
    assert jakarta.add_days(date(2024, 3, 2), 0, "working") == date(2024, 3, 2)
    assert jakarta.add_days(date(2024, 3, 2), 0, "calendar") == date(2024, 3, 2)


def test_add_days_refuses_negative_counts_unknown_units_and_datetimes(jakarta):
    with pytest.raises(ValueError, match="negative"):
        jakarta.add_days(date(2024, 3, 1), -1, "working")
    with pytest.raises(ValueError, match="unknown day unit 'hours'"):
        jakarta.add_days(date(2024, 3, 1), 1, "hours")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="start must be a date, not datetime"):
        jakarta.add_days(datetime(2024, 3, 1, tzinfo=UTC), 1, "working")


# --- working_days_between --------------------------------------------------------------------


def test_working_days_between_counts_after_start_up_to_and_including_end(jakarta):
    assert jakarta.working_days_between(date(2024, 3, 1), date(2024, 3, 22)) == 14
    assert jakarta.working_days_between(date(2024, 3, 8), date(2024, 3, 12)) == 1
    assert jakarta.working_days_between(date(2024, 3, 1), date(2024, 3, 1)) == 0
    assert jakarta.working_days_between(date(2024, 3, 2), date(2024, 3, 3)) == 0


def test_working_days_between_is_signed(jakarta):
    assert jakarta.working_days_between(date(2024, 3, 22), date(2024, 3, 1)) == -14


def test_working_days_between_undoes_add_days_over_lebaran():
    lebaran = PokjaCalendar("Asia/Jakarta", days_off=LEBARAN_CUTI_BERSAMA)
    start = date(2024, 4, 1)
    for n in range(30):
        assert lebaran.working_days_between(start, lebaran.add_days(start, n, "working")) == n
    assert lebaran.working_days_between(date(2024, 4, 5), date(2024, 4, 16)) == 1


def test_working_days_between_across_years_is_the_day_by_day_count():
    """The count comes from each year's running total (issue 8: a clock overdue since last
    year is counted on every read); it must be the plain walk, across year ends, leap days,
    declared days off and working days."""
    calendar = PokjaCalendar(
        "Asia/Jayapura",
        days_off=[*LEBARAN_CUTI_BERSAMA, date(2025, 12, 26)],
        working_days=[date(2024, 12, 28), date(2026, 1, 1)],
    )

    def walked(start: date, end: date) -> int:
        days = range(1, (end - start).days + 1)
        return sum(calendar.is_working_day(start + timedelta(days=i)) for i in days)

    rng = random.Random(8)  # noqa: S311 - reproducible test dates, not secrets
    origin = date(2023, 1, 1)
    for _ in range(300):
        start = origin + timedelta(days=rng.randrange(1500))
        end = start + timedelta(days=rng.randrange(900))
        assert calendar.working_days_between(start, end) == walked(start, end), (start, end)
        assert calendar.working_days_between(end, start) == -walked(start, end)


# --- local dates and deadlines -------------------------------------------------------------


def test_local_date_follows_the_pokja_zone():
    moment = datetime(2024, 3, 1, 16, 30, tzinfo=UTC)
    assert PokjaCalendar("Asia/Jakarta").local_date(moment) == date(2024, 3, 1)
    assert PokjaCalendar("Asia/Makassar").local_date(moment) == date(2024, 3, 2)
    assert PokjaCalendar("Asia/Jayapura").local_date(moment) == date(2024, 3, 2)


def test_deadline_is_end_of_the_14th_working_day_in_jakarta(jakarta):
    due = jakarta.deadline(datetime(2024, 3, 1, 3, 0, tzinfo=UTC), 14, "working")
    assert due == datetime(2024, 3, 22, 23, 59, 59, 999999, tzinfo=WIB)
    assert due.tzinfo == WIB
    assert due.astimezone(UTC) == datetime(2024, 3, 22, 16, 59, 59, 999999, tzinfo=UTC)


def test_deadline_in_wit_counts_from_the_local_date_already_2_march():
    jayapura = PokjaCalendar("Asia/Jayapura")
    event = datetime(2024, 3, 1, 16, 30, tzinfo=UTC)  # 2 March 01:30 WIT, 1 March 23:30 WIB
    assert jayapura.deadline(event, 7, "calendar") == datetime(
        2024, 3, 9, 23, 59, 59, 999999, tzinfo=WIT
    )
    assert PokjaCalendar("Asia/Jakarta").deadline(event, 7, "calendar") == datetime(
        2024, 3, 8, 23, 59, 59, 999999, tzinfo=WIB
    )
    assert jayapura.deadline(event, 14, "working").astimezone(UTC) == datetime(
        2024, 3, 22, 14, 59, 59, 999999, tzinfo=UTC
    )


def test_the_same_instant_is_thursday_in_wib_and_friday_before_nyepi_in_wit_and_wita():
    event = datetime(2024, 3, 7, 16, 30, tzinfo=UTC)
    expected = {
        "Asia/Jakarta": datetime(2024, 3, 8, 23, 59, 59, 999999, tzinfo=WIB),
        "Asia/Pontianak": datetime(
            2024, 3, 8, 23, 59, 59, 999999, tzinfo=ZoneInfo("Asia/Pontianak")
        ),
        "Asia/Makassar": datetime(2024, 3, 12, 23, 59, 59, 999999, tzinfo=WITA),
        "Asia/Jayapura": datetime(2024, 3, 12, 23, 59, 59, 999999, tzinfo=WIT),
    }
    for zone, due in expected.items():
        assert PokjaCalendar(zone).deadline(event, 1, "working") == due, zone


def test_deadline_refuses_a_naive_start(jakarta):
    with pytest.raises(ValueError, match="timezone-aware"):
        jakarta.deadline(datetime(2024, 3, 1, 10, 0), 14, "working")


# --- overdue and days left -------------------------------------------------------------------


def test_overdue_flips_exactly_at_the_deadline_instant(jakarta):
    due = jakarta.deadline(datetime(2024, 3, 1, 3, 0, tzinfo=UTC), 14, "working")
    assert is_overdue(due, due - ONE_MICROSECOND) is False
    assert is_overdue(due, due) is True
    assert is_overdue(due, due + ONE_MICROSECOND) is True


def test_overdue_compares_instants_across_zones(jakarta):
    due = jakarta.deadline(datetime(2024, 3, 1, 3, 0, tzinfo=UTC), 14, "working")
    assert is_overdue(due, datetime(2024, 3, 22, 16, 59, 59, 999998, tzinfo=UTC)) is False
    assert is_overdue(due, datetime(2024, 3, 22, 16, 59, 59, 999999, tzinfo=UTC)) is True
    # Already 23 March in Jayapura, but still 22 March 23:00 in Jakarta, whose deadline it is.
    assert is_overdue(due, datetime(2024, 3, 23, 1, 0, tzinfo=WIT)) is False


def test_overdue_refuses_naive_datetimes(jakarta):
    due = jakarta.deadline(datetime(2024, 3, 1, 3, 0, tzinfo=UTC), 14, "working")
    with pytest.raises(ValueError, match="now must be a timezone-aware datetime"):
        is_overdue(due, datetime(2024, 3, 23))


@pytest.mark.parametrize(
    ("now", "calendar_days", "working_days"),
    [
        (datetime(2024, 3, 8, 9, 0, tzinfo=WIB), 14, 9),  # Nyepi on the 11th is not counted
        (datetime(2024, 3, 21, 9, 0, tzinfo=WIB), 1, 1),
        (datetime(2024, 3, 22, 23, 0, tzinfo=WIB), 0, 0),  # the last day
        (datetime(2024, 3, 22, 17, 30, tzinfo=UTC), -1, 0),  # Saturday 00:30 WIB, overdue
        (datetime(2024, 3, 25, 9, 0, tzinfo=WIB), -3, -1),
    ],
)
def test_days_left_counts_local_days_to_the_deadline_day(jakarta, now, calendar_days, working_days):
    due = jakarta.deadline(datetime(2024, 3, 1, 3, 0, tzinfo=UTC), 14, "working")
    assert jakarta.days_left(due, now, "calendar") == calendar_days
    assert jakarta.days_left(due, now, "working") == working_days


# --- construction ----------------------------------------------------------------------------


def test_calendar_refuses_an_unknown_time_zone():
    with pytest.raises(InvalidCalendar, match="unknown time zone 'Asia/Bandung'") as caught:
        PokjaCalendar("Asia/Bandung")
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, RuleViolation)
    assert caught.value.status == 422


def test_calendar_refuses_a_day_both_off_and_working():
    with pytest.raises(InvalidCalendar, match="2024-04-08"):
        PokjaCalendar("Asia/Jakarta", days_off=[date(2024, 4, 8)], working_days=[date(2024, 4, 8)])


def test_calendars_with_the_same_settings_are_equal_and_hashable():
    a = PokjaCalendar("Asia/Jakarta", days_off=[date(2024, 4, 8)])
    b = PokjaCalendar("Asia/Jakarta", days_off={date(2024, 4, 8)})
    assert a == b
    assert hash(a) == hash(b)
    assert a != PokjaCalendar("Asia/Jayapura", days_off={date(2024, 4, 8)})
