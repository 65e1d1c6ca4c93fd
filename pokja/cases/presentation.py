"""How a case is shown to one caller: in full or redacted (DESIGN §5), always with its
``authority`` block (§4).

The decision is :func:`pokja.access.permissions.permissions` (``can_view_full``,
``can_view_reporter``) fed with the SQL full-access answer, so redaction never re-derives the
visibility rule. Views are built from the rows of :mod:`pokja.cases.read_model` and the
Pokja's facts loaded once per request (:class:`PokjaFacts`): where a case may go next,
what the caller may do and the case's clocks are computed in Python from them, with no
further statement whatever the page's size.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from pokja.access.permissions import Permissions, permissions
from pokja.access.scopes import can_see_full
from pokja.cases import read_model
from pokja.cases.facts import PokjaFacts
from pokja.errors import NotFound, NotPermitted
from pokja.models import Agency, Case, Evidence, Subject, User
from pokja.time import clock
from pokja.time.case_clocks import case_clock_plan, clock_views
from pokja.time.meeting_clocks import decision_clocks

_PERMISSION_FIELDS = [f.name for f in dataclasses.fields(Permissions)]


def agency_ref(agency: Agency) -> dict[str, Any]:
    return {"id": agency.id, "kind": agency.kind, "name": agency.name}


def subject_view(subject: Subject) -> dict[str, Any]:
    return {name: getattr(subject, name) for name in read_model.SUBJECT_FIELDS}


def evidence_view(evidence: Evidence) -> dict[str, Any]:
    fields = ("id", "description", "kind", "url", "sha256", "size_bytes", "added_by_id")
    view = {name: getattr(evidence, name) for name in fields}
    return {**view, "stored": evidence.file_path is not None, "created_at": evidence.created_at}


@dataclasses.dataclass(frozen=True, slots=True)
class _Facts:
    """One row's facts as permissions() and the clocks read them."""

    pokja_id: uuid.UUID
    holder_agency_id: uuid.UUID
    stage: str
    election_kind: str
    registered_at: datetime
    source: str
    discovered_on: date | None


@dataclasses.dataclass(frozen=True, slots=True)
class _Pending:
    status: str
    from_agency_id: uuid.UUID
    to_agency_id: uuid.UUID


@dataclasses.dataclass(frozen=True, slots=True)
class _Extension:
    id: uuid.UUID
    case_id: uuid.UUID
    clock: str
    extension_clock: str
    length: int
    unit: str
    due_at: datetime
    reason: str
    created_by_id: uuid.UUID | None
    created_at: datetime


def _uuid_text(value: str) -> str:
    """An id of a child row in its canonical text (what the JSON shows anyway): PostgreSQL's
    text array has it so already, SQLite's JSON aggregate as 32 hexadecimal digits."""
    return value if len(value) == 36 else str(uuid.UUID(value))


# A page asks permissions() the same few questions (holder, stage, pending handoff, full
# access) for its caller: each is answered once per page.
_PermissionsMemo = dict[tuple[Any, ...], dict[str, bool]]


def _permissions(user: User, row: Any, memo: _PermissionsMemo) -> dict[str, bool]:
    key: tuple[Any, ...] = (row.pokja_id, row.holder_agency_id, row.stage, row.pending_id)
    key += (row.pending_from_agency_id, row.pending_to_agency_id, bool(row.full_access))
    answer = memo.get(key)
    if answer is None:
        pending = None
        if row.pending_id is not None:
            pending = _Pending("pending", row.pending_from_agency_id, row.pending_to_agency_id)
        case = _Facts(
            row.pokja_id,
            row.holder_agency_id,
            row.stage,
            row.election_kind,
            row.registered_at,
            row.source,
            row.discovered_on,
        )
        perms = permissions(user, case, pending, full_access=bool(row.full_access))
        answer = memo[key] = {name: getattr(perms, name) for name in _PERMISSION_FIELDS}
    return dict(answer)


def _authority(
    facts: PokjaFacts,
    user: User,
    row: Any,
    subject_types: frozenset[str],
    memo: _PermissionsMemo,
) -> dict[str, Any]:
    pending = None
    if row.pending_id is not None:
        pending = {
            "id": row.pending_id,
            "from_agency": facts.ref(row.pending_from_agency_id),
            "to_agency": facts.ref(row.pending_to_agency_id),
            "purpose": row.pending_purpose,
            "created_at": row.pending_created_at,
            "due_on": row.pending_due_on,
        }
    return {
        "holder": facts.ref(row.holder_agency_id),
        "pending_handoff": pending,
        "allowed_agencies": facts.allowed_next(row.category, subject_types, row.holder_agency_id),
        "permissions": _permissions(user, row, memo),
    }


def _deadlines(facts: PokjaFacts, row: Any, now: datetime) -> list[dict[str, Any]]:
    settings = facts.settings_of(row.clock_settings)
    if row.extension_id is None:
        planned = facts.clock_plan(settings, row)
    else:
        extension = _Extension(
            *(row.extension_id, row.id, row.extension_clock, row.extension_extension_clock),
            *(row.extension_length, row.extension_unit, row.extension_due_at),
            *(row.extension_reason, row.extension_created_by_id, row.extension_created_at),
        )
        planned = case_clock_plan(facts.calendar, settings, row, {"decision": extension})
    clocks = clock_views(facts.calendar, planned, now)
    return clocks + decision_clocks(facts.calendar, row.open_decisions or [], now)


def case_view(
    facts: PokjaFacts,
    user: User,
    row: Any,
    now: datetime,
    *,
    with_reporter: bool = False,
    memo: _PermissionsMemo | None = None,
) -> dict[str, Any]:
    """One row of :func:`pokja.cases.read_model.case_rows` as ``user`` sees it (``memo``:
    the permissions answered for ``user`` on the rows before, on a page)."""
    subjects = row.subjects or []
    subject_types = frozenset(s["subject_type"] for s in subjects)
    authority = _authority(facts, user, row, subject_types, {} if memo is None else memo)
    perms = authority["permissions"]
    view: dict[str, Any] = {
        "id": row.id,
        "register_number": row.register_number,
        "redacted": not perms["can_view_full"],
        "stage": row.stage,
        "dismissal_reason": row.dismissal_reason,
        # The source is in the register number (LP/TM) anyway; the kecamatan is the unit the
        # statistics count by (DESIGN §8), not a personal datum. The desa may well be one.
        "source": row.source,
        "category": row.category,
        "election": row.election,
        "election_kind": row.election_kind,
        "occurred_on": row.occurred_on,
        "discovered_on": row.discovered_on,
        "registered_at": row.registered_at,
        "location": {"kecamatan": row.kecamatan},
        "version": row.version,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "authority": authority,
        # Clocks show only dates and stages, so a redacted view carries them too (DESIGN §6).
        "deadlines": _deadlines(facts, row, now),
    }
    if not perms["can_view_full"]:
        return view
    view.update(
        title=row.title,
        summary=row.summary,
        location={"kecamatan": row.kecamatan, "desa": row.desa},
        violation_types=list(row.violation_types or ()),
        subjects=[{**s, "id": _uuid_text(s["id"])} for s in subjects],
        external_refs=list(row.external_refs or []),
    )
    if with_reporter and perms["can_view_reporter"]:
        view["reporter"] = row.reporter_id and {
            "name": row.reporter_name,
            "contact": row.reporter_contact,
            "anonymous": bool(row.reporter_anonymous),
        }
    return view


def present_rows(session: Session, user: User, rows: Sequence[Any]) -> list[dict[str, Any]]:
    """A page of the case list (rows of :func:`pokja.cases.read_model.case_rows`); lists carry
    no reporter: only a case's own representation, whose read is logged, shows who reported."""
    if not rows or user.pokja_id is None:
        return []
    facts, now = PokjaFacts.load(session, user.pokja_id), clock.now()
    memo: _PermissionsMemo = {}
    return [case_view(facts, user, row, now, memo=memo) for row in rows]


def read_case(session: Session, user: User, case_id: uuid.UUID) -> dict[str, Any]:
    """A case's own representation for ``user`` (in full or redacted, reporter included when
    allowed); another Pokja's case is NotFound. Two statements: the case, the Pokja's facts."""
    row = read_model.case_row(session, user, case_id)
    if row is None or user.pokja_id is None:
        raise NotFound("Case not found.")
    facts = PokjaFacts.load(session, user.pokja_id)
    return case_view(facts, user, row, clock.now(), with_reporter=True)


def present_authority(session: Session, user: User, case_id: uuid.UUID) -> dict[str, Any]:
    """The authority block alone."""
    return read_case(session, user, case_id)["authority"]  # type: ignore[no-any-return]


def sees_full(session: Session, user: User, case: Case) -> bool:
    """Whether ``user`` gets ``case`` unredacted (viewers never do, DESIGN §5)."""
    full = can_see_full(session, user, case)
    return permissions(user, case, None, full_access=full).can_view_full


def require_full_view(session: Session, user: User, case: Case) -> None:
    """NotPermitted (403 ``redacted``) unless ``user`` sees ``case`` in full: what only a full
    view shows (subjects, evidence, shares, sanctions) is refused, not silently emptied."""
    if not sees_full(session, user, case):
        raise NotPermitted("You see this case only as a redacted summary.", code="redacted")


def personal_data_in(view: dict[str, Any]) -> list[str]:
    """Which personal data (DESIGN §3: subject identity, reporter) a view shows."""
    shown = []
    if view.get("subjects"):
        shown.append("subjects")
    reporter = view.get("reporter")
    if reporter and (reporter["name"] or reporter["contact"]):
        shown.append("reporter")
    return shown
