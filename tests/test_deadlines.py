"""Deadlines with a Pokja's own calendar and settings, and a case's clocks (DESIGN §6)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from pokja.cases import clock_extensions
from pokja.directory import settings
from pokja.errors import Conflict
from pokja.extensions import db
from pokja.handoffs.lifecycle import withdraw_handoff
from pokja.handoffs.queries import acceptance_due_on
from pokja.models import Case, Event, Pokja
from pokja.notify.reminders import in_working_hours
from pokja.time import case_clocks
from pokja.time.settings import calendar_for, calendars_for
from tests.factories import hand_off, new_case

# Monday 4 March 2024, 10:00 WIB.
MONDAY = datetime(2024, 3, 4, 3, 0, tzinfo=UTC)


def _declare(world, *days):
    rows = [{"day": d, "kind": k, "note": ""} for d, k in days]
    settings.replace_days(db.session, world.coordinator, world.pokja, rows)


def test_default_handoff_due_is_three_working_days(world):
    case = new_case(world)
    assert acceptance_due_on(db.session, case, MONDAY) == date(2024, 3, 7)


def test_a_day_the_pokja_declares_off_shifts_a_handoff_due_date(world):
    case = new_case(world)
    _declare(world, (date(2024, 3, 6), "off"))
    assert acceptance_due_on(db.session, case, MONDAY) == date(2024, 3, 8)


def test_a_holiday_declared_working_counts(world):
    case = new_case(world)
    # Friday 8 March 2024 10:00 WIB: Mon 11 (Nyepi), Tue 12, Wed 13 ... unless Nyepi is worked.
    friday = datetime(2024, 3, 8, 3, 0, tzinfo=UTC)
    assert acceptance_due_on(db.session, case, friday) == date(2024, 3, 14)
    _declare(world, (date(2024, 3, 11), "working"))
    assert acceptance_due_on(db.session, case, friday) == date(2024, 3, 13)


def test_a_wit_pokja_counts_from_its_own_local_day(world):
    case = new_case(world)
    late_monday_utc = datetime(2024, 3, 4, 16, 30, tzinfo=UTC)  # 23:30 WIB, Tue 01:30 WIT
    assert acceptance_due_on(db.session, case, late_monday_utc) == date(2024, 3, 7)
    world.pokja.timezone = "Asia/Jayapura"
    db.session.flush()
    assert acceptance_due_on(db.session, case, late_monday_utc) == date(2024, 3, 8)


def test_calendar_reads_the_declared_days(world):
    _declare(world, (date(2024, 2, 14), "off"), (date(2024, 3, 11), "working"))
    calendar = calendar_for(db.session, world.pokja)
    assert calendar.days_off == {date(2024, 2, 14)}
    assert calendar.working_days == {date(2024, 3, 11)}
    assert db.session.query(Event).filter_by(type="pokja.calendar_changed").count() == 1


def test_a_settings_change_does_not_move_an_existing_due_date(world):
    case = new_case(world)
    first = hand_off(world, case, "BKDPSDM")
    due = first.due_on
    settings.update_settings(
        db.session,
        world.coordinator,
        world.pokja,
        {"clocks": {"handoff_acceptance": {"pemilu": {"length": 10, "unit": "working"}}}},
    )
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(type(first), first.id).due_on == due
    # DESIGN §6: the case's clock settings were fixed when it was registered, so its next
    # handoff keeps the old clock; a case registered after the change has the new one.
    withdraw_handoff(db.session, world.liaisons["BAWASLU"], first)
    second = hand_off(world, case, "INSPEKTORAT")
    assert second.due_on == due
    later = hand_off(world, new_case(world), "BKDPSDM")
    assert later.due_on > due


def _registered(world, when, **data):
    case = new_case(world, **data)
    case.registered_at = when
    db.session.flush()
    return case


def _views(case, now):
    return {v["clock"]: v for v in case_clocks.deadlines_by_case(db.session, [case], now)[case.id]}


def test_decision_clock_pemilu_seven_days_pilkada_three(world):
    pemilu = _registered(world, MONDAY)
    pilkada = _registered(world, MONDAY, election="pilkada-2024", election_kind="pilkada")
    now = datetime(2024, 3, 5, 3, 0, tzinfo=UTC)
    decision = _views(pemilu, now)["decision"]
    assert decision["due_at"].date() == date(2024, 3, 11)
    assert decision["days_left"] == 6
    assert decision["running"]
    assert not decision["overdue"]
    assert _views(pilkada, now)["decision"]["due_at"].date() == date(2024, 3, 7)
    late = datetime(2024, 3, 12, 3, 0, tzinfo=UTC)
    assert _views(pemilu, late)["decision"]["overdue"] is True
    assert _views(pemilu, late)["decision"]["days_left"] == -1


def test_report_window_says_whether_the_report_was_late(world):
    case = _registered(world, MONDAY, discovered_on=date(2024, 2, 1))
    views = _views(case, MONDAY)
    assert views["report_window"]["late"] is True
    assert views["report_window"]["running"] is False
    assert views["initial_review"]["running"] is True


def test_extension_pemilu_14_working_days_from_registration(world):
    case = _registered(world, MONDAY)
    extension = clock_extensions.extend_clock(
        db.session, world.liaisons["BAWASLU"], case, "decision", "Keterangan tambahan"
    )
    # 14 working days after Mon 4 March 2024, skipping Nyepi (11 March): Monday 25 March.
    zone = calendar_for(db.session, world.pokja).zone
    assert extension.due_at.astimezone(zone).date() == date(2024, 3, 25)
    decision = _views(case, MONDAY)["decision"]
    assert decision["due_at"].date() == date(2024, 3, 25)
    assert decision["extension"]["reason"] == "Keterangan tambahan"
    event = db.session.query(Event).filter_by(type="case.clock_extended").one()
    assert event.case_id == case.id
    assert event.data["reason"] == "Keterangan tambahan"
    with pytest.raises(Conflict):
        clock_extensions.extend_clock(db.session, world.coordinator, case, "decision", "Lagi")


def test_extension_pilkada_adds_two_days_to_the_decision_clock(world):
    case = _registered(world, MONDAY, election="pilkada-2024", election_kind="pilkada")
    clock_extensions.extend_clock(db.session, world.coordinator, case, "decision", "Keterangan")
    assert _views(case, MONDAY)["decision"]["due_at"].date() == date(2024, 3, 9)


def test_an_extension_keeps_its_due_date_when_settings_change(world):
    case = _registered(world, MONDAY)
    clock_extensions.extend_clock(db.session, world.coordinator, case, "decision", "Keterangan")
    settings.update_settings(
        db.session,
        world.coordinator,
        world.pokja,
        {"clocks": {"decision_extension": {"pemilu": {"length": 30, "unit": "working"}}}},
    )
    assert _views(case, MONDAY)["decision"]["due_at"].date() == date(2024, 3, 25)


def test_a_stopped_clock_is_never_overdue_nor_extensible(world):
    case = _registered(world, MONDAY)
    case.stage = "dismissed"
    case.dismissal_reason = "withdrawn"
    db.session.flush()
    decision = _views(case, datetime(2024, 6, 1, tzinfo=UTC))["decision"]
    assert decision["running"] is False
    assert decision["overdue"] is False
    assert decision["days_left"] is None
    with pytest.raises(Conflict):
        clock_extensions.extend_clock(db.session, world.coordinator, case, "decision", "Terlambat")


def test_pokja_clock_overrides_apply_to_cases_registered_afterwards_only(world):
    """DESIGN §6: a case's clock settings are fixed when it is registered."""
    existing = _registered(world, MONDAY)
    before = _views(existing, MONDAY)["decision"]["due_at"]
    settings.update_settings(
        db.session,
        world.coordinator,
        world.pokja,
        {"clocks": {"decision": {"pemilu": {"length": 2, "unit": "working"}}}},
    )
    assert db.session.get(Pokja, world.pokja.id).clock_overrides == {
        "decision": {"pemilu": {"length": 2, "unit": "working"}}
    }
    case = _registered(world, MONDAY)
    assert _views(case, MONDAY)["decision"]["due_at"].date() == date(2024, 3, 6)
    assert isinstance(case, Case)
    db.session.expire_all()
    assert _views(existing, MONDAY)["decision"]["due_at"] == before
    assert before.date() == date(2024, 3, 11)


def test_calendars_for_many_pokjas_reads_each_pokjas_days(world):
    _declare(world, (date(2024, 2, 14), "off"))
    calendars = calendars_for(db.session, [world.pokja, world.other_pokja])
    assert calendars[world.pokja.id].days_off == {date(2024, 2, 14)}
    assert calendars[world.other_pokja.id].days_off == frozenset()


def test_no_reminders_on_a_day_the_pokja_declares_off(world):
    # Thursday 7 March 2024, 10:00 WIB, declared off (say, a local cuti bersama).
    thursday = datetime(2024, 3, 7, 3, 0, tzinfo=UTC)
    assert in_working_hours(calendar_for(db.session, world.pokja), thursday)
    _declare(world, (date(2024, 3, 7), "off"))
    assert not in_working_hours(calendars_for(db.session, [world.pokja])[world.pokja.id], thursday)
