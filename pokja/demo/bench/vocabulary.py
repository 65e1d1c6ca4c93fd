"""Sizes, seed and the vocabulary of the benchmark data (names, places, weights), with the
SQL literal helpers the generator's statements are built with."""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pokja.cases import register
from pokja.models import POKJA_TIMEZONES, SUBJECT_TYPES

SEED = "pokja-bench-1"  # change it (and SEED_VERSION) to get other rows
SEED_VERSION = "1"
DEFAULT_AS_OF = date(2026, 12, 1)
DEFAULT_PASSWORD = "pokja-bench"  # noqa: S105 - a benchmark database's documented password
HISTORY_START = date(2024, 1, 2)


class NotEmpty(RuntimeError):
    """The database has Pokjas or users already."""


@dataclass(frozen=True)
class Size:
    pokjas: int
    cases: int
    events_per_case: int = 10


SIZES = {
    "national": Size(pokjas=514, cases=100_000),
    "pokja": Size(pokjas=1, cases=5_000),
    "tiny": Size(pokjas=2, cases=60),
}

PLACES = (
    ("Tanjung", "Muara", "Bukit", "Sungai", "Pulau", "Gunung", "Batu", "Danau", "Air", "Lubuk",
     "Teluk", "Padang", "Tebing", "Rantau", "Sei", "Kuala", "Labuhan", "Pasir", "Tanah", "Karang"),
    ("Jaya", "Baru", "Raya", "Indah", "Makmur", "Sari", "Agung", "Permai", "Selatan", "Utara",
     "Timur", "Barat", "Tengah", "Lestari", "Mulia", "Sejahtera", "Damai", "Kencana", "Emas",
     "Putih", "Hijau", "Tinggi", "Panjang", "Besar", "Rejo", "Asri"),
)  # fmt: skip
GIVEN = ("Agus", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gita", "Hendra", "Indah", "Joko",
         "Kartika", "Lukman", "Maya", "Nur", "Oki", "Putri", "Rahmat", "Sinta", "Taufik", "Umar",
         "Wulan", "Yusuf", "Zainal", "Ayu", "Bambang", "Dedi", "Endang", "Fajar")  # fmt: skip
FAMILY = ("Santoso", "Wijaya", "Saputra", "Lestari", "Hidayat", "Nugroho", "Siregar", "Nasution",
          "Harahap", "Simanjuntak", "Pratama", "Kusuma", "Gunawan", "Halim", "Rahman", "Susanto",
          "Setiawan", "Wibowo", "Purba", "Sitompul")  # fmt: skip
KECAMATAN = ("Manna", "Kedurang", "Seginim", "Pino", "Pasar Manna", "Bunga Mas", "Kota Manna",
             "Air Nipis", "Ulu Manna", "Pino Raya", "Kedurang Ilir", "Sukaraja")  # fmt: skip
DESA = ("Pasar Baru", "Padang Kapuk", "Tanjung Aur", "Gunung Ayu", "Lubuk Tapi", "Suka Raja",
        "Tebat Gunung", "Padang Burnai", "Batu Bandung", "Air Kemuning")  # fmt: skip
# (title text, violation type code)
VIOLATIONS = (
    ("keterlibatan dalam kegiatan kampanye", "campaigning"),
    ("unggahan dukungan kepada pasangan calon di media sosial", "social_media"),
    ("penggunaan fasilitas negara untuk kampanye", "state_facilities"),
    ("pembagian sembako bermuatan kampanye", "partisan_activity"),
    ("pemasangan alat peraga kampanye di kantor desa", "banners_posters"),
    ("kehadiran pada deklarasi pasangan calon", "declaration_attendance"),
    ("foto bersama calon dengan gestur keberpihakan", "partisan_gesture_photo"),
    ("pemberian fotokopi KTP sebagai dukungan calon perseorangan", "id_card_support"),
    ("mobilisasi ASN dalam rapat tertutup", "mobilising_staff"),
    ("keputusan yang menguntungkan pasangan calon", "partisan_decision"),
    ("menjadi anggota partai politik", "party_membership"),
)
# subject type -> (weight, how a title names it, positions, employer unit)
SUBJECTS = {
    "pns": (38, "ASN", ("Kepala Sekolah", "Guru", "Camat", "Kepala Bidang"), "Pemerintah Daerah"),
    "pppk": (14, "PPPK", ("Guru", "Tenaga Kesehatan", "Penyuluh"), "Pemerintah Daerah"),
    "non_asn": (10, "tenaga honorer", ("Staf Honorer", "Operator Sekolah"), "Pemerintah Daerah"),
    "village_head": (10, "kepala desa", ("Kepala Desa",), "Pemerintah Desa"),
    "village_official": (13, "perangkat desa", ("Sekretaris Desa", "Kadus"), "Pemerintah Desa"),
    "tni": (7, "anggota TNI", ("Babinsa", "Danramil"), "Kodim"),
    "polri": (8, "anggota Polri", ("Bhabinkamtibmas", "Kapolsek"), "Polres"),
}
assert set(SUBJECTS) == set(SUBJECT_TYPES)  # noqa: S101 - every subject type is generated
# The agency a case is handed to, by purpose (DESIGN §4 practice).
PURPOSES = {"KEJARI": "prosecution", "POLRI": "investigation", "TNI": "internal_discipline"}
ROLE_LABELS = {"coordinator": "Koordinator", "secretary": "Sekretaris", "viewer": "Pemantau"}


def lit(value: Any) -> str:
    """A SQL literal of a constant of this module (never of user input)."""
    if value is None:
        return "NULL"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def array(values: Iterable[Any]) -> str:
    return "ARRAY[" + ", ".join(lit(v) for v in values) + "]"


def values(rows: Iterable[Iterable[Any]]) -> str:
    return "VALUES " + ", ".join("(" + ", ".join(lit(v) for v in row) + ")" for row in rows)


def pick(values: Iterable[Any], u: str) -> str:
    """One of ``values``, uniformly by the random column ``u``."""
    values = list(values)
    return f"({array(values)})[1 + floor({u} * {len(values)})::int]"


def weighted(u: str, choices: Iterable[tuple[str, float]]) -> str:
    choices = list(choices)
    total = sum(weight for _, weight in choices)
    branches, edge = [], 0.0
    for value, weight in choices[:-1]:
        edge += weight / total
        branches.append(f"WHEN {u} < {edge:.6f} THEN {lit(value)}")
    return f"CASE {' '.join(branches)} ELSE {lit(choices[-1][0])} END"


def register_number_sql() -> str:
    """:data:`pokja.cases.register.DEFAULT_FORMAT` as a SQL expression over b_case's columns."""
    columns = {"seq": "seq", "kind": "kind", "level": "level_abbr", "region_code": "region_code"}
    columns |= {"month": "roman_month", "month_number": "month", "year": "year"}
    parts = []
    for literal, name, spec, _ in string.Formatter().parse(register.DEFAULT_FORMAT):
        if literal:
            parts.append(lit(literal))
        if name:
            width = int((spec or "").rstrip("d") or 0)
            text = f"{columns[name]}::text"
            # lpad cuts longer strings; {seq:03d} never does.
            padded = f"lpad({text}, greatest({width}, length({text})), '0')"
            parts.append(padded if width else text)
    return " || ".join(parts)


def by(column: str, mapping: dict[str, str], default: str = "NULL") -> str:
    """``mapping[column]`` as a SQL CASE."""
    whens = " ".join(f"WHEN {lit(k)} THEN {v}" for k, v in mapping.items())
    return f"CASE {column} {whens} ELSE {default} END"


TYPE_WEIGHTS = [(kind, spec[0]) for kind, spec in SUBJECTS.items()]
# Per province (region code 11..44): WIB, then West and Central Kalimantan, WITA, WIT.
ZONES = ["Asia/Jakarta"] * 18 + ["Asia/Pontianak"] * 2 + ["Asia/Makassar"] * 9
ZONES += ["Asia/Jayapura"] * 5
assert set(ZONES) == set(POKJA_TIMEZONES)  # noqa: S101 - every zone is generated
CREATED = f"timestamptz {lit(f'{HISTORY_START - timedelta(days=30)} 09:00+00')}"
LOCAL_DAY = "(({t}) AT TIME ZONE {tz})::date"
AS_OF_TS = "(%(as_of)s::date::timestamp AT TIME ZONE {tz})"  # local midnight starting as_of
ROMAN = array(register.ROMAN_MONTHS)
