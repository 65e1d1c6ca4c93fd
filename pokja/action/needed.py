"""Action needed (DESIGN §8): what an agency must act on now — everything of the deadline
sources (:data:`pokja.time.sources.SOURCES`, read as a whole so that a new kind of deadline
joins without a change here) that is overdue or due within 7 days for the agency, over the
cases the caller may see, and the handoffs it sent that were declined and still need a new
route (they have no deadline of their own).

Each item carries its deadline and the days left in its unit; the API adds the link of the
action to take.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from pokja.access.scopes import visible_cases
from pokja.errors import NotFound, NotPermitted
from pokja.models import Agency, Case, Handoff, User
from pokja.time import sources
from pokja.time.due import due_view, pokja_clocks
from pokja.time.scope import Due, DueScope, PokjaClocks, Source

WITHIN_DAYS = 7
MAX_ITEMS_PER_SOURCE = 500
# A declined handoff needs a new route while its case is still with the sender and open.
CLOSED_STAGES = ("decided", "dismissed", "closed")


def _agency(session: Session, user: User, agency_id: uuid.UUID | None) -> Agency:
    """The caller's agency; a coordinator may name any agency of its Pokja."""
    wanted = agency_id or user.agency_id
    if wanted != user.agency_id and user.role != "coordinator":
        raise NotPermitted("Only a coordinator looks at another agency's actions.")
    agency = session.get(Agency, wanted) if wanted else None
    if agency is None or agency.pokja_id != user.pokja_id:
        raise NotFound("Agency not found.")
    return agency


# A handoff sent after the declined one (built once, like every alias of a hot read).
_LATER = aliased(Handoff, name="later")


def declined_to_reroute(
    session: Session, user: User, agency: Agency, limit: int
) -> list[dict[str, Any]]:
    """Handoffs ``agency`` sent that were declined, on cases it still holds, with no handoff
    sent since: the case waits for a new route."""
    later = _LATER
    stmt = (
        sa.select(
            Handoff.id,
            Handoff.case_id,
            Handoff.to_agency_id,
            Handoff.decline_reason,
            Handoff.suggested_agency_id,
            Handoff.decided_at,
            Case.register_number,
        )
        .join(Case, Case.id == Handoff.case_id)
        .where(
            Handoff.pokja_id == agency.pokja_id,
            Handoff.from_agency_id == agency.id,
            Handoff.status == "declined",
            Case.holder_agency_id == agency.id,
            Case.stage.not_in(CLOSED_STAGES),
            ~sa.exists().where(
                later.case_id == Handoff.case_id,
                later.id != Handoff.id,
                later.created_at >= Handoff.decided_at,
            ),
            visible_cases(user).whereclause,  # type: ignore[arg-type]
        )
        .order_by(Handoff.decided_at, Handoff.id)
        .limit(limit)
    )
    return [
        {
            "kind": "declined_handoff",
            "item_id": row.id,
            "case_id": row.case_id,
            "register_number": row.register_number,
            "clock": None,
            "due_at": None,
            "due_on": None,
            "days_left": None,
            "unit": None,
            "overdue": False,
            "agency_id": agency.id,
            "declined_at": row.decided_at,
            "declined_by_id": row.to_agency_id,
            "decline_reason": row.decline_reason,
            "suggested_agency_id": row.suggested_agency_id,
        }
        for row in session.execute(stmt)
    ]


def _item(item: Due, clocks: PokjaClocks, now: datetime) -> dict[str, Any]:
    view = due_view(item, clocks.calendar, now)
    view["unit"] = item.unit
    # What an action's link needs beside the item itself (an escalation's recommendation).
    view["recommendation_id"] = item.payload.get("recommendation_id")
    return view


def action_needed(
    session: Session,
    user: User,
    now: datetime,
    agency_id: uuid.UUID | None = None,
    source_list: list[Source] | None = None,
) -> dict[str, Any]:
    """The agency's items, by deadline (the oldest first), then the declined handoffs."""
    agency = _agency(session, user, agency_id)
    clocks = pokja_clocks(session, agency.pokja_id, now, WITHIN_DAYS)
    scope = DueScope(
        now=now,
        pokjas={agency.pokja_id: clocks},
        agency_id=agency.id,
        agency_kind=agency.kind,
        cases=visible_cases(user).whereclause,
        limit=MAX_ITEMS_PER_SOURCE,
    )
    due = sources.collect(session, scope, source_list)
    due.sort(key=lambda i: (i.due_at, i.kind, str(i.item_id)))
    items = [_item(item, clocks, now) for item in due]
    items += declined_to_reroute(session, user, agency, MAX_ITEMS_PER_SOURCE)
    return {
        "agency": {"id": agency.id, "kind": agency.kind, "name": agency.name},
        "within_days": WITHIN_DAYS,
        "items": items,
    }
