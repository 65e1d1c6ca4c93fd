"""What an agenda stores about each case it names: its summary, the text only a full view
shows, and the agencies that see it in full (:func:`pokja.access.scopes.full_access_agencies`),
so that a frozen agenda is redacted for each reader when read, by the rule of DESIGN §5."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from pokja.access.scopes import full_access_agencies
from pokja.cases.child_rows import json_rows
from pokja.models import Case, Subject
from pokja.models.base import AnySelect

_CASES: dict[str, tuple[AnySelect, sa.CompoundSelect[Any]]] = {}


def _among(dialect: str) -> Callable[[Any], sa.ColumnElement[bool]]:
    """``column`` is one of the ``case_ids``: one array parameter on PostgreSQL (a statement
    of the same text whatever their number, which psycopg prepares once), an expanded IN
    list elsewhere."""
    if dialect == "postgresql":
        ids = sa.bindparam("case_ids", type_=postgresql.ARRAY(sa.Uuid()))
        return lambda column: column == sa.any_(ids)
    expanding: sa.BindParameter[Any] = sa.bindparam("case_ids", expanding=True)
    return lambda column: column.in_(expanding)


def _statements(dialect: str) -> tuple[AnySelect, sa.CompoundSelect[Any]]:
    if dialect not in _CASES:
        among = _among(dialect)
        # Names and types, never identifiers: an agenda is printed and handed round.
        subjects = json_rows(
            dialect,
            {"name": Subject.name, "subject_type": Subject.subject_type},
            Subject.case_id == Case.id,
            (Subject.seq, Subject.id),
            Case,
        )
        cases = sa.select(
            Case.id,
            Case.register_number,
            Case.stage,
            Case.category,
            Case.holder_agency_id,
            Case.registered_at,
            Case.title,
            subjects.label("subjects"),
        ).where(among(Case.id))
        _CASES[dialect] = (cases, full_access_agencies(among))
    return _CASES[dialect]


def case_facts(session: Session, case_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Per case id: its summary, its full content and who sees it in full (two statements,
    none when the agenda names no case)."""
    if not case_ids:
        return {}
    params = {"case_ids": [uuid.UUID(case_id) for case_id in case_ids]}
    cases_statement, visibility = _statements(session.get_bind().dialect.name)
    cases: dict[str, dict[str, Any]] = {}
    for row in session.execute(cases_statement, params):
        cases[str(row.id)] = {
            "id": str(row.id),
            "register_number": row.register_number,
            "stage": row.stage,
            "category": row.category,
            "holder_agency_id": str(row.holder_agency_id),
            "registered_at": row.registered_at.isoformat(),
            "full": {
                "title": row.title,
                "subjects": [
                    {"name": s["name"], "subject_type": s["subject_type"]} for s in row.subjects
                ],
            },
            "full_access_agency_ids": [],
        }
    for case_id, agency_id in session.execute(visibility, params):
        cases[str(case_id)]["full_access_agency_ids"].append(str(agency_id))
    for case in cases.values():
        case["full_access_agency_ids"].sort()
    return cases
