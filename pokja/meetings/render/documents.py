"""Which formats a meeting's documents come in, and rendering one (DESIGN §7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from pokja.meetings.render import docx, html, ics, markdown
from pokja.meetings.render.agenda_blocks import agenda_blocks
from pokja.meetings.render.blocks import Block
from pokja.meetings.render.minutes_blocks import minutes_blocks


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str
    attachment: bool = False


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("json", "application/json", "json"),
        Format("markdown", "text/markdown", "md"),
        Format("html", "text/html", "html"),
        Format("ics", "text/calendar", "ics"),
        Format("docx", DOCX_TYPE, "docx", attachment=True),
    )
}
ALIASES = {"md": "markdown", "ical": "ics", "icalendar": "ics", "htm": "html"}
AGENDA_FORMATS = ("json", "markdown", "html", "ics", "docx")
MINUTES_FORMATS = ("json", "markdown", "html", "docx")


class UnknownFormat(ValueError):
    """A format the document does not come in."""


def format_named(name: str, allowed: tuple[str, ...]) -> Format:
    name = ALIASES.get(name.lower(), name.lower())
    if name not in allowed:
        raise UnknownFormat(name)
    return FORMATS[name]


def filename(kind: str, document: dict[str, Any], fmt: Format) -> str:
    """ "rakor-2023-12-13.docx", "notulen-2023-12-13.md": after the meeting's local date."""
    meeting = document["meeting"]
    local = datetime.fromisoformat(meeting["starts_at"])
    zone = ZoneInfo(meeting["timezone"])
    return f"{kind}-{local.astimezone(zone).date().isoformat()}.{fmt.extension}"


def _render_blocks(blocks: list[Block], fmt: Format, lang: str) -> bytes:
    if fmt.name == "markdown":
        return markdown.render(blocks).encode()
    if fmt.name == "html":
        return html.render(blocks, lang).encode()
    return docx.render(blocks)


def render_agenda(agenda: dict[str, Any], fmt: Format, lang: str, now: datetime) -> bytes:
    if fmt.name == "json":
        return orjson.dumps(agenda)
    if fmt.name == "ics":
        return ics.render(agenda, lang, now)
    return _render_blocks(agenda_blocks(agenda, lang), fmt, lang)


def render_minutes(minutes: dict[str, Any], fmt: Format, lang: str) -> bytes:
    if fmt.name == "json":
        return orjson.dumps(minutes)
    return _render_blocks(minutes_blocks(minutes, lang), fmt, lang)
