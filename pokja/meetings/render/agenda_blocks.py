"""The agenda document's blocks, from the agenda as one reader may see it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pokja.meetings.render import dates
from pokja.meetings.render.blocks import (
    Block,
    Context,
    Entries,
    Entry,
    Heading,
    Para,
    Table,
    Title,
    case_line,
    date_line,
    meeting_facts,
)
from pokja.meetings.render.words import figure, section_title

FIGURE_KEYS = (
    "cases_total",
    "handoffs_pending",
    "handoffs_overdue",
    "recommendations_open",
    "recommendations_overdue",
    "recommendations_followed_up",
    "follow_up_rate",
)


def context(agenda: dict[str, Any], lang: str) -> Context:
    return Context(lang=lang, time_zone=agenda["meeting"]["timezone"], agencies=agenda["agencies"])


def _case_entry(item: dict[str, Any], ctx: Context) -> Entry:
    head, details = case_line(item, ctx)
    return Entry(head, details)


def _handoff_entry(item: dict[str, Any], ctx: Context) -> Entry:
    head, details = case_line(item, ctx)
    route = f"{ctx.agency(item['from_agency_id'])} → {ctx.agency(item['to_agency_id'])}"
    facts = [f"{ctx.word('handoff')} {route} ({ctx.label('purpose', item['purpose'])})"]
    if item["status"] == "pending":
        facts.append(f"{ctx.word('due')} {ctx.day(item['due_on'])}")
        facts.append(ctx.word("waiting", n=item["working_days_waiting"]))
        if item["overdue"]:
            facts.append(ctx.word("overdue"))
    else:
        facts.append(ctx.word("declined_by", agency=ctx.agency(item["to_agency_id"])))
        facts.append(f"{ctx.word('reason')}: {ctx.label('decline_reason', item['decline_reason'])}")
        if item["suggested_agency_id"]:
            facts.append(ctx.word("suggested", agency=ctx.agency(item["suggested_agency_id"])))
    details = ["; ".join(facts), *details]
    text = item.get("text") or {}
    details += [t for t in (text.get("reason"), text.get("decline_text")) if t]
    return Entry(head, details)


def _recommendation_entry(item: dict[str, Any], ctx: Context) -> Entry:
    head, details = case_line(item, ctx)
    facts = [
        f"{ctx.word('recommendation')} {item['number']} ({ctx.day(item['date'])})",
        f"{ctx.word('due')} {ctx.day(item['follow_up_due_at'])}",
        ctx.word("days_overdue", n=item["days_overdue"], unit=ctx.label("unit", item["due_unit"])),
    ]
    escalations = [
        f"{ctx.label('escalation', e['kind'])} {e['letter_number']} ({ctx.day(e['date'])})"
        for e in item["escalations"]
    ]
    escalated = ", ".join(escalations) if escalations else ctx.word("no_escalation")
    lines = ["; ".join(facts), f"{ctx.word('escalations')}: {escalated}", *details]
    if item.get("text", {}).get("text"):
        lines.append(item["text"]["text"])
    return Entry(head, lines)


def _decision_entry(item: dict[str, Any], ctx: Context) -> Entry:
    text = (item.get("text") or {}).get("text")
    if not text:
        register = (item.get("case") or {}).get("register_number", "—")
        text = ctx.word("decision_on_case", register=register)
    facts = [
        f"{ctx.word('owner')} {ctx.agency(item['owner_agency_id'])}",
        f"{ctx.word('due')} {ctx.day(item['due_on'])}",
        ctx.word("from_meeting", meeting=item["meeting_title"]),
    ]
    if item["overdue"]:
        facts.append(ctx.word("overdue"))
    head, details = case_line(item, ctx)
    return Entry(text, ["; ".join(facts), *([head] if head else []), *details])


def _deadline_entry(item: dict[str, Any], ctx: Context) -> Entry:
    head, details = case_line(item, ctx)
    what = f"{ctx.label('deadline', item['kind'])} — {ctx.agency(item['agency_id'])}"
    due = dates.moment_line(item["due_at"], ctx.time_zone, ctx.lang)
    return Entry(f"{due}: {what}", [head, *details] if head else details)


def _manual_entry(item: dict[str, Any], ctx: Context) -> Entry:
    text = item.get("text") or {}
    title = text.get("title") or ctx.word("item_on_case", register=item["case"]["register_number"])
    facts = []
    if item["presenter_agency_id"]:
        facts.append(f"{ctx.word('presenter')} {ctx.agency(item['presenter_agency_id'])}")
    if item["planned_minutes"]:
        facts.append(ctx.word("planned", n=item["planned_minutes"]))
    head, details = case_line(item, ctx)
    lines = (["; ".join(facts)] if facts else []) + ([head, *details] if head else [])
    if text.get("notes"):
        lines.append(text["notes"])
    return Entry(title, lines)


ENTRY: dict[str, Callable[[dict[str, Any], Context], Entry]] = {
    "new_cases": _case_entry,
    "handoffs": _handoff_entry,
    "recommendations": _recommendation_entry,
    "open_decisions": _decision_entry,
    "deadlines": _deadline_entry,
    "manual_items": _manual_entry,
}


def statistics_table(figures: dict[str, Any], ctx: Context) -> Table:
    rows = []
    for key in FIGURE_KEYS:
        value = figures[key]
        shown = (
            "—" if value is None else f"{value * 100:.1f} %" if key == "follow_up_rate" else value
        )
        rows.append([figure(key, ctx.lang), str(shown)])
    for stage, count in figures["cases_by_stage"].items():
        rows.append([f"{figure('cases_total', ctx.lang)}: {ctx.label('stage', stage)}", str(count)])
    return Table([ctx.word("figure"), ctx.word("value")], rows)


def section_blocks(section: dict[str, Any], ctx: Context) -> list[Block]:
    """One numbered section of the agenda."""
    blocks: list[Block] = [
        Heading(f"{section['number']}. {section_title(section['key'], ctx.lang)}")
    ]
    if section["key"] == "statistics":
        return [*blocks, statistics_table(section["figures"], ctx)]
    if not section["items"]:
        return [*blocks, Para(ctx.word("none"))]
    entry = ENTRY[section["key"]]
    if section["key"] != "recommendations":
        return [*blocks, Entries([entry(i, ctx) for i in section["items"]], numbered=True)]
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in section["items"]:
        groups.setdefault(item["addressee_agency_id"], []).append(item)
    for addressee, items in groups.items():
        blocks.append(Heading(ctx.word("addressee", agency=ctx.agency(addressee)), level=3))
        blocks.append(Entries([entry(i, ctx) for i in items], numbered=True))
    return blocks


def agenda_blocks(agenda: dict[str, Any], lang: str) -> list[Block]:
    """The whole agenda: the meeting's facts, the invited agencies and the seven sections."""
    ctx = context(agenda, lang)
    meeting = agenda["meeting"]
    blocks: list[Block] = [
        Title(ctx.word("agenda"), meeting["title"]),
        date_line(meeting, ctx),
        meeting_facts(meeting, ctx),
    ]
    if meeting["status"] == "cancelled":
        blocks.append(Para(f"{ctx.word('cancelled')}: {meeting['cancel_reason'] or ''}", True))
    state = ctx.word("frozen") if agenda["frozen"] else ctx.word("live")
    generated = dates.moment_line(agenda["generated_at"], ctx.time_zone, lang)
    blocks.append(Para(f"{state}; {ctx.word('generated')} {generated}"))
    invited = [Entry(ctx.agency(i["agency_id"])) for i in meeting["invited"]]
    if invited:
        blocks += [Heading(ctx.word("invited")), Entries(invited, numbered=True)]
    blocks.append(Heading(ctx.word("programme")))
    for section in agenda["sections"]:
        blocks += section_blocks(section, ctx)
    return blocks
