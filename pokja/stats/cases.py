"""Case statistics (DESIGN §8): the caller's cases counted by one or two dimensions with
GROUP BY, on both databases.

A figure counts what its caller may list (the case list's scope and filters,
:mod:`pokja.cases.filters`), and each row carries the case-list query that lists exactly the
cases it counts, so a dashboard clicks through from a number to its cases. Subject and
violation types are redacted from a summary (DESIGN §5): they are counted over the cases the
caller sees in full, as the case list's filters on them match.
"""

from __future__ import annotations

import calendar as month_names
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.access.scopes import full_access_condition
from pokja.cases.facts import PokjaFacts
from pokja.directory import labels
from pokja.models import VIOLATION_TYPES, Case, CaseViolationType, Subject, User
from pokja.stats.scope import case_filters, facts_for, scoped_cases
from pokja.time import clock

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
NOT_RECORDED = {"id": "Tidak tercatat", "en": "Not recorded"}


@dataclass(frozen=True)
class Dimension:
    """A grouping: its SQL key, the table it joins (if any), its labels and the case-list
    filters that select one of its values."""

    key: Callable[[str, PokjaFacts], Any]
    label: Callable[[Any, PokjaFacts], dict[str, str]]
    query: Callable[[Any], dict[str, Any]]
    join: Any = None


def _coded(table: labels.Labels) -> Callable[[Any, PokjaFacts], dict[str, str]]:
    def label(value: Any, _facts: PokjaFacts) -> dict[str, str]:
        lid, len_ = table.get(value, (str(value), str(value)))
        return {"id": lid, "en": len_}

    return label


def _plain(value: Any, _facts: PokjaFacts) -> dict[str, str]:
    return {"id": str(value), "en": str(value)} if value else dict(NOT_RECORDED)


def _holder(value: Any, facts: PokjaFacts) -> dict[str, str]:
    agency = facts.agencies.get(value)
    name = agency["name"] if agency else str(value)
    return {"id": name, "en": name}


def _month_label(value: Any, _facts: PokjaFacts) -> dict[str, str]:
    year, month = (int(part) for part in value.split("-"))
    return {"id": f"{MONTHS_ID[month - 1]} {year}", "en": f"{month_names.month_name[month]} {year}"}


def _month_key(dialect: str, facts: PokjaFacts) -> Any:
    """The month of registration in the Pokja's zone (DESIGN §6: all days are local)."""
    if dialect == "postgresql":
        local = sa.func.timezone(facts.calendar.time_zone, Case.registered_at)
        return sa.func.to_char(local, "YYYY-MM")
    # Indonesia's zones keep one offset all year (no daylight saving since 1964).
    offset = clock.now().astimezone(facts.calendar.zone).utcoffset() or timedelta()
    minutes = int(offset.total_seconds() // 60)
    return sa.func.strftime("%Y-%m", Case.registered_at, f"{minutes:+d} minutes")


def _month_query(value: Any) -> dict[str, Any]:
    year, month = (int(part) for part in value.split("-"))
    first = date(year, month, 1)
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return {"registered_from": first, "registered_to": last}


def _column(column: Any) -> Callable[[str, PokjaFacts], Any]:
    return lambda _dialect, _facts: column


DIMENSIONS: dict[str, Dimension] = {
    "stage": Dimension(_column(Case.stage), _coded(labels.STAGE_LABELS), lambda v: {"stage": v}),
    "holder": Dimension(_column(Case.holder_agency_id), _holder, lambda v: {"holder_id": v}),
    "category": Dimension(
        _column(Case.category), _coded(labels.CASE_CATEGORY_LABELS), lambda v: {"category": v}
    ),
    "source": Dimension(
        _column(Case.source), _coded(labels.CASE_SOURCE_LABELS), lambda v: {"source": v}
    ),
    "violation_type": Dimension(
        _column(CaseViolationType.code),
        _coded(VIOLATION_TYPES),
        lambda v: {"violation_type": v},
        join=(CaseViolationType, CaseViolationType.case_id == Case.id),
    ),
    "subject_type": Dimension(
        _column(Subject.subject_type),
        _coded(labels.SUBJECT_TYPE_LABELS),
        lambda v: {"subject_type": v},
        join=(Subject, Subject.case_id == Case.id),
    ),
    "kecamatan": Dimension(
        _column(sa.func.coalesce(Case.kecamatan, "")), _plain, lambda v: {"kecamatan": v or ""}
    ),
    "election": Dimension(_column(Case.election), _plain, lambda v: {"election": v}),
    "month": Dimension(_month_key, _month_label, _month_query),
}


def _narrow(query: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """The dashboard's filters and the row's, the registration range the tighter of both."""
    merged = {**given, **query}
    if "registered_from" in given and "registered_from" in query:
        merged["registered_from"] = max(given["registered_from"], query["registered_from"])
    if "registered_to" in given and "registered_to" in query:
        merged["registered_to"] = min(given["registered_to"], query["registered_to"])
    return merged


def case_counts(
    session: Session, user: User, group_by: list[str], filters: dict[str, Any]
) -> list[dict[str, Any]]:
    """Rows ``{keys, labels, count, query}`` for ``group_by`` (one or two names of
    :data:`DIMENSIONS`); ``query`` is the case-list filters that list the row's cases. One
    statement for the Pokja's facts and one GROUP BY, whatever the data."""
    facts = facts_for(session, user)
    if facts is None:
        return []
    dialect = session.get_bind().dialect.name
    dims = [DIMENSIONS[name] for name in group_by]
    keys = [dim.key(dialect, facts).label(name) for name, dim in zip(group_by, dims, strict=True)]
    joined = [dim.join for dim in dims if dim.join is not None]
    count = sa.func.count(sa.distinct(Case.id)) if joined else sa.func.count()
    stmt = scoped_cases(session, user, filters).with_only_columns(
        *keys, count.label("count"), maintain_column_froms=False
    )
    stmt = stmt.select_from(Case)
    for table, on in joined:
        stmt = stmt.join(table, on)
    if joined:
        stmt = stmt.where(full_access_condition(user))
    stmt = stmt.group_by(*keys).order_by(*keys)
    given = case_filters(filters)
    rows = []
    for row in session.execute(stmt).mappings():
        query = dict(given)
        for name, dim in zip(group_by, dims, strict=True):
            query = _narrow(dim.query(row[name]), query)
        rows.append(
            {
                "keys": {name: row[name] if row[name] != "" else None for name in group_by},
                "labels": {
                    name: dim.label(row[name], facts)
                    for name, dim in zip(group_by, dims, strict=True)
                },
                "count": row["count"],
                "query": query,
            }
        )
    return rows


def csv_columns(group_by: list[str]) -> list[str]:
    """The CSV form's columns (:mod:`pokja.stats.csv_form` flattens each row)."""
    per_key = [
        column
        for name in group_by
        for column in (f"keys_{name}", f"labels_{name}_id", f"labels_{name}_en")
    ]
    return [*per_key, "count", "cases"]
