"""Cases: registration, edits and stage changes, each checked by :func:`permissions` and
recorded as an event in the same transaction (DESIGN §3-§4). Domain functions flush, never
commit: the caller owns the transaction."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from pokja import events, register
from pokja.authority import is_coordinator_of, permissions, user_agency_kind
from pokja.case_details import (
    SUBJECT_FIELDS,
    add_evidence,
    add_subject,
    record_personal_data_view,
)
from pokja.errors import (
    Conflict,
    NotFound,
    NotPermitted,
    PreconditionFailed,
    RuleViolation,
    field_error,
)
from pokja.handoffs import pending_handoff
from pokja.models import (
    CASE_CATEGORIES,
    CASE_SOURCES,
    ELECTION_KINDS,
    EXTERNAL_SYSTEMS,
    SUBJECT_TYPES,
    VIOLATION_TYPES,
    Agency,
    Case,
    CaseViolationType,
    ExternalRef,
    Pokja,
    Reporter,
    Subject,
    User,
)
from pokja.models.base import utcnow
from pokja.shares import grant_share, revoke_share
from pokja.stages import INITIAL_STAGE, check_transition, is_reopen
from pokja.visibility import visible_cases

__all__ = [
    "add_evidence",
    "add_subject",
    "change_stage",
    "check_version",
    "create_case",
    "get_case",
    "grant_share",
    "record_personal_data_view",
    "registering_agency",
    "revoke_share",
    "update_case",
]

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
REQUIRED_FIELDS = ("source", "category", "election", "election_kind", "title")
_CHOICES = {
    "source": CASE_SOURCES,
    "category": CASE_CATEGORIES,
    "election_kind": ELECTION_KINDS,
    "subject_type": SUBJECT_TYPES,
    "system": EXTERNAL_SYSTEMS,
}


def _check_choices(data: dict[str, Any], prefix: str = "") -> None:
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


def registering_agency(session: Session, actor: User) -> Agency:
    """The agency a new case starts with: Bawaslu registers cases (DESIGN §1), so the actor's
    own Bawaslu agency, or for a coordinator of another agency the Pokja's Bawaslu."""
    kind = user_agency_kind(actor)
    if actor.role == "liaison" and kind == "BAWASLU":
        return session.get_one(Agency, actor.agency_id)
    if actor.pokja_id is None or not is_coordinator_of(actor, actor.pokja_id):
        raise NotPermitted("Only a Bawaslu liaison or a coordinator registers cases.")
    if kind == "BAWASLU":
        return session.get_one(Agency, actor.agency_id)
    bawaslu = session.scalar(
        sa.select(Agency)
        .where(
            Agency.pokja_id == actor.pokja_id,
            Agency.kind == "BAWASLU",
            Agency.active.is_(True),
        )
        .order_by(Agency.created_at)
        .limit(1)
    )
    if bawaslu is None:
        raise RuleViolation("The Pokja has no active Bawaslu agency.", code="no_bawaslu_agency")
    return bawaslu


def _case_fields(case: Case) -> dict[str, Any]:
    fields = {name: getattr(case, name) for name in EDITABLE_FIELDS - {"violation_types"}}
    return {**fields, "source": case.source, "register_number": case.register_number}


def _check_external_refs(session: Session, pokja_id: uuid.UUID, refs: list[dict[str, Any]]) -> None:
    """DESIGN §3: an external number is never counted twice in a Pokja."""
    for ref in refs:
        _check_choices(ref, "external_refs.")
        taken = session.scalar(
            sa.select(ExternalRef.case_id).where(
                ExternalRef.pokja_id == pokja_id,
                ExternalRef.system == ref["system"],
                ExternalRef.reference == ref["reference"],
            )
        )
        if taken is not None:
            raise Conflict(
                f"{ref['system']} {ref['reference']} is registered already.",
                code="duplicate_external_ref",
                case_id=str(taken),
            )


def create_case(session: Session, actor: User, data: dict[str, Any]) -> Case:
    """Register a case (stage ``received``, held by Bawaslu) with its register number.

    ``data``: source, category, election, election_kind, title, summary, occurred_on,
    discovered_on, kecamatan, desa, violation_types (codes), subjects (dicts of
    SUBJECT_FIELDS), reporter ({name, contact, anonymous} or None), external_refs
    ([{system, reference}]), registered_at (defaults to now; imports give the original).
    """
    holder = registering_agency(session, actor)
    for field in REQUIRED_FIELDS:
        if not data.get(field):
            raise field_error(field, "Missing data for required field.")
    _check_choices(data)
    for index, subject in enumerate(data.get("subjects") or ()):
        _check_choices(subject, f"subjects.{index}.")
    refs = list(data.get("external_refs") or ())
    _check_external_refs(session, holder.pokja_id, refs)
    pokja = session.get_one(Pokja, holder.pokja_id)
    registered_at: datetime = data.get("registered_at") or utcnow()
    number = register.next_number(session, pokja, data["source"], registered_at)
    case = Case(
        pokja_id=pokja.id,
        register_number=number.number,
        register_kind=number.kind,
        register_year=number.year,
        register_seq=number.seq,
        registered_at=registered_at,
        stage=INITIAL_STAGE,
        holder_agency_id=holder.id,
        created_by_id=actor.id,
        source=data["source"],
        summary=data.get("summary") or "",
        **{k: data.get(k) for k in EDITABLE_FIELDS - {"violation_types", "summary"}},
    )
    case.violation_type_links = [
        CaseViolationType(code=code) for code in dict.fromkeys(data.get("violation_types") or ())
    ]
    case.subjects = [
        Subject(seq=i, **{k: s.get(k) for k in SUBJECT_FIELDS})
        for i, s in enumerate(data.get("subjects") or ())
    ]
    case.external_refs = [
        ExternalRef(pokja_id=pokja.id, system=r["system"], reference=r["reference"]) for r in refs
    ]
    reporter = data.get("reporter")
    if reporter:
        if not reporter.get("anonymous") and not reporter.get("name"):
            raise field_error("reporter.name", "Name the reporter or mark the report anonymous.")
        case.reporter = Reporter(
            name=reporter.get("name"),
            contact=reporter.get("contact"),
            anonymous=bool(reporter.get("anonymous")),
        )
    else:
        case.reporter = None  # a finding has none; set, so that reading it below needs no load
    session.add(case)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise Conflict("A concurrent registration took an external reference.") from exc
    events.record(
        session,
        pokja_id=pokja.id,
        case_id=case.id,
        actor=actor,
        type="case.created",
        data={
            "after": {
                **_case_fields(case),
                "stage": case.stage,
                "holder_agency_id": case.holder_agency_id,
                "violation_types": case.violation_types,
                "subjects": [{k: getattr(s, k) for k in SUBJECT_FIELDS} for s in case.subjects],
                "external_refs": [
                    {"system": r["system"], "reference": r["reference"]} for r in refs
                ],
                # The reporter's identity stays out of the log that wider audiences read (§5).
                "reporter": {"anonymous": case.reporter.anonymous} if case.reporter else None,
            }
        },
    )
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
    if not permissions(actor, case, pending_handoff(session, case.id)).can_edit:
        raise NotPermitted("Only the holding agency's liaison or a coordinator edits the case.")
    check_version(case, expected_version)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise field_error(sorted(unknown)[0], "This field cannot be changed here.")
    _check_choices(changes)
    if "title" in changes and not (changes["title"] or "").strip():
        raise field_error("title", "A case needs a title.")
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    if "violation_types" in changes:
        session.execute(
            sa.select(Case)
            .where(Case.id == case.id)
            .options(selectinload(Case.violation_type_links))
        )
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
    case.updated_at = utcnow()  # a change of violation types alone must bump the version too
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
    if not permissions(actor, case, pending_handoff(session, case.id)).can_change_stage:
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
