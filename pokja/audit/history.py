"""A case's history: its hash-chained events as each caller may read them (DESIGN §3, §5).

Reads of personal data are audited in their own log and left out of the history.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from pokja.audit.events import PERSONAL_DATA_VIEWED
from pokja.cases.presentation import agency_ref
from pokja.models import Agency, Case, Event, User
from pokja.models.base import AnySelect

# Events whose recorded values name subjects: a full history read of them is logged (§3).
EVENTS_WITH_SUBJECTS = frozenset({"case.created", "case.subject_added"})


def history_of(case: Case) -> AnySelect:
    """The case's changes with each actor's name and agency (the caller sees the case)."""
    return (
        sa.select(Event, User.display_name, Agency)
        .outerjoin(User, User.id == Event.actor_user_id)
        .outerjoin(Agency, Agency.id == Event.actor_agency_id)
        .where(Event.case_id == case.id, Event.type != PERSONAL_DATA_VIEWED)
    )


def _changed(data: dict[str, Any]) -> list[str]:
    before, after = data.get("before"), data.get("after")
    names = set(before) if isinstance(before, dict) else set()
    return sorted(names | (set(after) if isinstance(after, dict) else set()))


def event_view(event: Event, actor_name: str | None, agency: Agency | None, full: bool) -> dict:
    """One history entry; a redacted viewer gets no values (they may name subjects)."""
    data = event.data or {}
    return {
        "id": event.id,
        "seq": event.seq,
        "type": event.type,
        "occurred_at": event.occurred_at,
        "actor": event.actor_user_id and {"id": event.actor_user_id, "display_name": actor_name},
        "agency": agency and agency_ref(agency),
        "changed": _changed(data),
        "before": data.get("before") if full else None,
        "after": data.get("after") if full else None,
        "details": {k: v for k, v in data.items() if k not in ("before", "after")}
        if full
        else None,
    }


def names_subjects(rows: list[Any]) -> bool:
    """Whether a page of history rows shows values that name subjects (a personal-data read)."""
    return any(event.type in EVENTS_WITH_SUBJECTS for event, _, _ in rows)
