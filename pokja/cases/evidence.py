"""A case's evidence: links and stored files with their SHA-256 and size, never deleted and
never silently lost (DESIGN §3)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.audit import events
from pokja.cases.editing import check_can_edit, touch
from pokja.errors import field_error
from pokja.models import EVIDENCE_KINDS, Case, Evidence, User
from pokja.time import clock

_SHA256 = re.compile(r"[0-9a-f]{64}")


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
    touch(session, case)
    events.record(
        session,
        pokja_id=case.pokja_id,
        case_id=case.id,
        actor=actor,
        type="case.evidence_added",
        data={"after": {"evidence_id": evidence.id, **{k: data.get(k) for k in fields}}},
    )
    return evidence


def evidence_of(session: Session, case: Case) -> list[Evidence]:
    """The case's evidence, oldest first (the caller has been checked to see it in full)."""
    stmt = (
        sa.select(Evidence)
        .where(Evidence.case_id == case.id)
        .order_by(Evidence.created_at, Evidence.id)
    )
    return list(session.scalars(stmt))


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
