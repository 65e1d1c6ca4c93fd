"""A handoff's life (pelimpahan, DESIGN §4): started by the holder, then accepted or declined by
the receiver, or withdrawn by the sender.

Each step is a conditional UPDATE on ``status = 'pending'``: of two concurrent accepts (or an
accept racing a withdraw) the database lets exactly one through.
"""

from __future__ import annotations

from typing import Any, NoReturn

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from pokja.access.permissions import action_permissions
from pokja.access.roles import is_coordinator_of, member_of
from pokja.access.rules import allowed_agency_kinds
from pokja.audit import events
from pokja.errors import Conflict, NotFound, NotPermitted, field_error
from pokja.handoffs.queries import acceptance_due_on, lock_case, pending_handoff, pokja_agency
from pokja.models import DECLINE_REASONS, HANDOFF_PURPOSES, Case, Handoff, User
from pokja.notify.outbox import notify_handoff
from pokja.time import clock


def _snapshot(handoff: Handoff) -> dict[str, Any]:
    return {
        "handoff_id": handoff.id,
        "from_agency_id": handoff.from_agency_id,
        "to_agency_id": handoff.to_agency_id,
        "purpose": handoff.purpose,
        "status": handoff.status,
    }


def start_handoff(session: Session, actor: User, case: Case, data: dict[str, Any]) -> Handoff:
    """Hand ``case`` to ``data["to_agency_id"]`` (pending until the receiver answers).

    ``data``: to_agency_id, purpose, reason, letter_number, letter_date, override_justification
    (coordinators only, when the authority rules do not allow the receiving agency), due_on
    (the acceptance deadline; computed from the Pokja's clocks unless given, e.g. by an import).
    """
    lock_case(session, case)  # the holder this handoff starts from, not the one first read
    pending = pending_handoff(session, case.id)
    perms = action_permissions(session, actor, case, pending)
    if not perms.can_handoff:
        if pending is not None and action_permissions(session, actor, case, None).can_handoff:
            raise Conflict("The case has a pending handoff already.", code="handoff_pending")
        raise NotPermitted("Only the holding agency's liaison or a coordinator hands a case off.")
    if data.get("purpose") not in HANDOFF_PURPOSES:
        raise field_error("purpose", f"Must be one of {', '.join(HANDOFF_PURPOSES)}.")
    target = pokja_agency(session, case.pokja_id, data.get("to_agency_id"), "to_agency_id")
    if target.id == case.holder_agency_id:
        raise field_error("to_agency_id", "The agency holds the case already.", "handoff_to_holder")
    justification = (data.get("override_justification") or "").strip() or None
    if target.kind in allowed_agency_kinds(session, case):
        justification = None  # nothing is overridden
    elif not (is_coordinator_of(actor, case.pokja_id) and justification):
        raise field_error(
            "to_agency_id",
            f"The authority rules do not let a {target.kind} agency hold this case; "
            "a coordinator may override them with a written justification.",
            "authority_not_permitted",
        )
    now = clock.now()
    handoff = Handoff(
        pokja_id=case.pokja_id,
        case_id=case.id,
        from_agency_id=case.holder_agency_id,
        to_agency_id=target.id,
        purpose=data["purpose"],
        reason=data.get("reason") or "",
        letter_number=data.get("letter_number"),
        letter_date=data.get("letter_date"),
        due_on=data.get("due_on") or acceptance_due_on(session, case, now),
        override_justification=justification,
        created_by_id=actor.id,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(handoff)
    except IntegrityError as exc:
        # A concurrent request started one first: the partial unique index refused ours.
        raise Conflict("The case has a pending handoff already.", code="handoff_pending") from exc
    events.record(
        session,
        pokja_id=case.pokja_id,
        case_id=case.id,
        actor=actor,
        type="handoff.started",
        data={
            **_snapshot(handoff),
            "reason": handoff.reason,
            "letter_number": handoff.letter_number,
            "letter_date": handoff.letter_date,
            "due_on": handoff.due_on,
            "override_justification": justification,
        },
    )
    notify_handoff(session, handoff, "handoff.received")
    return handoff


def _close_pending(session: Session, handoff: Handoff, status: str, **values: Any) -> None:
    """Move a pending handoff to ``status``, or raise Conflict when it is no longer pending.

    The WHERE on status decides races in the database, not in Python (DESIGN §11).
    """
    result = session.execute(
        sa.update(Handoff)
        .where(Handoff.id == handoff.id, Handoff.status == "pending")
        .values(status=status, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(handoff)
        raise Conflict(f"The handoff is {handoff.status} already.", code="handoff_not_pending")
    # The row is what it was plus these values (only this UPDATE moves a pending handoff, and
    # no column changes on its own): set them as the loaded state instead of reading it back.
    for key, value in {"status": status, **values}.items():
        set_committed_value(handoff, key, value)


def _load_case(session: Session, actor: User, handoff: Handoff) -> Case:
    if not member_of(actor, handoff.pokja_id):
        raise NotFound("Handoff not found.")
    return session.get_one(Case, handoff.case_id)


def accept_handoff(session: Session, actor: User, handoff: Handoff) -> Handoff:
    """Accept a pending handoff: the receiving agency becomes the case's holder."""
    case = _load_case(session, actor, handoff)
    if not action_permissions(session, actor, case, handoff).can_accept:
        _refuse(handoff, "Only the receiving agency's liaison or a coordinator accepts it.")
    now = clock.now()
    _close_pending(session, handoff, "accepted", decided_by_id=actor.id, decided_at=now)
    # Reload the case under a row lock, then let the version column check the UPDATE: the
    # holder moves only from the state this accept saw (DESIGN §3, optimistic concurrency).
    lock_case(session, case)
    if case.holder_agency_id != handoff.from_agency_id:
        raise Conflict("The case changed holder since the handoff started.", code="holder_changed")
    case.holder_agency_id = handoff.to_agency_id
    session.flush()
    events.record(
        session,
        pokja_id=case.pokja_id,
        case_id=case.id,
        actor=actor,
        type="handoff.accepted",
        data={
            **_snapshot(handoff),
            "before": {"holder_agency_id": handoff.from_agency_id},
            "after": {"holder_agency_id": handoff.to_agency_id},
        },
    )
    notify_handoff(session, handoff, "handoff.accepted")
    return handoff


def decline_handoff(
    session: Session, actor: User, handoff: Handoff, data: dict[str, Any]
) -> Handoff:
    """Decline a pending handoff with a reason code and a text; the sender keeps the case.

    ``data``: decline_reason (required), decline_text (required), suggested_agency_id.
    """
    case = _load_case(session, actor, handoff)
    if not action_permissions(session, actor, case, handoff).can_decline:
        _refuse(handoff, "Only the receiving agency's liaison or a coordinator declines it.")
    if data.get("decline_reason") not in DECLINE_REASONS:
        raise field_error("decline_reason", f"Must be one of {', '.join(DECLINE_REASONS)}.")
    text = (data.get("decline_text") or "").strip()
    if not text:
        raise field_error("decline_text", "Say why the handoff is declined.")
    suggested = data.get("suggested_agency_id")
    if suggested is not None:
        suggested = pokja_agency(session, case.pokja_id, suggested, "suggested_agency_id").id
    _close_pending(
        session,
        handoff,
        "declined",
        decline_reason=data["decline_reason"],
        decline_text=text,
        suggested_agency_id=suggested,
        decided_by_id=actor.id,
        decided_at=clock.now(),
    )
    events.record(
        session,
        pokja_id=case.pokja_id,
        case_id=case.id,
        actor=actor,
        type="handoff.declined",
        data={
            **_snapshot(handoff),
            "decline_reason": handoff.decline_reason,
            "decline_text": text,
            "suggested_agency_id": suggested,
        },
    )
    notify_handoff(session, handoff, "handoff.declined")
    return handoff


def withdraw_handoff(session: Session, actor: User, handoff: Handoff) -> Handoff:
    """Withdraw a pending handoff; the sender keeps the case."""
    case = _load_case(session, actor, handoff)
    if not action_permissions(session, actor, case, handoff).can_withdraw:
        _refuse(handoff, "Only the sending agency's liaison or a coordinator withdraws it.")
    _close_pending(
        session, handoff, "withdrawn", withdrawn_by_id=actor.id, withdrawn_at=clock.now()
    )
    events.record(
        session,
        pokja_id=case.pokja_id,
        case_id=case.id,
        actor=actor,
        type="handoff.withdrawn",
        data=_snapshot(handoff),
    )
    notify_handoff(session, handoff, "handoff.withdrawn")
    return handoff


def _refuse(handoff: Handoff, message: str) -> NoReturn:
    """No permission: a Conflict when the handoff is simply no longer pending (whoever asks)."""
    if handoff.status != "pending":
        raise Conflict(f"The handoff is {handoff.status} already.", code="handoff_not_pending")
    raise NotPermitted(message)
