"""What is added to a case after registration: subjects (terlapor) and evidence, and the
logging of personal-data reads (DESIGN §3, §5)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.access.permissions import permissions
from pokja.audit import events
from pokja.errors import NotPermitted, field_error
from pokja.handoffs.queries import pending_handoff
from pokja.models import EVIDENCE_KINDS, SUBJECT_TYPES, Case, Evidence, Subject, User
from pokja.time import clock

SUBJECT_FIELDS = ("name", "identifier", "subject_type", "position", "employer_unit")
_SHA256 = re.compile(r"[0-9a-f]{64}")


def check_can_edit(session: Session, actor: User, case: Case) -> None:
    """NotPermitted unless ``actor`` may add to ``case`` (e.g. before storing an upload)."""
    if not permissions(actor, case, pending_handoff(session, case.id)).can_edit:
        raise NotPermitted("Only the holding agency's liaison or a coordinator edits the case.")


def _touch(session: Session, case: Case) -> None:
    """A new subject or evidence changes the case: bump its version so ETags go stale."""
    case.updated_at = clock.now()
    session.flush()


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
    check_can_edit(session, actor, case)
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
        created_at=clock.now(),
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


def evidence_of(case: Case) -> sa.Select[tuple[Evidence]]:
    """The case's evidence, oldest first (the caller has been checked to see it in full)."""
    return (
        sa.select(Evidence)
        .where(Evidence.case_id == case.id)
        .order_by(Evidence.created_at, Evidence.id)
    )


@dataclass(frozen=True)
class StoredFile:
    path: str  # relative to the evidence directory: "ab/ab12...", by content
    sha256: str
    size_bytes: int


def _fsync_directory(path: Path) -> None:
    """Make a rename durable: the directory entry must reach the disk too."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def store_evidence_file(stream: IO[bytes], directory: str | os.PathLike[str]) -> StoredFile:
    """Store an uploaded file under ``directory``, named by its SHA-256, and fsync it.

    Call it before the evidence row is committed: a crash then leaves at worst a file without
    a row, never a row without its file (DESIGN §3: evidence is never silently lost). The same
    content is stored once; writing to a temporary name and renaming means a reader never sees
    half a file.
    """
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    fd, tmp = tempfile.mkstemp(dir=root, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in iter(lambda: stream.read(1 << 16), b""):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise field_error("file", "The file is empty.")
        sha256 = digest.hexdigest()
        relative = f"{sha256[:2]}/{sha256}"
        (root / sha256[:2]).mkdir(exist_ok=True)
        os.replace(tmp, root / relative)
        _fsync_directory(root / sha256[:2])
        _fsync_directory(root)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return StoredFile(relative, sha256, size)
