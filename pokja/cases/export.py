"""Case-list exports (DESIGN §8): the list's filters, visibility and redaction, as rows of
spreadsheet cells streamed from the database.

The statement is the case list's (:func:`pokja.cases.filters.filtered_cases`, so every list
filter exports), of plain columns, read with a server-side cursor in batches: an export of
100,000 cases holds one batch in memory, never the whole. Each row is a case, or with
``per_subject`` a subject (a redacted case stays one row without subjects: how many it has
is not shown either). Headers are Indonesian by default, codes are shown by their labels,
times in the Pokja's zone.

A cell that a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage
return first) is prefixed with ``'``, which shows the text as typed (OWASP "CSV injection").
Rows that show subjects by name are personal-data reads, logged per case as they are read.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from pokja.audit.access_log import record_personal_data_views
from pokja.cases.facts import PokjaFacts
from pokja.cases.filters import filtered_cases
from pokja.cases.read_model import subjects_json, violation_codes
from pokja.directory.labels import (
    CASE_CATEGORY_LABELS,
    CASE_SOURCE_LABELS,
    STAGE_LABELS,
    SUBJECT_TYPE_LABELS,
)
from pokja.models import VIOLATION_TYPES, Case, User

BATCH = 1000
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# key, Indonesian header, English header; the keys after the first block only in full views.
CASE_COLUMNS = (
    ("register_number", "Nomor Register", "Register number"),
    ("redacted", "Ringkasan Terbatas", "Redacted"),
    ("stage", "Tahapan", "Stage"),
    ("category", "Kategori", "Category"),
    ("source", "Sumber", "Source"),
    ("election", "Pemilihan", "Election"),
    ("registered_at", "Waktu Registrasi", "Registered at"),
    ("occurred_on", "Tanggal Kejadian", "Occurred on"),
    ("discovered_on", "Tanggal Diketahui", "Discovered on"),
    ("kecamatan", "Kecamatan", "District (kecamatan)"),
    ("holder", "Instansi Pemegang", "Holding agency"),
    ("desa", "Desa/Kelurahan", "Village (desa)"),
    ("title", "Judul", "Title"),
    ("summary", "Uraian", "Summary"),
    ("violation_types", "Jenis Pelanggaran", "Violation types"),
)
SUBJECTS_COLUMN = ("subjects", "Terlapor", "Subjects")
SUBJECT_COLUMNS = (
    ("subject_name", "Nama Terlapor", "Subject name"),
    ("subject_identifier", "NIP/NRP/NIK", "Identifier"),
    ("subject_type", "Jenis Terlapor", "Subject type"),
    ("subject_position", "Jabatan", "Position"),
    ("subject_employer_unit", "Unit Kerja", "Employer unit"),
)
_YES_NO = {"id": ("ya", "tidak"), "en": ("yes", "no")}


def neutralise(value: str) -> str:
    """A text cell that a spreadsheet shows as typed instead of evaluating it."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


@dataclass(frozen=True)
class Export:
    headers: list[str]
    rows: Iterator[list[Any]]
    # Called once the rows are consumed (or abandoned): logs what was read and commits.
    close: Callable[[], None]


def _statement(session: Session, user: User, filters: dict[str, Any]) -> Any:
    dialect = session.get_bind().dialect.name
    subjects = subjects_json(dialect)
    violations = violation_codes(dialect)
    stmt = filtered_cases(session, user, filters)
    columns = [
        Case.id,
        Case.register_number,
        Case.stage,
        Case.category,
        Case.source,
        Case.election,
        Case.registered_at,
        Case.occurred_on,
        Case.discovered_on,
        Case.kecamatan,
        Case.holder_agency_id,
        Case.desa,
        Case.title,
        Case.summary,
        stmt.selected_columns.full_access,
        subjects.label("subjects"),
        violations.label("violation_types"),
    ]
    return (
        stmt.with_only_columns(*columns, maintain_column_froms=False)
        .select_from(Case)
        .order_by(Case.registered_at.desc(), Case.id.desc())
        .execution_options(yield_per=BATCH)
    )


class _Cells:
    """Turns a row into cells for one language and zone."""

    def __init__(self, facts: PokjaFacts, lang: str) -> None:
        self.lang = 0 if lang == "id" else 1
        self.yes_no = _YES_NO[lang]
        self.zone: ZoneInfo = facts.calendar.zone
        self.agencies = {agency_id: a["name"] for agency_id, a in facts.agencies.items()}

    def label(self, labels: dict[str, tuple[str, str]], code: str | None) -> str:
        return labels[code][self.lang] if code in labels else (code or "")

    def text(self, value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, str):
            return neutralise(value)
        if isinstance(value, datetime):
            return value.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")
        if isinstance(value, date):
            return value.isoformat()
        return value

    def case(self, row: Any, full: bool) -> list[Any]:
        cells = [
            row.register_number,
            self.yes_no[0] if not full else self.yes_no[1],
            self.label(STAGE_LABELS, row.stage),
            self.label(CASE_CATEGORY_LABELS, row.category),
            self.label(CASE_SOURCE_LABELS, row.source),
            row.election,
            row.registered_at,
            row.occurred_on,
            row.discovered_on,
            row.kecamatan,
            self.agencies.get(row.holder_agency_id, ""),
        ]
        if full:
            violations = [self.label(VIOLATION_TYPES, code) for code in row.violation_types]
            cells += [row.desa, row.title, row.summary, "; ".join(violations)]
        else:
            cells += [None, None, None, None]
        return cells

    def subjects(self, subjects: list[dict[str, Any]]) -> str:
        return "; ".join(
            f"{s['name']} ({self.label(SUBJECT_TYPE_LABELS, s['subject_type'])})" for s in subjects
        )

    def subject(self, subject: dict[str, Any] | None) -> list[Any]:
        if subject is None:
            return [None] * len(SUBJECT_COLUMNS)
        return [
            subject["name"],
            subject["identifier"],
            self.label(SUBJECT_TYPE_LABELS, subject["subject_type"]),
            subject["position"],
            subject["employer_unit"],
        ]


def export_cases(
    session_of: Callable[[], Session],
    user: User,
    filters: dict[str, Any],
    *,
    lang: str,
    per_subject: bool,
) -> Export:
    """The caller's filtered cases as spreadsheet rows (see the module's docstring).

    ``session_of`` gives the session to use at the moment it is called: a streamed body is
    read after the request that made it has ended (and its session with it), so the rows
    are read in the session current when the stream starts."""
    columns = [*CASE_COLUMNS, *(SUBJECT_COLUMNS if per_subject else (SUBJECTS_COLUMN,))]
    headers = [column[1 if lang == "id" else 2] for column in columns]
    if user.pokja_id is None:
        return Export(headers, iter(()), lambda: None)
    pokja_id = user.pokja_id
    cells = _Cells(PokjaFacts.load(session_of(), pokja_id), lang)
    named: list[uuid.UUID] = []
    opened: list[tuple[Session, Any]] = []

    def log() -> None:
        if opened:
            record_personal_data_views(opened[0][0], user, pokja_id, named, ["subjects"])
        named.clear()

    def rows() -> Iterator[list[Any]]:
        session = session_of()
        result = session.execute(_statement(session, user, filters))
        opened.append((session, result))
        for row in result:
            full = bool(row.full_access)
            case = cells.case(row, full)
            subjects = (row.subjects or []) if full else []
            if subjects:
                named.append(row.id)
            if per_subject:
                for subject in subjects or [None]:
                    yield [cells.text(v) for v in (*case, *cells.subject(subject))]
            else:
                yield [cells.text(v) for v in (*case, cells.subjects(subjects))]
            if len(named) >= BATCH:
                log()

    def close() -> None:
        if not opened:
            return
        session, result = opened[0]
        result.close()
        log()
        session.commit()

    return Export(headers, rows(), close)
