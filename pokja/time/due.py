"""What falls due for an agency (``GET /api/v1/deadlines``, DESIGN §6 and §8 "action needed"):
the deadline sources of :mod:`pokja.time.sources`, for the caller's agency (or the whole
Pokja for its coordinator and secretary), over the cases the caller may see."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from pokja.access.scopes import visible_cases
from pokja.models import Agency, Pokja, User
from pokja.time import sources
from pokja.time.calendar import PokjaCalendar, is_overdue
from pokja.time.scope import Due, DueScope, PokjaClocks, Source
from pokja.time.settings import calendar_for, settings_for

# A coordinator's Pokja-wide list is bounded per source; the earliest come first.
MAX_ITEMS_PER_SOURCE = 500


def due_view(item: Due, calendar: PokjaCalendar, now: datetime) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "item_id": item.item_id,
        "case_id": item.case_id,
        "register_number": item.register_number,
        "clock": str(item.clock),
        "due_at": item.due_at.astimezone(calendar.zone),
        "due_on": calendar.local_date(item.due_at),
        "days_left": calendar.days_left(item.due_at, now, item.unit),  # type: ignore[arg-type]
        "overdue": is_overdue(item.due_at, now),
        "agency_id": item.agency_id,
    }


def due_items(
    session: Session,
    user: User,
    *,
    within_days: int,
    now: datetime,
    overdue: bool | None = None,
    source_list: list[Source] | None = None,
) -> list[dict[str, Any]]:
    """What falls due within ``within_days`` calendar days (past ones included) for the
    user's agency, or the whole Pokja for its coordinator and secretary; overdue first, then
    by due time."""
    pokja = session.get_one(Pokja, user.pokja_id)
    calendar = calendar_for(session, pokja)
    whole_pokja = user.role in ("coordinator", "secretary")
    agency = None if whole_pokja else session.get_one(Agency, user.agency_id)
    clocks = PokjaClocks(
        calendar=calendar,
        settings=settings_for(session, pokja),
        until=calendar.local_date(now) + timedelta(days=within_days),
    )
    scope = DueScope(
        now=now,
        pokjas={pokja.id: clocks},
        agency_id=agency.id if agency else None,
        agency_kind=agency.kind if agency else None,
        # The scope's own condition, on the cases each source joins (DESIGN §5).
        cases=visible_cases(user).whereclause,
        overdue=overdue,
        limit=MAX_ITEMS_PER_SOURCE,
    )
    items = sources.collect(session, scope, source_list)
    items.sort(key=lambda i: (not is_overdue(i.due_at, now), i.due_at, str(i.item_id)))
    return [due_view(item, calendar, now) for item in items]
