"""A case's subjects (terlapor) after registration: personal data (DESIGN §3, §5)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.audit import events
from pokja.cases.editing import check_can_edit, touch
from pokja.errors import field_error
from pokja.models import SUBJECT_TYPES, Case, Subject, User

SUBJECT_FIELDS = ("name", "identifier", "subject_type", "position", "employer_unit")


def add_subject(session: Session, actor: User, case: Case, data: dict[str, Any]) -> Subject:
    """Add a subject (``data``: SUBJECT_FIELDS); the subject's type widens the agencies the
    authority rules allow."""
    check_can_edit(session, actor, case)
    if not (data.get("name") or "").strip():
        raise field_error("name", "Missing data for required field.")
    if data.get("subject_type") not in SUBJECT_TYPES:
        raise field_error("subject_type", f"Must be one of {', '.join(SUBJECT_TYPES)}.")
    last = session.scalar(sa.select(sa.func.max(Subject.seq)).where(Subject.case_id == case.id))
    subject = Subject(
        case_id=case.id, seq=(last or 0) + 1, **{k: data.get(k) for k in SUBJECT_FIELDS}
    )
    session.add(subject)
    touch(session, case)
    events.record(
        session,
        pokja_id=case.pokja_id,
        case_id=case.id,
        actor=actor,
        type="case.subject_added",
        data={"after": {"subject_id": subject.id, **{k: data.get(k) for k in SUBJECT_FIELDS}}},
    )
    return subject


def subjects_of(session: Session, case: Case) -> list[Subject]:
    """The case's subjects in the order they were entered (the caller sees it in full)."""
    stmt = sa.select(Subject).where(Subject.case_id == case.id).order_by(Subject.seq, Subject.id)
    return list(session.scalars(stmt))
