"""The clock catalogue and a Pokja's overrides (pokja.time.catalogue), on real 2024 dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from pokja.errors import RuleViolation
from pokja.time.calendar import PokjaCalendar
from pokja.time.catalogue import (
    CLOCKS,
    Clock,
    ClockLength,
    ElectionKind,
    InvalidClockSetting,
    clock_settings,
    deadline_for,
    validate_override,
    validate_overrides,
)

PEMILU, PILKADA = ElectionKind.PEMILU, ElectionKind.PILKADA
WIB = ZoneInfo("Asia/Jakarta")
FRIDAY_1_MARCH_2024 = datetime(2024, 3, 1, 3, 0, tzinfo=UTC)  # 10:00 WIB


def end_of(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 23, 59, 59, 999999, tzinfo=WIB)


@pytest.fixture
def jakarta() -> PokjaCalendar:
    return PokjaCalendar("Asia/Jakarta")


# DESIGN §6, row by row.
TABLE = {
    "report_window": ((7, "working"), (7, "calendar")),
    "initial_review": ((2, "calendar"), (2, "calendar")),
    "decision": ((7, "calendar"), (3, "calendar")),
    "decision_extension": ((14, "working"), (2, "calendar")),
    "crime_to_police": ((1, "calendar"), (1, "calendar")),
    "police_to_prosecutor": ((14, "calendar"), (14, "working")),
    "handoff_acceptance": ((3, "working"), (3, "working")),
    "recommendation_follow_up": ((14, "working"), (14, "working")),
    "military_police_investigation": ((14, "calendar"), (14, "calendar")),
}


def test_catalogue_has_exactly_the_design_clocks():
    assert set(CLOCKS) == set(TABLE)
    assert [c.value for c in Clock] == list(TABLE)


@pytest.mark.parametrize(("clock", "expected"), TABLE.items())
def test_default_lengths_match_the_design_table(clock, expected):
    (pemilu_length, pemilu_unit), (pilkada_length, pilkada_unit) = expected
    defaults = clock_settings()[Clock(clock)]
    assert (defaults[PEMILU].length, defaults[PEMILU].unit) == (pemilu_length, pemilu_unit)
    assert (defaults[PILKADA].length, defaults[PILKADA].unit) == (pilkada_length, pilkada_unit)


def test_only_the_pilkada_decision_extension_follows_another_clock():
    following = {
        (clock, kind): setting.follows
        for clock, per_kind in clock_settings().items()
        for kind, setting in per_kind.items()
        if setting.follows is not None
    }
    assert following == {(Clock.DECISION_EXTENSION, PILKADA): Clock.DECISION}


def test_every_clock_has_indonesian_and_english_labels():
    assert CLOCKS[Clock.RECOMMENDATION_FOLLOW_UP].label_id == "Tindak lanjut rekomendasi"
    assert CLOCKS[Clock.RECOMMENDATION_FOLLOW_UP].label_en == "Follow-up of a recommendation"
    for spec in CLOCKS.values():
        assert spec.label_id
        assert spec.label_en
        assert spec.label_id != spec.label_en
        assert spec.starts_from


# --- pemilu and pilkada deadlines differ as the law says -------------------------------------


def test_report_window_is_working_days_in_pemilu_and_calendar_days_in_pilkada(jakarta):
    settings = clock_settings()
    # Pemilu: Mar 4-8 (1-5), [11 Nyepi], 12 (6), 13 (7). Pilkada: 7 days, Nyepi or not.
    assert deadline_for(
        jakarta, settings, Clock.REPORT_WINDOW, PEMILU, FRIDAY_1_MARCH_2024
    ) == end_of(2024, 3, 13)
    assert deadline_for(
        jakarta, settings, Clock.REPORT_WINDOW, PILKADA, FRIDAY_1_MARCH_2024
    ) == end_of(2024, 3, 8)


def test_decision_and_its_extension_per_election_kind(jakarta):
    settings = clock_settings()
    registered = FRIDAY_1_MARCH_2024
    assert deadline_for(jakarta, settings, Clock.DECISION, PEMILU, registered) == end_of(2024, 3, 8)
    assert deadline_for(jakarta, settings, Clock.DECISION, PILKADA, registered) == end_of(
        2024, 3, 4
    )
    # Pemilu: 14 working days from registration, across Nyepi.
    assert deadline_for(jakarta, settings, Clock.DECISION_EXTENSION, PEMILU, registered) == end_of(
        2024, 3, 22
    )
    # Pilkada: 3 days + 2 days = day 5.
    assert deadline_for(jakarta, settings, Clock.DECISION_EXTENSION, PILKADA, registered) == end_of(
        2024, 3, 6
    )


def test_police_file_is_calendar_days_in_pemilu_and_working_days_in_pilkada(jakarta):
    settings = clock_settings()
    assert deadline_for(
        jakarta, settings, Clock.POLICE_TO_PROSECUTOR, PEMILU, FRIDAY_1_MARCH_2024
    ) == end_of(2024, 3, 15)
    assert deadline_for(
        jakarta, settings, Clock.POLICE_TO_PROSECUTOR, PILKADA, FRIDAY_1_MARCH_2024
    ) == end_of(2024, 3, 22)


def test_recommendation_follow_up_ends_on_22_march_2024(jakarta):
    assert deadline_for(
        jakarta, clock_settings(), Clock.RECOMMENDATION_FOLLOW_UP, PEMILU, FRIDAY_1_MARCH_2024
    ) == end_of(2024, 3, 22)


def test_handoff_over_lebaran_waits_for_the_cuti_bersama():
    lebaran = PokjaCalendar(
        "Asia/Jakarta",
        days_off={date(2024, 4, d) for d in (8, 9, 12, 15)},
    )
    sent = datetime(2024, 4, 5, 2, 0, tzinfo=UTC)
    assert deadline_for(
        lebaran, clock_settings(), Clock.HANDOFF_ACCEPTANCE, PILKADA, sent
    ) == end_of(2024, 4, 18)


# --- overrides -------------------------------------------------------------------------------


def test_override_replaces_one_clock_for_one_election_kind_only():
    settings = clock_settings({"decision": {"pilkada": {"length": 5, "unit": "working"}}})
    assert settings[Clock.DECISION][PILKADA] == ClockLength(5, "working")
    assert settings[Clock.DECISION][PEMILU] == ClockLength(7, "calendar")
    assert settings[Clock.REPORT_WINDOW][PILKADA] == ClockLength(7, "calendar")


def test_override_keeps_the_clock_it_follows():
    settings = clock_settings({"decision_extension": {"pilkada": {"length": 4, "unit": "working"}}})
    assert settings[Clock.DECISION_EXTENSION][PILKADA] == ClockLength(
        4, "working", follows=Clock.DECISION
    )


def test_overridden_clock_changes_the_deadline(jakarta):
    settings = clock_settings(
        {"recommendation_follow_up": {"pemilu": {"length": 10, "unit": "working"}}}
    )
    assert deadline_for(
        jakarta, settings, Clock.RECOMMENDATION_FOLLOW_UP, PEMILU, FRIDAY_1_MARCH_2024
    ) == end_of(2024, 3, 18)


def test_settings_are_fresh_copies_that_do_not_leak_between_pokjas():
    first = clock_settings()
    first[Clock.DECISION][PEMILU] = ClockLength(99, "calendar")
    assert clock_settings()[Clock.DECISION][PEMILU] == ClockLength(7, "calendar")
    assert CLOCKS[Clock.DECISION].defaults[PEMILU] == ClockLength(7, "calendar")


def test_no_overrides_and_empty_overrides_give_the_defaults():
    assert clock_settings(None) == clock_settings({})
    assert clock_settings()[Clock.HANDOFF_ACCEPTANCE][PEMILU] == ClockLength(3, "working")


def test_validate_override_returns_the_setting_to_use():
    assert validate_override("crime_to_police", "pemilu", 2, "working") == ClockLength(2, "working")


@pytest.mark.parametrize(
    ("args", "field", "message"),
    [
        (("appeal", "pemilu", 3, "working"), "appeal", "Unknown clock"),
        (("decision", "pileg", 3, "working"), "decision.pileg", "Unknown election kind"),
        (("decision", "pemilu", 3, "hours"), "decision.pemilu.unit", "Unknown unit"),
        (("decision", "pemilu", 0, "working"), "decision.pemilu.length", "at least 1 day"),
        (("decision", "pemilu", -3, "working"), "decision.pemilu.length", "at least 1 day"),
        (("decision", "pemilu", True, "working"), "decision.pemilu.length", "whole number"),
        (("decision", "pemilu", "7", "working"), "decision.pemilu.length", "whole number"),
        (("decision", "pemilu", 1.5, "working"), "decision.pemilu.length", "whole number"),
        (("decision", "pemilu", 3, None), "decision.pemilu.unit", "Unknown unit"),
    ],
)
def test_validate_override_rejects_bad_values(args, field, message):
    with pytest.raises(InvalidClockSetting) as caught:
        validate_override(*args)
    assert list(caught.value.errors) == [field]
    assert message in caught.value.errors[field][0]


def test_invalid_setting_is_a_422_value_error_with_per_field_errors():
    with pytest.raises(InvalidClockSetting) as caught:
        validate_override("decision", "pemilu", 0, "hours")
    error = caught.value
    assert isinstance(error, ValueError)
    assert isinstance(error, RuleViolation)
    assert error.status == 422
    assert error.code == "invalid_clock_setting"
    assert error.extra["errors"] == error.errors
    assert set(error.errors) == {"decision.pemilu.length", "decision.pemilu.unit"}
    assert "decision.pemilu.length: Must be at least 1 day." in error.detail


def test_validate_overrides_collects_every_error_at_once():
    with pytest.raises(InvalidClockSetting) as caught:
        validate_overrides(
            {
                "decision": {"pemilu": {"length": 0, "unit": "working"}},
                "report_window": {"pilkada": {"length": 7}},
                "appeal": {"pemilu": {"length": 3, "unit": "working"}},
                "handoff_acceptance": ["pemilu"],
            }
        )
    assert caught.value.errors == {
        "decision.pemilu.length": ["Must be at least 1 day."],
        "report_window.pilkada": ["Must be an object with exactly length and unit."],
        "appeal": [
            "Unknown clock; expected one of report_window, initial_review, decision, "
            "decision_extension, crime_to_police, police_to_prosecutor, handoff_acceptance, "
            "recommendation_follow_up, military_police_investigation."
        ],
        "handoff_acceptance": ["Must be an object keyed by election kind."],
    }


def test_validate_overrides_refuses_unknown_keys_in_a_setting():
    with pytest.raises(InvalidClockSetting) as caught:
        validate_overrides({"decision": {"pemilu": {"length": 3, "unit": "working", "x": 1}}})
    assert list(caught.value.errors) == ["decision.pemilu"]


def test_validate_overrides_refuses_a_non_object():
    with pytest.raises(InvalidClockSetting) as caught:
        validate_overrides(["decision"])  # type: ignore[arg-type]
    assert caught.value.errors == {"_schema": ["Must be an object keyed by clock."]}


def test_clock_settings_fails_loudly_on_corrupt_stored_overrides():
    with pytest.raises(InvalidClockSetting, match=r"decision\.pemilu\.unit"):
        clock_settings({"decision": {"pemilu": {"length": 3, "unit": "weeks"}}})
