"""The case list's filters as SQL over :func:`visible_cases` (DESIGN §8-§9), so that the API's
list, exports and the statistics' click-through ask the same question the same way.

Filters on what a redacted summary shows (stage, holder, category, source, election,
kecamatan, dates) apply to redacted rows too: those are what the statistics count for every
caller. Subject and violation types, text and external numbers are not in a summary, so they
match only rows seen in full (§5).
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
    "source",
    "kecamatan",
)


# The filters that compare one column of the case with the value given. Their values are
# bound under their own names (:func:`filter_param`), so a statement built with them serves
# another request with the same filters and other values (the read model keeps it).
EQUALITY_FILTERS: dict[str, Any] = {
    "stage": Case.stage,
    "category": Case.category,
    "election": Case.election,
    "source": Case.source,
    "holder_id": Case.holder_agency_id,
}


def filter_param(name: str, value: Any) -> sa.BindParameter[Any]:
    """The value of equality filter ``name``, bound as ``filter_<name>``."""
    return sa.bindparam(f"filter_{name}", value, type_=EQUALITY_FILTERS[name].type)


def filter_params(filters: dict[str, Any]) -> dict[str, Any]:
    """The bound values of the equality filters in ``filters`` (see :func:`filter_param`)."""
    return {
        f"filter_{name}": filters[name]
        for name in EQUALITY_FILTERS
        if filters.get(name) is not None
    }


def kecamatan_condition(kecamatan: str) -> sa.ColumnElement[bool]:
    """The cases of that kecamatan; the empty string means none recorded (NULL or empty)."""
    if kecamatan == "":
        return sa.or_(Case.kecamatan.is_(None), Case.kecamatan == "")
    return Case.kecamatan == kecamatan


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
    for name, column in EQUALITY_FILTERS.items():
        if name in f:
            stmt = stmt.where(column == filter_param(name, f[name]))
    if "holder_kind" in f:
        kind_ids = sa.select(Agency.id).where(
            Agency.pokja_id == user.pokja_id, Agency.kind == f["holder_kind"]
        )
        stmt = stmt.where(Case.holder_agency_id.in_(kind_ids))
    # Subject and violation types are redacted from a summary (DESIGN §5): they match only
    # the cases the caller sees in full, so a count by them never reveals a hidden one.
    if "subject_type" in f:
        stmt = stmt.where(
            full,
            sa.exists().where(
                Subject.case_id == Case.id, Subject.subject_type == f["subject_type"]
            ),
        )
    if "violation_type" in f:
        stmt = stmt.where(
            full,
            sa.exists().where(
                CaseViolationType.case_id == Case.id, CaseViolationType.code == f["violation_type"]
            ),
        )
    if "kecamatan" in f:
        stmt = stmt.where(kecamatan_condition(f["kecamatan"]))
    if "registered_from" in f or "registered_to" in f:
        # One lookup for both ends: the Pokja loaded for one is not kept for the other.
        calendar = _calendar(session, user.pokja_id)
        if "registered_from" in f:
            stmt = stmt.where(Case.registered_at >= calendar.start_of(f["registered_from"]))
        if "registered_to" in f:
            stmt = stmt.where(Case.registered_at < calendar.start_after(f["registered_to"]))
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
