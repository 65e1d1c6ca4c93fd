"""Register numbers (nomor register) of cases, in Bawaslu's form by default.

``002/LP/PL/Kab/27.09/III/2024``: the sequence in the year (3 digits), ``LP`` for a report
(laporan) or ``TM`` for a finding (temuan), ``PL`` (pelanggaran), the Pokja's level, its region
code, the month of registration in Roman numerals and the year, both in the Pokja's time zone.
A Pokja may set its own ``register_format`` with the same placeholders.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.errors import RuleViolation
from pokja.models import Pokja, RegisterCounter
from pokja.models.base import insert_missing

DEFAULT_FORMAT = "{seq:03d}/{kind}/PL/{level}/{region_code}/{month}/{year}"
PLACEHOLDERS = frozenset({"seq", "kind", "level", "region_code", "month", "month_number", "year"})
LEVEL_ABBREVIATIONS = {"kabupaten": "Kab", "kota": "Kota", "provinsi": "Prov", "nasional": "RI"}
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
# A report made to Bawaslu (at its office or a complaints post) is a laporan (LP); what Bawaslu
# takes up on its own initiative is a temuan (TM). A referral from another body is not a
# citizen's report under Perbawaslu 7/2022, so Bawaslu registers it as its own finding.
KIND_BY_SOURCE = {"report": "LP", "complaint_post": "LP", "finding": "TM", "referral": "TM"}
_SAMPLE_TIME = datetime(2024, 3, 1, tzinfo=UTC)  # to try a Pokja's format out


@dataclass(frozen=True)
class RegisterNumber:
    number: str
    kind: str
    year: int
    seq: int


def roman_month(month: int) -> str:
    """The month (1-12) in Roman numerals, as Bawaslu writes it in register numbers."""
    return ROMAN_MONTHS[month - 1]


def validate_format(fmt: str) -> str:
    """Check a Pokja's register format; raise ``RuleViolation`` naming what is wrong."""
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(fmt) if name is not None}
        unknown = fields - PLACEHOLDERS
        if unknown:
            raise ValueError(f"unknown placeholder(s): {', '.join(sorted(unknown))}")
        if "seq" not in fields:
            raise ValueError("the format must contain {seq}")
        format_number(fmt, seq=1, kind="LP", level="kabupaten", region_code="0", when=_SAMPLE_TIME)
    except (ValueError, IndexError, KeyError) as exc:
        message = f"Invalid register format: {exc}"
        raise RuleViolation(message, errors={"register_format": [message]}) from exc
    return fmt


def format_number(
    fmt: str, *, seq: int, kind: str, level: str, region_code: str, when: datetime
) -> str:
    """Render a register number; ``when`` is the registration time in the Pokja's zone."""
    return fmt.format(
        seq=seq,
        kind=kind,
        level=LEVEL_ABBREVIATIONS[level],
        region_code=region_code,
        month=roman_month(when.month),
        month_number=when.month,
        year=when.year,
    )


def allocate(session: Session, pokja_id: object, year: int, kind: str) -> int:
    """The next sequence number of a Pokja's register for a kind and year.

    The UPDATE takes the counter row's lock until the caller's transaction ends, so concurrent
    registrations queue and each gets the next number; a rolled-back registration rolls its
    increment back too. Hence no gaps and no duplicates (DESIGN §3).
    """
    where = (
        RegisterCounter.pokja_id == pokja_id,
        RegisterCounter.year == year,
        RegisterCounter.kind == kind,
    )
    stmt = (
        sa.update(RegisterCounter)
        .where(*where)
        .values(last=RegisterCounter.last + 1)
        .returning(RegisterCounter.last)
        .execution_options(synchronize_session=False)
    )
    seq = session.execute(stmt).scalar()
    if seq is None:
        insert_missing(
            session, RegisterCounter, {"pokja_id": pokja_id, "year": year, "kind": kind, "last": 0}
        )
        seq = session.execute(stmt).scalar_one()
    return seq


def next_number(
    session: Session, pokja: Pokja, source: str, registered_at: datetime
) -> RegisterNumber:
    """Allocate and format the register number of a case registered now."""
    kind = KIND_BY_SOURCE[source]
    local = registered_at.astimezone(ZoneInfo(pokja.timezone))
    seq = allocate(session, pokja.id, local.year, kind)
    number = format_number(
        pokja.register_format or DEFAULT_FORMAT,
        seq=seq,
        kind=kind,
        level=pokja.level,
        region_code=pokja.region_code,
        when=local,
    )
    return RegisterNumber(number=number, kind=kind, year=local.year, seq=seq)
