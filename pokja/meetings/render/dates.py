"""Dates and times the Indonesian way (or the English), in the Pokja's zone, written by Babel:
"Rabu, 13 Desember 2023, pukul 09.00 WIB" (DESIGN §7). The zone's abbreviation (WIB, WITA,
WIT) comes from Babel's Indonesian data in either language: it is what the Pokja's letters use.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time

LANGUAGES = ("id", "en")


def _local(moment: datetime, time_zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(time_zone))


def zone_abbreviation(moment: datetime, time_zone: str) -> str:
    """WIB, WITA or WIT (Babel's short name of the zone in Indonesian)."""
    return format_datetime(_local(moment, time_zone), "z", locale="id")


def day(value: date | datetime, time_zone: str, lang: str) -> str:
    """ "Rabu, 13 Desember 2023" / "Wednesday, 13 December 2023"."""
    if isinstance(value, datetime):
        value = _local(value, time_zone).date()
    return format_date(value, "EEEE, d MMMM y", locale=lang)


def short_day(value: date | datetime, time_zone: str, lang: str) -> str:
    """ "13 Desember 2023" / "13 December 2023"."""
    if isinstance(value, datetime):
        value = _local(value, time_zone).date()
    return format_date(value, "d MMMM y", locale=lang)


def clock_time(moment: datetime, time_zone: str, lang: str) -> str:
    """ "09.00" / "09:00"."""
    return format_time(_local(moment, time_zone), "HH.mm" if lang == "id" else "HH:mm", locale=lang)


def date_line(moment: datetime, time_zone: str, lang: str) -> str:
    """ "Rabu, 13 Desember 2023, pukul 09.00 WIB" / "Wednesday, 13 December 2023, 09:00 WIB"."""
    at = "pukul " if lang == "id" else ""
    time_part = f"{at}{clock_time(moment, time_zone, lang)} {zone_abbreviation(moment, time_zone)}"
    return f"{day(moment, time_zone, lang)}, {time_part}"


def time_range(starts: datetime, ends: datetime, time_zone: str, lang: str) -> str:
    """ "pukul 09.00–12.00 WIB" / "09:00–12:00 WIB"."""
    at = "pukul " if lang == "id" else ""
    start, end = clock_time(starts, time_zone, lang), clock_time(ends, time_zone, lang)
    return f"{at}{start}–{end} {zone_abbreviation(starts, time_zone)}"


def moment_line(value: str, time_zone: str, lang: str) -> str:
    """An ISO 8601 timestamp of the document as "13 Desember 2023 09.00 WIB"."""
    moment = datetime.fromisoformat(value)
    zone = zone_abbreviation(moment, time_zone)
    return f"{short_day(moment, time_zone, lang)} {clock_time(moment, time_zone, lang)} {zone}"


def iso_day(value: str | None, time_zone: str, lang: str) -> str:
    """An ISO date or timestamp of the document as its local day, "13 Desember 2023"."""
    if not value:
        return "—"
    if "T" in value:
        return short_day(datetime.fromisoformat(value), time_zone, lang)
    return short_day(date.fromisoformat(value), time_zone, lang)
