"""What falls due for an agency (``GET /api/v1/deadlines``, DESIGN §6 and §8 "action needed"):
the deadline sources of :mod:`pokja.time.sources`, for the caller's agency (or the whole
Pokja for its coordinator and secretary), over the cases the caller may see."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from pokja.access.scopes import visible_cases
from pokja.cases.facts import PokjaFacts
from pokja.errors import NotFound
from pokja.models import Agency, User
from pokja.time import sources
from pokja.time.calendar import PokjaCalendar, is_overdue
from pokja.time.scope import Due, DueKey, DueScope, PokjaClocks, Source, key_of


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


def pokja_clocks(
    session: Session, pokja_id: uuid.UUID, now: datetime, within_days: int
) -> PokjaClocks:
    """The Pokja's clocks for a question of what falls due in the next ``within_days`` days,
    from its facts (:class:`~pokja.cases.facts.PokjaFacts`: its calendar, settings and
    agencies), which authentication reads along on ``/deadlines`` and ``/action-needed``."""
    facts = PokjaFacts.load(session, pokja_id)
    return PokjaClocks(
        calendar=facts.calendar,
        settings=facts.settings,
        until=facts.calendar.local_date(now) + timedelta(days=within_days),
        agencies=facts.by_age,
    )


def due_page(
    session: Session,
    user: User,
    *,
    within_days: int,
    now: datetime,
    overdue: bool | None = None,
    limit: int | None = None,
    after: DueKey | None = None,
    source_list: list[Source] | None = None,
) -> tuple[list[dict[str, Any]], DueKey | None]:
    """What falls due within ``within_days`` calendar days (past ones included) for the
    user's agency, or the whole Pokja for its coordinator and secretary, in :class:`DueKey`
    order (overdue first, then by due time): the ``limit`` items after ``after``, and the
    key to continue after when there are more (a keyset page, DESIGN §9 "Lists")."""
    if user.pokja_id is None:
        raise NotFound("Pokja not found.")
    clocks = pokja_clocks(session, user.pokja_id, now, within_days)
    calendar = clocks.calendar
    whole_pokja = user.role in ("coordinator", "secretary")
    agency = None if whole_pokja else session.get_one(Agency, user.agency_id)
    scope = DueScope(
        now=now,
        pokjas={user.pokja_id: clocks},
        agency_id=agency.id if agency else None,
        agency_kind=agency.kind if agency else None,
        # The scope's own condition, on the cases each source joins (DESIGN §5).
        cases=visible_cases(user).whereclause,
        overdue=overdue,
        # One more than a page from each source tells whether there is a next page.
        limit=limit + 1 if limit else None,
        after=after,
    )
    items = sorted(sources.collect(session, scope, source_list), key=key_of)
    next_key = None
    if limit and len(items) > limit:
        items = items[:limit]
        next_key = key_of(items[-1])
    return [due_view(item, calendar, now) for item in items], next_key


def due_items(session: Session, user: User, **kwargs: Any) -> list[dict[str, Any]]:
    """Every item :func:`due_page` would list, on one page."""
    return due_page(session, user, **kwargs)[0]
