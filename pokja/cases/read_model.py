"""The case read model (DESIGN §12 "hot reads"): one statement of plain columns per page or case.

A page of the case list, or one case, is read in a single ``select()``: the case's columns,
the caller's full-access flag (the one SQL predicate, :func:`full_access_condition`), its
pending handoff and decision-clock extension joined in, and its subjects, violation types,
external numbers and open decisions aggregated in the same statement: arrays of plain values on
PostgreSQL (:mod:`pokja.cases.child_rows`; a JSON object built per child was most of a
page's execution there), ``json_group_array`` on SQLite. The facts every row needs — the
Pokja's agencies, authority rules, calendar and clock settings — are read with the caller, or
one more statement (:func:`pokja.cases.facts.pokja_context`). No ORM objects are built:
:mod:`pokja.cases.presentation` turns the rows into the response.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from pokja.access.roles import in_a_pokja
from pokja.access.scopes import access_shape, caller_params, full_access_condition
from pokja.cases.child_rows import text_rows, value_list
from pokja.cases.filters import EQUALITY_FILTERS, filter_params, filtered_cases
from pokja.models import (
    Case,
    CaseClockExtension,
    CaseViolationType,
    Decision,
    ExternalRef,
    Handoff,
    Reporter,
    Subject,
    User,
)
from pokja.models.base import AnySelect, records

_pending = aliased(Handoff, name="pending")
_extension = aliased(CaseClockExtension, name="extension")


def _as_text(columns: tuple[Any, ...]) -> tuple[Any, ...]:
    """The columns, those of an enum type read as the plain strings they are: what the enum
    type would check and map on every row is what it wrote (VARCHAR with a CHECK), a tenth
    of a page's row handling."""
    plain = []
    for column in columns:
        labelled = isinstance(column, sa.Label)
        inner = column.element if labelled else column
        if isinstance(inner.type, sa.Enum):
            name = column.name if labelled else column.key
            column = sa.type_coerce(inner, sa.String()).label(name)
        plain.append(column)
    return tuple(plain)


CASE_COLUMNS = (
    Case.id,
    Case.pokja_id,
    Case.register_number,
    Case.stage,
    Case.dismissal_reason,
    Case.source,
    Case.category,
    Case.election,
    Case.election_kind,
    Case.occurred_on,
    Case.discovered_on,
    Case.registered_at,
    Case.clock_settings,
    Case.kecamatan,
    Case.desa,
    Case.title,
    Case.summary,
    Case.holder_agency_id,
    Case.version,
    Case.created_at,
    Case.updated_at,
)
PENDING_COLUMNS = (
    _pending.id.label("pending_id"),
    _pending.from_agency_id.label("pending_from_agency_id"),
    _pending.to_agency_id.label("pending_to_agency_id"),
    _pending.purpose.label("pending_purpose"),
    _pending.created_at.label("pending_created_at"),
    _pending.due_on.label("pending_due_on"),
)
EXTENSION_COLUMNS = (
    _extension.id.label("extension_id"),
    _extension.clock.label("extension_clock"),
    _extension.extension_clock.label("extension_extension_clock"),
    _extension.length.label("extension_length"),
    _extension.unit.label("extension_unit"),
    _extension.due_at.label("extension_due_at"),
    _extension.reason.label("extension_reason"),
    _extension.created_by_id.label("extension_created_by_id"),
    _extension.created_at.label("extension_created_at"),
)
REPORTER_COLUMNS = (
    Reporter.id.label("reporter_id"),
    Reporter.name.label("reporter_name"),
    Reporter.contact.label("reporter_contact"),
    Reporter.anonymous.label("reporter_anonymous"),
)
SUBJECT_FIELDS = ("id", "name", "identifier", "subject_type", "position", "employer_unit")
DECISION_FIELDS = ("id", "meeting_id", "owner_agency_id", "due_on", "due_unit", "created_at")


def subjects_json(dialect: str) -> Any:
    """A case's subjects, in their order, as one list of objects (a column of the case's
    row)."""
    return text_rows(
        dialect,
        {name: getattr(Subject, name) for name in SUBJECT_FIELDS},
        Subject.case_id == Case.id,
        (Subject.seq, Subject.id),
        Case,
    )


def violation_codes(dialect: str) -> Any:
    """A case's violation type codes, in code order, as one list."""
    return value_list(
        dialect,
        CaseViolationType.code,
        CaseViolationType.case_id == Case.id,
        (CaseViolationType.code,),
        Case,
    )


def _children(dialect: str) -> list[Any]:
    subjects = subjects_json(dialect)
    violation_types = violation_codes(dialect)
    external_refs = text_rows(
        dialect,
        {"system": ExternalRef.system, "reference": ExternalRef.reference},
        ExternalRef.case_id == Case.id,
        (ExternalRef.created_at, ExternalRef.id),
        Case,
    )
    # Open meeting decisions on the case: deadlines of its owner agency (its deadlines block).
    # Their dates and instants as text, which meeting_clocks.decision_clocks parses (ISO 8601,
    # the instant with its offset), as it parses them from JSON.
    decisions = text_rows(
        dialect,
        {name: getattr(Decision, name) for name in DECISION_FIELDS},
        sa.and_(Decision.case_id == Case.id, Decision.status == "open"),
        (Decision.due_on, Decision.id),
        Case,
    )
    return [
        subjects.label("subjects"),
        violation_types.label("violation_types"),
        external_refs.label("external_refs"),
        decisions.label("open_decisions"),
    ]


def _with_joins(stmt: AnySelect, *, reporter: bool) -> AnySelect:
    stmt = stmt.outerjoin(
        _pending, sa.and_(_pending.case_id == Case.id, _pending.status == "pending")
    ).outerjoin(_extension, sa.and_(_extension.case_id == Case.id, _extension.clock == "decision"))
    return stmt.outerjoin(Reporter, Reporter.case_id == Case.id) if reporter else stmt


def case_rows(
    session: Session, user: User, filters: dict[str, Any], *, reporter: bool = False
) -> AnySelect:
    """The case list's rows for ``user`` (``filters``: :data:`pokja.cases.filters.FILTERS`);
    with ``reporter``, a case's own representation's rows (its reporter joined in)."""
    dialect = session.get_bind().dialect.name
    columns = [
        *CASE_COLUMNS,
        full_access_condition(user).label("full_access"),
        *PENDING_COLUMNS,
        *EXTENSION_COLUMNS,
        *_children(dialect),
        *(REPORTER_COLUMNS if reporter else ()),
    ]
    columns = list(_as_text(tuple(columns)))
    stmt = filtered_cases(session, user, filters).with_only_columns(
        *columns, maintain_column_froms=False
    )
    return _with_joins(stmt.select_from(Case), reporter=reporter)


_LIST: dict[tuple[str, str, bool, frozenset[str]], AnySelect] = {}


def case_list(
    session: Session, user: User, filters: dict[str, Any]
) -> tuple[AnySelect, dict[str, Any] | None]:
    """The case list's rows (:func:`case_rows`) and, when the statement is one kept for
    reuse, the values of its named parameters (``None``: a statement built for this request).

    The list is a hot read that dashboards and liaisons call with the same few filters (none,
    a stage, a holder): with no other filter than those, the statement is built once per kind
    of caller and set of filters, and every request binds its own caller and values; only the
    rarer filters (text, dates, types, references) build a statement per request."""
    given = frozenset(name for name, value in filters.items() if value is not None)
    if not given <= EQUALITY_FILTERS.keys():
        return case_rows(session, user, filters), None
    key = (session.get_bind().dialect.name, access_shape(user), in_a_pokja(user), given)
    if key not in _LIST:
        _LIST[key] = case_rows(session, user, filters)
    return _LIST[key], {**caller_params(user), **filter_params(filters)}


_CASE: dict[tuple[str, str, bool], AnySelect] = {}


def case_row(session: Session, user: User, case_id: uuid.UUID) -> Any | None:
    """One case as ``user`` may read it (None: not found for them), reporter included.

    A case's own representation is the hottest read: its statement is built once per kind of
    caller (:func:`pokja.access.scopes.access_shape`) and run with the caller's values."""
    key = (session.get_bind().dialect.name, access_shape(user), in_a_pokja(user))
    if key not in _CASE:
        stmt = case_rows(session, user, {}, reporter=True)
        _CASE[key] = stmt.where(Case.id == sa.bindparam("case_id", type_=sa.Uuid()))
    params = {**caller_params(user), "case_id": case_id}
    # Plain columns (a named tuple, see records()): the connection runs them without the ORM.
    found = records(session.connection().execute(_CASE[key], params))
    return found[0] if found else None
