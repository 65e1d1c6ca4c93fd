"""The minutes document's blocks (notulen), from the minutes as one reader may see them."""

from __future__ import annotations

from typing import Any

from pokja.meetings.render import dates
from pokja.meetings.render.agenda_blocks import context, section_blocks
from pokja.meetings.render.blocks import (
    Block,
    Entries,
    Entry,
    Facts,
    Heading,
    Para,
    Table,
    Title,
    date_line,
    meeting_facts,
)


def attendance_table(minutes: dict[str, Any], lang: str) -> Table:
    ctx = context(minutes, lang)
    rows = []
    for invitation in minutes["meeting"]["invited"]:
        people = "; ".join(
            ", ".join(p for p in (a.get("name"), a.get("position")) if p)
            for a in invitation["attendees"]
        )
        rows.append(
            [
                ctx.agency(invitation["agency_id"]),
                ctx.label("attendance", invitation["attendance"]),
                people or "—",
            ]
        )
    return Table([ctx.word("agency"), ctx.word("attendance"), ctx.word("attendees")], rows)


def decisions_table(minutes: dict[str, Any], lang: str) -> Table:
    ctx = context(minutes, lang)
    rows = []
    for n, decision in enumerate(minutes["decisions"], start=1):
        text = decision["text"] or ctx.word(
            "decision_on_case", register=decision["register_number"]
        )
        if decision["register_number"] and decision["text"]:
            text = f"{text} ({decision['register_number']})"
        rows.append(
            [
                str(n),
                text,
                ctx.agency(decision["owner_agency_id"]),
                ctx.day(decision["due_on"]),
                ctx.label("decision_status", decision["status"]),
            ]
        )
    headers = ["No.", ctx.word("decision"), ctx.word("owner"), ctx.word("due_on")]
    return Table([*headers, ctx.word("status")], rows)


def minutes_blocks(minutes: dict[str, Any], lang: str) -> list[Block]:
    ctx = context(minutes, lang)
    meeting = minutes["meeting"]
    blocks: list[Block] = [
        Title(ctx.word("minutes"), meeting["title"]),
        date_line(meeting, ctx),
        meeting_facts(meeting, ctx),
        Heading(ctx.word("attendance")),
        attendance_table(minutes, lang),
        Heading(ctx.word("programme")),
    ]
    for section in minutes["sections"]:
        blocks += section_blocks(section, ctx)
    manual = next(s for s in minutes["sections"] if s["key"] == "manual_items")
    with_minutes = [
        Entry(item["text"]["title"], [item["text"]["minutes"]])
        for item in manual["items"]
        if (item.get("text") or {}).get("minutes")
    ]
    if with_minutes:
        blocks += [Heading(ctx.word("item_minutes")), Entries(with_minutes, numbered=True)]
    blocks.append(Heading(ctx.word("meeting_minutes")))
    blocks += [Para(p) for p in minutes["minutes"].split("\n\n") if p.strip()] or [
        Para(ctx.word("none"))
    ]
    blocks += [Heading(ctx.word("decisions")), decisions_table(minutes, lang)]
    head = minutes["chain_head"]
    closed = minutes["closed_at"]
    when = dates.moment_line(closed, ctx.time_zone, lang) if closed else "—"
    blocks += [
        Heading(ctx.word("chain_head")),
        Facts(
            [
                ("Seq", str(head["seq"])),
                ("SHA-256", str(head["hash"])),
                (ctx.word("closed_at"), when),
            ]
        ),
        Heading(ctx.word("signatures")),
        Table(
            [ctx.word("agency"), ctx.word("attendees"), ctx.word("signature")],
            [
                [ctx.agency(i["agency_id"]), "", ""]
                for i in meeting["invited"]
                if i["attendance"] == "present"
            ],
        ),
    ]
    return blocks
