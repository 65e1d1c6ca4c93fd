"""A meeting as an RFC 5545 calendar (``icalendar``): one VEVENT in the Pokja's zone with its
VTIMEZONE, a stable UID, a SEQUENCE that grows with every reschedule, STATUS:CANCELLED once
cancelled, the place or link, and the agenda's headings in DESCRIPTION."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from pokja.meetings.render.agenda_blocks import context
from pokja.meetings.render.blocks import case_line
from pokja.meetings.render.words import section_title

PRODID = "-//pokja//Rapat koordinasi Pokja Netralitas//ID"
# RFC 5545 §3.8.1.11: a meeting being drafted is tentative; once scheduled it is confirmed.
STATUS = {"draft": "TENTATIVE", "cancelled": "CANCELLED"}


def uid(meeting_id: str) -> str:
    return f"meeting-{meeting_id}@pokja"


def description(agenda: dict[str, Any], lang: str) -> str:
    """The agenda's numbered headings, with what each lists (redacted as for the reader)."""
    ctx = context(agenda, lang)
    lines = []
    for section in agenda["sections"]:
        count = "" if section["key"] == "statistics" else f" ({len(section['items'])})"
        lines.append(f"{section['number']}. {section_title(section['key'], lang)}{count}")
        if section["key"] == "manual_items":
            for item in section["items"]:
                title = (item.get("text") or {}).get("title")
                head, _ = case_line(item, ctx)
                lines.append(f"   - {title or head}")
    return "\n".join(lines)


def render(agenda: dict[str, Any], lang: str, now: datetime) -> bytes:
    meeting = agenda["meeting"]
    zone = ZoneInfo(meeting["timezone"])
    event = Event()
    event.add("uid", uid(meeting["id"]))
    event.add("dtstamp", now)
    event.add("sequence", meeting["sequence"])
    event.add("dtstart", datetime.fromisoformat(meeting["starts_at"]).astimezone(zone))
    event.add("dtend", datetime.fromisoformat(meeting["ends_at"]).astimezone(zone))
    event.add("summary", meeting["title"])
    event.add("status", STATUS.get(meeting["status"], "CONFIRMED"))
    if meeting["place"]:
        event.add("location", meeting["place"])
    if meeting["online_url"]:
        event.add("url", meeting["online_url"])
    event.add("description", description(agenda, lang))
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if meeting["status"] == "cancelled" else "PUBLISH")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
