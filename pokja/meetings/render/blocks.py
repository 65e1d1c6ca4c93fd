"""A document as a list of blocks (title, facts, headings, paragraphs, lists, tables) that each
format renders alike, so that Markdown, HTML and DOCX say the same thing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pokja.meetings.render import dates
from pokja.meetings.render.words import label, word


@dataclass
class Title:
    text: str
    subtitle: str = ""


@dataclass
class Facts:
    """Label–value lines: "Hari/tanggal: Rabu, 13 Desember 2023"."""

    rows: list[tuple[str, str]]


@dataclass
class Heading:
    text: str
    level: int = 2


@dataclass
class Para:
    text: str
    strong: bool = False


@dataclass
class Entry:
    text: str
    details: list[str] = field(default_factory=list)


@dataclass
class Entries:
    entries: list[Entry]
    numbered: bool = False


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]


Block = Title | Facts | Heading | Para | Entries | Table


@dataclass(frozen=True)
class Context:
    """What every line needs: the language, the Pokja's zone and its agencies' names."""

    lang: str
    time_zone: str
    agencies: dict[str, Any]

    def agency(self, agency_id: str | None) -> str:
        if agency_id is None:
            return "—"
        agency = self.agencies.get(agency_id)
        return agency["name"] if agency else agency_id

    def day(self, value: str | None) -> str:
        return dates.iso_day(value, self.time_zone, self.lang)

    def word(self, key: str, **values: object) -> str:
        return word(key, self.lang, **values)

    def label(self, code_list: str, code: str | None) -> str:
        return label(code_list, code, self.lang)


def date_line(meeting: dict[str, Any], ctx: Context) -> Para:
    """ "Rabu, 13 Desember 2023, pukul 09.00 WIB": the line a letter names the meeting by."""
    starts = datetime.fromisoformat(meeting["starts_at"])
    return Para(dates.date_line(starts, ctx.time_zone, ctx.lang), strong=True)


def meeting_facts(meeting: dict[str, Any], ctx: Context) -> Facts:
    """The invitation letter's lines: Hari/tanggal, Waktu, Tempat (DESIGN §7)."""
    starts = datetime.fromisoformat(meeting["starts_at"])
    ends = datetime.fromisoformat(meeting["ends_at"])
    rows = [
        (ctx.word("day_date"), dates.day(starts, ctx.time_zone, ctx.lang)),
        (ctx.word("time"), dates.time_range(starts, ends, ctx.time_zone, ctx.lang)),
    ]
    if meeting["place"]:
        rows.append((ctx.word("place"), meeting["place"]))
    if meeting["online_url"]:
        rows.append((ctx.word("online"), meeting["online_url"]))
    rows.append((ctx.word("pokja"), meeting["pokja"]["name"]))
    rows.append((ctx.word("status"), ctx.label("status", meeting["status"])))
    return Facts(rows)


def case_line(item: dict[str, Any], ctx: Context) -> tuple[str, list[str]]:
    """The case an item is about: its register number and title, or its redacted summary."""
    case = item.get("case")
    if case is None:
        return "", []
    summary = [
        f"{ctx.word('stage')} {ctx.label('stage', case['stage'])}",
        f"{ctx.word('holder')} {ctx.agency(case['holder_agency_id'])}",
        f"{ctx.word('registered')} {ctx.day(case['registered_at'])}",
    ]
    if case["redacted"]:
        return f"{case['register_number']} ({ctx.word('redacted')})", ["; ".join(summary)]
    details = ["; ".join(summary)]
    if case.get("subjects"):
        names = ", ".join(s["name"] for s in case["subjects"])
        details.append(f"{ctx.word('subjects')}: {names}")
    return f"{case['register_number']} — {case['title']}", details
