"""The vocabulary of the demo Pokja's case catalogue: people, steps and the letters between
agencies in Kabupaten Bengkulu Selatan (the cases themselves: :mod:`pokja.demo.cases`).

The cases are invented but shaped like those Bawaslu handles: Pemilu 2024 (voting day 14
February 2024) and Pilkada 2024 (27 November 2024), reports (LP) and findings (TM), every
stage, every kind of subject. :mod:`pokja.demo` plays each case's steps through the domain
functions, so its register number, events, handoffs and shares are real. A handoff's
``answer`` says how it ends: ``accepted``, ``declined``, ``pending`` (due a few working days
after seeding) or ``overdue`` (pending, due three working days after its 2024 letter).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class Person:
    """A subject (terlapor): NIP for civil servants, NRP for soldiers and police, else NIK."""

    name: str
    identifier: str
    subject_type: str
    position: str
    employer_unit: str


@dataclass(frozen=True)
class Move:
    """A stage change by the holding agency's liaison."""

    to: str
    reason: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Send:
    """A handoff (pelimpahan) by the holding agency's liaison, answered by the receiver's."""

    to: str
    purpose: str
    letter: str
    on: date
    reason: str
    answer: str = "accepted"
    decline: tuple[str, str] | None = None  # (reason code, text)
    suggest: str | None = None


@dataclass(frozen=True)
class Copy:
    """A share (tembusan) to another agency."""

    to: str
    reason: str


Step = Move | Send | Copy


@dataclass(frozen=True)
class DemoCase:
    registered: datetime
    source: str
    category: str
    election: str
    title: str
    summary: str
    kecamatan: str
    desa: str
    occurred: date
    violation_types: tuple[str, ...]
    subjects: tuple[Person, ...]
    reporter: tuple[str, str] | None = None  # (name, contact); None: a finding, or anonymous
    steps: tuple[Step, ...] = ()


def at(month: int, day: int, hour: int = 10, year: int = 2024) -> datetime:
    """A registration time in the Pokja's zone (WIB)."""
    return datetime(year, month, day, hour, tzinfo=WIB)


def d(month: int, day: int, year: int = 2024) -> date:
    return date(year, month, day)


def pns(name: str, nip: str, position: str, unit: str) -> Person:
    return Person(name, nip, "pns", position, unit)


def pppk(name: str, nip: str, position: str, unit: str) -> Person:
    return Person(name, nip, "pppk", position, unit)


def honorer(name: str, nik: str, position: str, unit: str) -> Person:
    return Person(name, nik, "non_asn", position, unit)


def village_head(name: str, nik: str, desa: str) -> Person:
    return Person(name, nik, "village_head", f"Kepala Desa {desa}", f"Pemerintah Desa {desa}")


def village_official(name: str, nik: str, position: str, desa: str) -> Person:
    return Person(name, nik, "village_official", position, f"Pemerintah Desa {desa}")


def soldier(name: str, nrp: str, position: str) -> Person:
    return Person(name, nrp, "tni", position, "Kodim 0408/Bengkulu Selatan")


def police(name: str, nrp: str, position: str, unit: str) -> Person:
    return Person(name, nrp, "polri", position, unit)


def letter(seq: int, month: int, sender: str = "K.BE-01") -> str:
    """A Bawaslu-style letter number, e.g. ``045/PP.01.02/K.BE-01/02/2024``."""
    return f"{seq:03d}/PP.01.02/{sender}/{month:02d}/2024"


def to_bkd(seq: int, on: date, answer: str = "accepted", **kw: Any) -> Send:
    reason = "Rekomendasi Bawaslu atas pelanggaran netralitas ASN untuk ditindaklanjuti PPK."
    return Send("BKDPSDM", "follow_up", letter(seq, on.month), on, reason, answer, **kw)


def to_inspektorat(seq: int, on: date, answer: str = "accepted", **kw: Any) -> Send:
    reason = "Mohon pemeriksaan dan tindak lanjut atas dugaan pelanggaran netralitas."
    return Send("INSPEKTORAT", "examination", letter(seq, on.month), on, reason, answer, **kw)


def to_own_discipline(kind: str, seq: int, on: date, answer: str = "accepted") -> Send:
    reason = "Terlapor anggota {}; penegakan disiplin oleh satuannya.".format(
        "TNI" if kind == "TNI" else "Polri"
    )
    return Send(kind, "internal_discipline", letter(seq, on.month), on, reason, answer)


def to_gakkumdu(seq: int, on: date, answer: str = "accepted") -> Send:
    reason = "Dugaan tindak pidana pemilihan; dibahas Sentra Gakkumdu, diteruskan ke penyidik."
    return Send("POLRI", "investigation", letter(seq, on.month), on, reason, answer)


def to_prosecutor(seq: int, on: date, answer: str = "accepted") -> Send:
    number = f"B/{seq}/{on.month}/2024/Reskrim"
    reason = "Pelimpahan berkas perkara tahap I ke penuntut umum."
    return Send("KEJARI", "prosecution", number, on, reason, answer)


DINDIK = "Dinas Pendidikan dan Kebudayaan Kabupaten Bengkulu Selatan"
DINKES = "Dinas Kesehatan Kabupaten Bengkulu Selatan"
RSUD = "RSUD Hasanuddin Damrah Manna"
SETDA = "Sekretariat Daerah Kabupaten Bengkulu Selatan"
PUPR = "Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Bengkulu Selatan"
TANI = "Dinas Pertanian Kabupaten Bengkulu Selatan"
SATPOL = "Satuan Polisi Pamong Praja Kabupaten Bengkulu Selatan"
POLRES = "Polres Bengkulu Selatan"


def sd(number: int) -> str:
    return f"SD Negeri {number} Bengkulu Selatan"


def kec(name: str) -> str:
    return f"Kecamatan {name}"


EXAMINE = Move("examination")
RECOMMEND = Move("recommended", note="Rekomendasi diterbitkan kepada PPK melalui BKPSDM.")
FORWARD = Move("forwarded")
DECIDE = Move("decided")
CLOSE = Move("closed")
NEUTRALITY_PATH = (EXAMINE, RECOMMEND)

PEMILU = "pemilu-2024"
PILKADA = "pilkada-2024"
