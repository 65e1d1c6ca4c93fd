"""What is added to a case after registration: subjects (terlapor) and evidence, and the
logging of personal-data reads (DESIGN §3, §5)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja import events
from pokja.authority import permissions
from pokja.errors import NotPermitted, field_error
from pokja.handoffs import pending_handoff
from pokja.models import EVIDENCE_KINDS, SUBJECT_TYPES, Case, Evidence, Subject, User
from pokja.models.base import utcnow

SUBJECT_FIELDS = ("name", "identifier", "subject_type", "position", "employer_unit")
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _check_can_edit(session: Session, actor: User, case: Case) -> None:
    if not permissions(actor, case, pending_handoff(session, case.id)).can_edit:
        raise NotPermitted("Only the holding agency's liaison or a coordinator edits the case.")


def _touch(session: Session, case: Case) -> None:
    """A new subject or evidence changes the case: bump its version so ETags go stale."""
    case.updated_at = utcnow()
    session.flush()


def add_subject(session: Session, actor: User, case: Case, data: dict[str, Any]) -> Subject:
    """Add a subject (``data``: SUBJECT_FIELDS); the subject's type widens the agencies the
    authority rules allow."""
    _check_can_edit(session, actor, case)
    if not (data.get("name") or "").strip():
        raise field_error("name", "Missing data for required field.")
    if data.get("subject_type") not in SUBJECT_TYPES:
        raise field_error("subject_type", f"Must be one of {', '.join(SUBJECT_TYPES)}.")
    last = session.scalar(sa.select(sa.func.max(Subject.seq)).where(Subject.case_id == case.id))
    subject = Subject(
        case_id=case.id, seq=(last or 0) + 1, **{k: data.get(k) for k in SUBJECT_FIELDS}
    )
    session.add(subject)
    _touch(session, case)
    events.record(
        session,
        pokja_id=case.pokja_id,
        case_id=case.id,
        actor=actor,
        type="case.subject_added",
        data={"after": {"subject_id": subject.id, **{k: data.get(k) for k in SUBJECT_FIELDS}}},
    )
    return subject


def add_evidence(session: Session, actor: User, case: Case, data: dict[str, Any]) -> Evidence:
    """Add evidence: ``data`` has description, kind, and url or file_path (a stored file with
    its sha256 and size_bytes). Evidence is never deleted (DESIGN §3)."""
    _check_can_edit(session, actor, case)
    if data.get("kind") not in EVIDENCE_KINDS:
        raise field_error("kind", f"Must be one of {', '.join(EVIDENCE_KINDS)}.")
    if not (data.get("description") or "").strip():
        raise field_error("description", "Missing data for required field.")
    if not data.get("url") and not data.get("file_path"):
        raise field_error("url", "Give a URL or a stored file.")
    if data.get("file_path") and not _SHA256.fullmatch(data.get("sha256") or ""):
        raise field_error("sha256", "A stored file needs its SHA-256 (64 lowercase hex digits).")
    if data.get("size_bytes") is not None and data["size_bytes"] < 0:
        raise field_error("size_bytes", "Must not be negative.")
    fields = ("description", "kind", "url", "file_path", "sha256", "size_bytes")
    evidence = Evidence(
        case_id=case.id,
        added_by_id=actor.id,
        created_at=utcnow(),
        **{k: data.get(k) for k in fields},
    )
    session.add(evidence)
    _touch(session, case)
    events.record(
        session,
        pokja_id=case.pokja_id,
        case_id=case.id,
        actor=actor,
        type="case.evidence_added",
        data={"after": {"evidence_id": evidence.id, **{k: data.get(k) for k in fields}}},
    )
    return evidence


def record_personal_data_view(
    session: Session, actor: User, case: Case, what: Iterable[str]
) -> None:
    """Log that ``actor`` read personal data of ``case`` (``what``: "subjects", "reporter");
    DESIGN §3: reads of personal data are logged too."""
    events.record(
        session,
        pokja_id=case.pokja_id,
        case_id=case.id,
        actor=actor,
        type=events.PERSONAL_DATA_VIEWED,
        data={"fields": sorted(set(what))},
    )
