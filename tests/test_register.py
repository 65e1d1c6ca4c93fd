"""Register numbers: Bawaslu's format, consecutive per kind and year, in the Pokja's zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pokja.cases import register
from pokja.errors import RuleViolation
from pokja.extensions import db
from tests.factories import new_case


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("month", "roman"),
    [
        (1, "I"),
        (2, "II"),
        (3, "III"),
        (4, "IV"),
        (5, "V"),
        (6, "VI"),
        (7, "VII"),
        (8, "VIII"),
        (9, "IX"),
        (10, "X"),
        (11, "XI"),
        (12, "XII"),
    ],
)
def test_months_are_written_in_roman_numerals(month, roman):
    assert register.roman_month(month) == roman


def test_a_report_gets_bawaslus_form(make_pokja):
    pokja = make_pokja(region_code="27.09")
    number = register.next_number(db.session, pokja, "report", at(2024, 3, 5, 3))
    assert number.number == "001/LP/PL/Kab/27.09/III/2024"
    assert (number.kind, number.year, number.seq) == ("LP", 2024, 1)


@pytest.mark.parametrize(
    ("source", "kind"),
    [("report", "LP"), ("complaint_post", "LP"), ("finding", "TM"), ("referral", "TM")],
)
def test_the_source_decides_lp_or_tm(make_pokja, source, kind):
    number = register.next_number(db.session, make_pokja(), source, at(2024, 4, 1))
    assert number.number.split("/")[1] == kind


@pytest.mark.parametrize(
    ("level", "abbreviation"),
    [("kabupaten", "Kab"), ("kota", "Kota"), ("provinsi", "Prov"), ("nasional", "RI")],
)
def test_the_level_is_abbreviated(make_pokja, level, abbreviation):
    number = register.next_number(db.session, make_pokja(level=level), "finding", at(2024, 4, 1))
    assert number.number.split("/")[3] == abbreviation


def test_numbers_are_consecutive_and_reports_and_findings_count_separately(make_pokja):
    pokja = make_pokja()
    numbers = [
        register.next_number(db.session, pokja, s, at(2024, 3, 5)).number
        for s in ("report", "report", "finding", "complaint_post", "finding")
    ]
    assert [n[:6] for n in numbers] == ["001/LP", "002/LP", "001/TM", "003/LP", "002/TM"]


def test_each_pokja_has_its_own_sequence(make_pokja):
    first, second = make_pokja(), make_pokja()
    register.next_number(db.session, first, "report", at(2024, 3, 5))
    assert register.next_number(db.session, second, "report", at(2024, 3, 5)).seq == 1


def test_the_sequence_restarts_each_year_in_the_pokjas_time_zone(make_pokja):
    pokja = make_pokja(timezone="Asia/Jayapura")  # WIT, UTC+9
    register.next_number(db.session, pokja, "report", at(2024, 12, 30, 12))
    late = register.next_number(db.session, pokja, "report", at(2024, 12, 31, 14, 59))
    assert late.number.endswith("/XII/2024")
    assert late.seq == 2
    # 15:00 UTC on 31 December is midnight in Jayapura: a new year, a new sequence.
    new_year = register.next_number(db.session, pokja, "report", at(2024, 12, 31, 15))
    assert new_year.number == "001/LP/PL/Kab/17.01/I/2025"


def test_a_pokja_may_use_its_own_format(make_pokja):
    pokja = make_pokja(register_format="{region_code}-{year}-{month_number:02d}-{kind}{seq:04d}")
    number = register.next_number(db.session, pokja, "finding", at(2024, 7, 1))
    assert number.number == "17.01-2024-07-TM0001"


@pytest.mark.parametrize("fmt", ["{seq}/{nope}", "{kind}/{year}", "{seq:03d}/{", "{seq:x}{kind:d}"])
def test_a_bad_format_is_refused(fmt):
    with pytest.raises(RuleViolation) as error:
        register.validate_format(fmt)
    assert "register_format" in error.value.extra["errors"]


def test_the_default_format_is_valid():
    assert register.validate_format(register.DEFAULT_FORMAT) == register.DEFAULT_FORMAT


def test_a_rolled_back_registration_does_not_use_up_its_number(make_pokja):
    pokja = make_pokja()
    register.next_number(db.session, pokja, "report", at(2024, 3, 5))
    savepoint = db.session.begin_nested()
    assert register.next_number(db.session, pokja, "report", at(2024, 3, 5)).seq == 2
    savepoint.rollback()
    assert register.next_number(db.session, pokja, "report", at(2024, 3, 5)).seq == 2


def test_registering_a_case_stores_its_number(world):
    first = new_case(world, registered_at=at(2024, 3, 5))
    second = new_case(world, registered_at=at(2024, 4, 2), source="finding")
    third = new_case(world, registered_at=at(2024, 4, 3))
    assert first.register_number == "001/LP/PL/Kab/17.01/III/2024"
    assert second.register_number == "001/TM/PL/Kab/17.01/IV/2024"
    assert (third.register_kind, third.register_year, third.register_seq) == ("LP", 2024, 2)
