"""Registering a case: its register number, subjects, reporter and external numbers, held by
Bawaslu and recorded as an event in the same transaction (DESIGN §3). Domain functions flush,
never commit: the caller owns the transaction."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pokja.access.roles import is_coordinator_of, user_agency_kind
from pokja.audit import events
from pokja.cases import register
from pokja.cases.editing import EDITABLE_FIELDS, check_choices
from pokja.cases.stages import INITIAL_STAGE
from pokja.cases.subjects import SUBJECT_FIELDS
from pokja.errors import (
    Conflict,
    NotPermitted,
    RuleViolation,
    field_error,
)
from pokja.models import (
    Agency,
    Case,
    CaseViolationType,
    ExternalRef,
    Pokja,
    Reporter,
    Subject,
    User,
)
from pokja.time import clock

REQUIRED_FIELDS = ("source", "category", "election", "election_kind", "title")


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
        check_choices(ref, "external_refs.")
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
    check_choices(data)
    for index, subject in enumerate(data.get("subjects") or ()):
        check_choices(subject, f"subjects.{index}.")
    refs = list(data.get("external_refs") or ())
    _check_external_refs(session, holder.pokja_id, refs)
    pokja = session.get_one(Pokja, holder.pokja_id)
    registered_at: datetime = data.get("registered_at") or clock.now()
    number = register.next_number(session, pokja, data["source"], registered_at)
    case = Case(
        pokja_id=pokja.id,
        register_number=number.number,
        register_kind=number.kind,
        register_year=number.year,
        register_seq=number.seq,
        registered_at=registered_at,
        stage=INITIAL_STAGE,
        # Its clocks keep the settings of now (DESIGN §6): a later change is for later cases.
        clock_settings=dict(pokja.clock_overrides or {}),
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
