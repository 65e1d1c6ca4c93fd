"""The case list's filters as SQL over :func:`visible_cases` (DESIGN §8-§9), so that the API's
list, exports and the statistics' click-through ask the same question the same way.

Filters on attributes that a redacted summary shows too (stage, holder, category, election,
dates) apply to redacted rows: those are what the statistics count for every caller. Filters on
what a redacted summary leaves out (text, external numbers, subject types, violation types) match
only rows seen in full (§5): otherwise a filter would reveal what the redaction hides.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.access.scopes import full_access_condition, search_condition, visible_cases
from pokja.models import (
    Agency,
    Case,
    CaseViolationType,
    ExternalRef,
    Handoff,
    Pokja,
    Subject,
    User,
)
from pokja.models.base import AnySelect
from pokja.time.calendar import PokjaCalendar

FILTERS = (
    "stage",
    "holder_id",
    "holder_kind",
    "category",
    "subject_type",
    "violation_type",
    "election",
    "registered_from",
    "registered_to",
    "q",
    "pending_handoff",
    "external_ref",
)


def _calendar(session: Session, pokja_id: uuid.UUID) -> PokjaCalendar:
    """The Pokja's zone: registration days are its days (DESIGN §6: all clocks are local)."""
    return PokjaCalendar(session.get_one(Pokja, pokja_id).timezone)


def filtered_cases(session: Session, user: User, filters: dict[str, Any]) -> AnySelect:
    """The user's visible cases with the per-row full-access flag (column ``full_access``),
    narrowed by ``filters`` (names in :data:`FILTERS`; absent or None means no filter)."""
    unknown = set(filters) - set(FILTERS)
    if unknown:
        raise TypeError(f"unknown filters {sorted(unknown)}")
    f = {k: v for k, v in filters.items() if v is not None}
    full = full_access_condition(user)
    stmt = visible_cases(user).add_columns(full.label("full_access"))
    if user.pokja_id is None:
        return stmt  # sees no case at all (visible_cases)
    for name in ("stage", "category", "election"):
        if name in f:
            stmt = stmt.where(getattr(Case, name) == f[name])
    if "holder_id" in f:
        stmt = stmt.where(Case.holder_agency_id == f["holder_id"])
    if "holder_kind" in f:
        kind_ids = sa.select(Agency.id).where(
            Agency.pokja_id == user.pokja_id, Agency.kind == f["holder_kind"]
        )
        stmt = stmt.where(Case.holder_agency_id.in_(kind_ids))
    if "subject_type" in f:
        of_type = sa.exists().where(
            Subject.case_id == Case.id, Subject.subject_type == f["subject_type"]
        )
        stmt = stmt.where(sa.and_(full, of_type))
    if "violation_type" in f:
        violation = sa.exists().where(
            CaseViolationType.case_id == Case.id, CaseViolationType.code == f["violation_type"]
        )
        stmt = stmt.where(sa.and_(full, violation))
    if "registered_from" in f:
        start = _calendar(session, user.pokja_id).start_of(f["registered_from"])
        stmt = stmt.where(Case.registered_at >= start)
    if "registered_to" in f:
        end = _calendar(session, user.pokja_id).start_after(f["registered_to"])
        stmt = stmt.where(Case.registered_at < end)
    if "q" in f:
        stmt = stmt.where(search_condition(user, f["q"], full_access=full))
    if "pending_handoff" in f:
        pending = sa.exists().where(Handoff.case_id == Case.id, Handoff.status == "pending")
        stmt = stmt.where(pending if f["pending_handoff"] else ~pending)
    if "external_ref" in f:
        ref = sa.exists().where(
            ExternalRef.case_id == Case.id, ExternalRef.reference == f["external_ref"]
        )
        stmt = stmt.where(sa.and_(full, ref))
    return stmt
