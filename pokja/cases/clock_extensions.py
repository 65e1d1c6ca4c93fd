"""Extending one of a case's clocks (DESIGN §6): an explicit action with a reason, recorded as
an event, whose new due instant is stored when granted so that a later change of the Pokja's
settings never moves it."""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pokja.audit import events
from pokja.cases.editing import check_can_edit
from pokja.errors import Conflict, field_error
from pokja.models import Case, CaseClockExtension, Pokja, User
from pokja.time import clock
from pokja.time.case_clocks import DECISION_STAGES
from pokja.time.catalogue import Clock, ElectionKind, deadline_for
from pokja.time.settings import calendar_for, settings_for

# The clocks a case can extend, and the catalogue clock giving the extended length (for
# pilkada it follows the decision clock: +2 days; for pemilu 14 working days from registration).
EXTENSIBLE: Mapping[Clock, Clock] = {Clock.DECISION: Clock.DECISION_EXTENSION}


def extend_clock(
    session: Session, actor: User, case: Case, clock_code: str, reason: str
) -> CaseClockExtension:
    """Extend one of ``case``'s running clocks, once, with a reason (an event)."""
    check_can_edit(session, actor, case)
    if clock_code not in EXTENSIBLE:
        allowed = ", ".join(EXTENSIBLE)
        raise field_error("clock", f"This clock cannot be extended; extensible: {allowed}.")
    if not reason.strip():
        raise field_error("reason", "Give the reason for the extension.")
    if case.stage not in DECISION_STAGES:
        raise Conflict(
            f"The {clock_code} clock no longer runs: the case is {case.stage}.",
            code="clock_stopped",
        )
    if session.scalar(
        sa.select(CaseClockExtension.id).where(
            CaseClockExtension.case_id == case.id, CaseClockExtension.clock == clock_code
        )
    ):
        raise Conflict(f"The {clock_code} clock was extended already.", code="already_extended")
    pokja = session.get_one(Pokja, case.pokja_id)
    calendar, settings = calendar_for(session, pokja), settings_for(session, pokja, case)
    kind = ElectionKind(case.election_kind)
    by = EXTENSIBLE[Clock(clock_code)]
    before = deadline_for(calendar, settings, Clock(clock_code), kind, case.registered_at)
    due = deadline_for(calendar, settings, by, kind, case.registered_at)
    setting = settings[by][kind]
    extension = CaseClockExtension(
        pokja_id=case.pokja_id,
        case_id=case.id,
        clock=clock_code,
        extension_clock=str(by),
        length=setting.length,
        unit=setting.unit,
        due_at=due,
        reason=reason.strip(),
        created_by_id=actor.id,
    )
    session.add(extension)
    case.updated_at = clock.now()  # the case's representation changed: its ETag goes stale
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:  # a concurrent extension won
        raise Conflict(
            f"The {clock_code} clock was extended already.", code="already_extended"
        ) from exc
    events.record(
        session,
        pokja_id=case.pokja_id,
        case_id=case.id,
        actor=actor,
        type="case.clock_extended",
        data={
            "clock": clock_code,
            "extension_clock": str(by),
            "reason": extension.reason,
            "before": {"due_at": before},
            "after": {"due_at": due},
        },
    )
    return extension
