"""Changing a registered case: its editable fields and its stage, each checked by
:func:`~pokja.access.permissions.permissions` and recorded as an event in the same transaction
(DESIGN §3-§4). Domain functions flush, never commit: the caller owns the transaction."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from pokja.access.permissions import action_permissions
from pokja.access.roles import is_coordinator_of
from pokja.access.scopes import visible_cases
from pokja.audit import events
from pokja.cases.stages import check_transition, is_reopen
from pokja.errors import (
    NotFound,
    NotPermitted,
    PreconditionFailed,
    field_error,
)
from pokja.models import (
    CASE_CATEGORIES,
    CASE_SOURCES,
    ELECTION_KINDS,
    EXTERNAL_SYSTEMS,
    SUBJECT_TYPES,
    VIOLATION_TYPES,
    Case,
    CaseViolationType,
    User,
)
from pokja.time import clock

# What update_case may change; stage and holder move only through their own rules (§4), and
# the source fixes the register kind (LP/TM) of a number already issued.
EDITABLE_FIELDS = frozenset(
    {
        "title",
        "summary",
        "category",
        "election",
        "election_kind",
        "occurred_on",
        "discovered_on",
        "kecamatan",
        "desa",
        "violation_types",
    }
)


_CHOICES = {
    "source": CASE_SOURCES,
    "category": CASE_CATEGORIES,
    "election_kind": ELECTION_KINDS,
    "subject_type": SUBJECT_TYPES,
    "system": EXTERNAL_SYSTEMS,
}


def check_choices(data: dict[str, Any], prefix: str = "") -> None:
    for field, choices in _CHOICES.items():
        if field in data and data[field] not in choices:
            raise field_error(prefix + field, f"Must be one of {', '.join(choices)}.")
    for code in data.get("violation_types") or ():
        if code not in VIOLATION_TYPES:
            raise field_error("violation_types", f"Unknown violation type {code!r}.")


def get_case(session: Session, user: User, case_id: uuid.UUID, *options: Any) -> Case:
    """A case the user may see (in full or redacted); another Pokja's case is NotFound."""
    case = session.scalar(visible_cases(user).where(Case.id == case_id).options(*options))
    if case is None:
        raise NotFound("Case not found.")
    return case


def check_version(case: Case, expected_version: int | None) -> None:
    """``If-Match``: refuse a write based on an older version of the case (412)."""
    if expected_version is not None and expected_version != case.version:
        raise PreconditionFailed("The case was changed by someone else; reload it.")


def update_case(
    session: Session,
    actor: User,
    case: Case,
    changes: dict[str, Any],
    *,
    expected_version: int | None = None,
) -> Case:
    """Change a case's editable fields (:data:`EDITABLE_FIELDS`); the event lists only the
    fields that changed, before and after."""
    if not action_permissions(session, actor, case).can_edit:
        raise NotPermitted("Only the holding agency's liaison or a coordinator edits the case.")
    check_version(case, expected_version)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise field_error(sorted(unknown)[0], "This field cannot be changed here.")
    check_choices(changes)
    if "title" in changes and not (changes["title"] or "").strip():
        raise field_error("title", "A case needs a title.")
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    if "violation_types" in changes:
        if "violation_type_links" in sa.inspect(case).unloaded:
            links = session.scalars(
                sa.select(CaseViolationType)
                .where(CaseViolationType.case_id == case.id)
                .order_by(CaseViolationType.code)
            ).all()
            set_committed_value(case, "violation_type_links", list(links))
        new = list(dict.fromkeys(changes["violation_types"] or ()))
        if new != case.violation_types:
            before["violation_types"], after["violation_types"] = case.violation_types, new
            case.violation_type_links = [CaseViolationType(code=code) for code in new]
    for field, value in changes.items():
        if field != "violation_types" and getattr(case, field) != value:
            before[field], after[field] = getattr(case, field), value
            setattr(case, field, value)
    if not after:
        return case
    case.updated_at = clock.now()  # a change of violation types alone must bump the version too
    session.flush()
    events.record(
        session,
        pokja_id=case.pokja_id,
        case_id=case.id,
        actor=actor,
        type="case.updated",
        data={"before": before, "after": after},
    )
    return case


def change_stage(
    session: Session,
    actor: User,
    case: Case,
    to_stage: str,
    *,
    dismissal_reason: str | None = None,
    note: str | None = None,
    expected_version: int | None = None,
) -> Case:
    """Move a case along the stage table (DESIGN §4); a dismissal needs a reason code, and a
    closed case is reopened only by a coordinator."""
    if not action_permissions(session, actor, case).can_change_stage:
        raise NotPermitted("Only the holding agency's liaison or a coordinator moves the case.")
    check_version(case, expected_version)
    check_transition(case.stage, to_stage, dismissal_reason)
    if is_reopen(case.stage, to_stage) and not is_coordinator_of(actor, case.pokja_id):
        raise NotPermitted("Only a coordinator reopens a closed case.")
    return move_stage(session, actor, case, to_stage, dismissal_reason=dismissal_reason, note=note)


def move_stage(
    session: Session,
    actor: User,
    case: Case,
    to_stage: str,
    *,
    dismissal_reason: str | None = None,
    note: str | None = None,
) -> Case:
    """Move a case along the stage table and record it, once the caller has checked who may:
    :func:`change_stage` for a stage change asked for, a recommendation step for the moves it
    causes (issued → ``recommended``, followed up → ``decided``)."""
    check_transition(case.stage, to_stage, dismissal_reason)
    before = {"stage": case.stage, "dismissal_reason": case.dismissal_reason}
    case.stage = to_stage
    if to_stage == "dismissed":
        case.dismissal_reason = dismissal_reason
    elif to_stage == "examination":
        case.dismissal_reason = None  # reopened: the old reason stays in the history
    session.flush()
    events.record(
        session,
        pokja_id=case.pokja_id,
        case_id=case.id,
        actor=actor,
        type="case.stage_changed",
        data={
            "before": before,
            "after": {"stage": case.stage, "dismissal_reason": case.dismissal_reason},
            "note": note,
        },
    )
    return case


def check_can_edit(session: Session, actor: User, case: Case) -> None:
    """NotPermitted unless ``actor`` may add to ``case`` (e.g. before storing an upload)."""
    if not action_permissions(session, actor, case).can_edit:
        raise NotPermitted("Only the holding agency's liaison or a coordinator edits the case.")


def touch(session: Session, case: Case) -> None:
    """A change to what hangs off a case (a subject, evidence, an extension) changes the case's
    representation: bump its version so that ETags go stale."""
    case.updated_at = clock.now()
    session.flush()
