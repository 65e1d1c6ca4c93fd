"""Benchmark data (``pokja bench-data``) in pokja's own migrated schema, for bench/ (DESIGN §11).

PostgreSQL only: every table is filled by ``INSERT … SELECT generate_series`` in one
transaction, with indexes and foreign keys dropped for the load and re-created from their own
definitions afterwards (so every constraint of the migrations is checked on the result).
Randomness is ``md5`` of a fixed salt and the row's key, so the same size and ``as_of`` give
the same rows on every run, whatever plan PostgreSQL picks.

Sizes: ``national`` (514 Pokjas × 6 agencies with the default authority rules, 100,000 cases,
~200,000 subjects, ~1,000,000 events), ``pokja`` (one Pokja with 5,000 cases, ~2,000 open) and
``tiny`` (for tests). Cases move along the stage table; authority moves only by accepted
handoffs to agencies the rules allow; pending handoffs, recommendations and escalations fall
due around ``as_of`` (some overdue); due dates come from pokja's own clocks and calendar.
Events are each Pokja's real hash chain (:func:`pokja.events.compute_hash`), so
``pokja audit-verify`` passes. Users: see :func:`logins`; one argon2 hash of the password.

Schema ``bench`` keeps what :func:`reset_writes` needs to undo a benchmark run's writes.
"""

from __future__ import annotations

import hashlib
import json
import string
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
from flask import current_app

from pokja import auth, events, register
from pokja.authority import DEFAULT_RULES
from pokja.calendar import PokjaCalendar
from pokja.clocks import Clock, ElectionKind, clock_settings, deadline_for
from pokja.models import DISMISSAL_REASONS, MEMBER_AGENCY_KINDS, POKJA_TIMEZONES, SUBJECT_TYPES
from pokja.sanctions import SANCTION_KINDS, allowed_kinds

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


def _lit(value: Any) -> str:
    """A SQL literal of a constant of this module (never of user input)."""
    if value is None:
        return "NULL"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _array(values: Iterable[Any]) -> str:
    return "ARRAY[" + ", ".join(_lit(v) for v in values) + "]"


def _values(rows: Iterable[Iterable[Any]]) -> str:
    return "VALUES " + ", ".join("(" + ", ".join(_lit(v) for v in row) + ")" for row in rows)


def _pick(values: Iterable[Any], u: str) -> str:
    """One of ``values``, uniformly by the random column ``u``."""
    values = list(values)
    return f"({_array(values)})[1 + floor({u} * {len(values)})::int]"


def _weighted(u: str, choices: Iterable[tuple[str, float]]) -> str:
    choices = list(choices)
    total = sum(weight for _, weight in choices)
    branches, edge = [], 0.0
    for value, weight in choices[:-1]:
        edge += weight / total
        branches.append(f"WHEN {u} < {edge:.6f} THEN {_lit(value)}")
    return f"CASE {' '.join(branches)} ELSE {_lit(choices[-1][0])} END"


def _register_number_sql() -> str:
    """:data:`pokja.register.DEFAULT_FORMAT` as a SQL expression over b_case's columns."""
    columns = {"seq": "seq", "kind": "kind", "level": "level_abbr", "region_code": "region_code"}
    columns |= {"month": "roman_month", "month_number": "month", "year": "year"}
    parts = []
    for literal, name, spec, _ in string.Formatter().parse(register.DEFAULT_FORMAT):
        if literal:
            parts.append(_lit(literal))
        if name:
            width = int((spec or "").rstrip("d") or 0)
            text = f"{columns[name]}::text"
            # lpad cuts longer strings; {seq:03d} never does.
            padded = f"lpad({text}, greatest({width}, length({text})), '0')"
            parts.append(padded if width else text)
    return " || ".join(parts)


def _by(column: str, mapping: dict[str, str], default: str = "NULL") -> str:
    """``mapping[column]`` as a SQL CASE."""
    whens = " ".join(f"WHEN {_lit(k)} THEN {v}" for k, v in mapping.items())
    return f"CASE {column} {whens} ELSE {default} END"


_TYPE_WEIGHTS = [(kind, spec[0]) for kind, spec in SUBJECTS.items()]
# Per province (region code 11..44): WIB, then West and Central Kalimantan, WITA, WIT.
_ZONES = ["Asia/Jakarta"] * 18 + ["Asia/Pontianak"] * 2 + ["Asia/Makassar"] * 9
_ZONES += ["Asia/Jayapura"] * 5
assert set(_ZONES) == set(POKJA_TIMEZONES)  # noqa: S101 - every zone is generated
_CREATED = f"timestamptz {_lit(f'{HISTORY_START - timedelta(days=30)} 09:00+00')}"
_LOCAL_DAY = "(({t}) AT TIME ZONE {tz})::date"
_AS_OF_TS = "(%(as_of)s::date::timestamp AT TIME ZONE {tz})"  # local midnight starting as_of
_ROMAN = _array(register.ROMAN_MONTHS)

_SETUP = f"""
SET LOCAL work_mem = '256MB';
SET LOCAL maintenance_work_mem = '512MB';
-- The staging tables have no statistics until analyzed; compiling plans for the millions of
-- rows guessed costs more than running them.
SET LOCAL jit = off;
CREATE FUNCTION pg_temp.u(key text) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT ('x' || substr(md5({_lit(SEED)} || key), 1, 13))::bit(52)::bigint / 4503599627370496.0 $$;
CREATE FUNCTION pg_temp.uid(key text) RETURNS uuid LANGUAGE sql IMMUTABLE AS
$$ SELECT md5({_lit(SEED)} || key)::uuid $$;
CREATE FUNCTION pg_temp.agency(n int, kind text) RETURNS uuid LANGUAGE sql IMMUTABLE AS
$$ SELECT pg_temp.uid('agency:' || n || ':' || kind) $$;
CREATE FUNCTION pg_temp.liaison(n int, kind text) RETURNS uuid LANGUAGE sql IMMUTABLE AS
$$ SELECT pg_temp.uid('user:liaison:' || n || ':' || kind) $$;
CREATE FUNCTION pg_temp.coordinator(n int) RETURNS uuid LANGUAGE sql IMMUTABLE AS
$$ SELECT pg_temp.uid('user:coordinator:' || n) $$;
CREATE TEMP TABLE b_due (tz text, day date, clock text, kind text, due_at timestamptz,
                         due_day date, length int, unit text) ON COMMIT DROP;
CREATE TEMP TABLE b_day (day date PRIMARY KEY, working int) ON COMMIT DROP;
"""

_DIRECTORY = [
    (
        "pokjas",
        f"""
CREATE TEMP TABLE b_pokja ON COMMIT DROP AS
SELECT n, pg_temp.uid('pokja:' || n) AS id, level, place, tz, region_code,
       initcap(level) || ' ' || place AS region_name
FROM (SELECT n, CASE WHEN mod(n, 5) = 0 THEN 'kota' ELSE 'kabupaten' END AS level,
             ({_array(PLACES[0])})[1 + mod(n - 1, {len(PLACES[0])})] || ' '
             || ({_array(PLACES[1])})[1 + mod((n - 1) / {len(PLACES[0])}, {len(PLACES[1])})]
             AS place,
             ({_array(_ZONES)})[1 + mod(n - 1, {len(_ZONES)})] AS tz,
             (11 + mod(n - 1, {len(_ZONES)})) || '.' || lpad((1 + (n - 1) / {len(_ZONES)})::text,
             2, '0') AS region_code
      FROM generate_series(1, %(pokjas)s) n) p;
INSERT INTO pokjas (id, name, region_code, region_name, level, timezone, locale, active,
                    register_format, clock_overrides, violation_tracks, created_at, updated_at,
                    version)
SELECT id, 'Pokja Netralitas ASN, TNI dan Polri ' || region_name, region_code, region_name,
       level, tz, 'id', true, NULL, '{{}}', '{{}}', {_CREATED}, {_CREATED}, 1
FROM b_pokja ORDER BY n""",
    ),
    (
        "agencies",
        f"""
CREATE TEMP TABLE b_agency ON COMMIT DROP AS
SELECT p.n, k.kind, pg_temp.agency(p.n, k.kind) AS id,
       {
            _by(
                "k.kind",
                {
                    "BAWASLU": "'Bawaslu ' || p.region_name",
                    "BKDPSDM": "'BKPSDM ' || p.region_name",
                    "INSPEKTORAT": "'Inspektorat ' || p.region_name",
                    "KEJARI": "'Kejaksaan Negeri ' || p.place",
                    "TNI": "'Kodim ' || lpad((400 + p.n)::text, 4, '0') || '/' || p.place",
                    "POLRI": "'Polres ' || p.place",
                },
            )
        } AS name
FROM b_pokja p CROSS JOIN unnest({_array(MEMBER_AGENCY_KINDS)}) k(kind);
INSERT INTO agencies (id, pokja_id, kind, name, valid_from, valid_to, active, created_at,
                      updated_at, version)
SELECT a.id, p.id, a.kind, a.name, NULL, NULL, true, {_CREATED}, {_CREATED}, 1
FROM b_agency a JOIN b_pokja p USING (n) ORDER BY a.n, a.kind""",
    ),
    (
        "authority_rules",
        f"""
INSERT INTO authority_rules (id, pokja_id, subject_type, category, agency_kind, created_at)
SELECT pg_temp.uid('rule:' || p.n || ':' || r.i), p.id, r.subject_type, r.category,
       r.agency_kind, {_CREATED}
FROM b_pokja p CROSS JOIN ({
            _values((i, *rule) for i, rule in enumerate(DEFAULT_RULES, 1))
        }) r(i, subject_type, category, agency_kind)
ORDER BY p.n, r.i""",
    ),
    (
        "users",
        f"""
CREATE TEMP TABLE b_user ON COMMIT DROP AS
SELECT n, role, CASE WHEN role = 'viewer' THEN NULL ELSE 'BAWASLU' END AS kind,
       role || '-' || n AS username, pg_temp.uid('user:' || role || ':' || n) AS id
FROM b_pokja CROSS JOIN unnest(ARRAY['coordinator', 'secretary', 'viewer']) role
UNION ALL
SELECT n, 'liaison', kind, 'liaison-' || n || '-' || lower(kind), pg_temp.liaison(n, kind)
FROM b_agency;
INSERT INTO users (id, username, display_name, password_hash, role, pokja_id, agency_id, active,
                   last_login_at, created_at, updated_at, version)
SELECT u.id, u.username,
       {_pick(GIVEN, "pg_temp.u('given:' || u.username)")} || ' '
       || {_pick(FAMILY, "pg_temp.u('family:' || u.username)")} || ' ('
       || coalesce({_by("u.role", {k: _lit(v) for k, v in ROLE_LABELS.items()})},
                   'Penghubung ' || u.kind) || ')',
       %(hash)s, u.role, p.id, pg_temp.agency(u.n, u.kind), true, NULL::timestamptz,
       {_CREATED}, {_CREATED}, 1
FROM b_user u JOIN b_pokja p USING (n)
UNION ALL
SELECT pg_temp.uid('user:admin'), 'bench-admin', 'Administrator Benchmark', %(hash)s, 'admin',
       NULL, NULL, true, NULL, {_CREATED}, {_CREATED}, 1""",
    ),
]

# National mix at the end of an election cycle: 40 % of the cases still open.
_STAGE_WEIGHTS = [("received", 8), ("examination", 14), ("recommended", 8), ("forwarded", 10)]
_STAGE_WEIGHTS += [("decided", 12), ("dismissed", 16), ("closed", 32)]
_SOURCE_WEIGHTS = [("report", 45), ("complaint_post", 10), ("finding", 35), ("referral", 10)]
_CATEGORY_WEIGHTS = [("neutrality", 70), ("administrative", 15), ("election_crime", 10)]
_CATEGORY_WEIGHTS += [("other_law", 5)]


def _u(name: str) -> str:
    """A case's own random number for ``name`` (column ``i`` is the case's index)."""
    return f"pg_temp.u('c:' || i || ':{name}')"


def _days(name: str, low: int, high: int) -> str:
    return f"make_interval(days => {low} + floor({_u(name)} * {high - low + 1})::int)"


_CASES = [
    (
        "cases (staging)",
        f"""
CREATE TEMP TABLE b_case0 ON COMMIT DROP AS
WITH a AS MATERIALIZED (
    SELECT i, p.n, p.id AS pokja_id, p.tz, p.level, p.place, p.region_code,
           {_weighted(_u("stage"), _STAGE_WEIGHTS)} AS stage0,
           {_weighted(_u("source"), _SOURCE_WEIGHTS)} AS source,
           {_weighted(_u("category"), _CATEGORY_WEIGHTS)} AS category,
           {_weighted(_u("type"), _TYPE_WEIGHTS)} AS first_type, {_u("target")} AS r_target,
           {_u("route")} AS r_route
    FROM generate_series(1, %(cases)s) i
    JOIN b_pokja p ON p.n = 1 + least(%(pokjas)s - 1,
                                      floor(%(pokjas)s * power({_u("pokja")}, 1.5))::int)
), b AS MATERIALIZED (
    -- Who may take the case over, by the default authority rules (DESIGN §4).
    SELECT a.*, CASE
        WHEN category = 'election_crime' THEN
            CASE WHEN r_target < 0.7 THEN 'POLRI' ELSE 'KEJARI' END
        WHEN first_type IN ('tni', 'polri') THEN upper(first_type)
        WHEN first_type IN ('village_head', 'village_official') THEN
            CASE WHEN r_target < 0.6 THEN 'INSPEKTORAT' ELSE 'BKDPSDM' END
        WHEN category IN ('neutrality', 'administrative') THEN
            CASE WHEN r_target < 0.7 THEN 'BKDPSDM' ELSE 'INSPEKTORAT' END
        END AS target
    FROM a
), c AS MATERIALIZED (
    SELECT b.*, CASE WHEN stage0 = 'forwarded' AND target IS NULL THEN 'recommended'
                     ELSE stage0 END AS stage
    FROM b
), r AS MATERIALIZED (
    -- How the case got to its stage: a recommendation, a handoff, or a dismissal.
    SELECT c.*, CASE stage
        WHEN 'recommended' THEN 'rec' WHEN 'forwarded' THEN 'fwd' WHEN 'dismissed' THEN 'dis'
        WHEN 'decided' THEN CASE WHEN target IS NOT NULL AND r_route < 0.5 THEN 'fwd' ELSE 'rec' END
        WHEN 'closed' THEN CASE WHEN r_route < 0.3 THEN 'dis'
                                WHEN target IS NOT NULL AND r_route < 0.65 THEN 'fwd'
                                ELSE 'rec' END
        ELSE '' END AS route,
        -- Open cases are recent, so that their clocks and handoffs fall due around as_of.
        %(as_of)s::date - CASE stage
            WHEN 'received' THEN 1 + floor({_u("when")} * 20)
            WHEN 'examination' THEN 4 + floor({_u("when")} * 86)
            WHEN 'recommended' THEN 24 + floor({_u("when")} * 156)
            WHEN 'forwarded' THEN 24 + floor({_u("when")} * 156)
            ELSE 120 + floor({_u("when")}
                             * (%(as_of)s::date - {_lit(str(HISTORY_START))}::date - 120))
            END::int AS reg_day
    FROM c
), t AS MATERIALIZED (
    SELECT r.*,
           (reg_day + time '08:00' + make_interval(secs => floor({_u("hour")} * 28800)))
           AT TIME ZONE tz AS registered_at,
           stage <> 'received' AND NOT (route = 'dis' AND {_u("direct")} < 0.4) AS via_exam
    FROM r
), t1 AS MATERIALIZED (
    SELECT t.*, CASE WHEN via_exam THEN registered_at + {_days("t1", 1, 3)} END AS t_exam FROM t
), t2 AS MATERIALIZED (
    SELECT t1.*,
           CASE WHEN route IN ('rec', 'fwd') THEN t_exam + {_days("t2", 5, 20)} END AS t_mid,
           CASE WHEN route = 'dis' THEN coalesce(t_exam, registered_at) + {_days("t2", 2, 10)}
                END AS t_dis
    FROM t1
), t3 AS MATERIALIZED (
    SELECT t2.*, CASE WHEN stage IN ('decided', 'closed') AND route <> 'dis'
                      THEN t_mid + {_days("t3", 10, 40)} END AS t_dec
    FROM t2
)
SELECT t3.*,
       CASE WHEN stage = 'closed' THEN coalesce(t_dec, t_dis) + {_days("t4", 5, 30)} END AS t_close,
       pg_temp.uid('case:' || i) AS id,
       CASE WHEN route = 'fwd' THEN target ELSE 'BAWASLU' END AS holder,
       CASE WHEN source IN ('report', 'complaint_post') THEN 'LP' ELSE 'TM' END AS kind,
       1 + floor({_u("subjects")} * 3)::int AS n_subjects,
       floor({_u("violation")} * {len(VIOLATIONS)})::int AS violation,
       {_pick(KECAMATAN, _u("kecamatan"))} AS kecamatan, {_pick(DESA, _u("desa"))} AS desa,
       CASE WHEN route = 'dis' THEN {_pick(DISMISSAL_REASONS, _u("reason"))} END
       AS dismissal_reason,
       CASE WHEN stage IN ('examination', 'recommended') AND target IS NOT NULL
                 AND {_u("pending")} < 0.25 THEN 'send'
            WHEN stage = 'forwarded' AND {_u("pending")} < 0.05 THEN 'return' END AS pending,
       {_u("extension")} < 0.03 AND stage IN ('received', 'examination') AS extended,
       registered_at < timestamptz '2024-06-01 00:00+07' AS pemilu
FROM t3""",
    ),
    (
        "cases",
        f"""
CREATE TEMP TABLE b_case ON COMMIT DROP AS
SELECT c.*, {_register_number_sql()} AS register_number,
       CASE WHEN pemilu THEN 'pemilu-2024' ELSE 'pilkada-2024' END AS election,
       CASE WHEN pemilu THEN 'pemilu' ELSE 'pilkada' END AS election_kind,
       'Dugaan ' || ({_array(v[0] for v in VIOLATIONS)})[1 + violation] || ' oleh '
       || {_by("first_type", {k: _lit(v[1]) for k, v in SUBJECTS.items()})}
       || ' di Kecamatan ' || kecamatan AS title,
       CASE WHEN kind = 'LP' THEN 'Laporan masyarakat' ELSE 'Temuan pengawas pemilu' END
       || ' di Desa ' || desa || ', Kecamatan ' || kecamatan || ': '
       || ({_array(v[0] for v in VIOLATIONS)})[1 + violation] || '.' AS summary,
       local_day - (2 + floor({_u("occurred")} * 12))::int AS occurred_on,
       local_day - (2 + floor({_u("occurred")} * 12))::int + floor({_u("known")} * 3)::int
       AS discovered_on,
       GREATEST(registered_at, t_exam, t_mid, t_dis, t_dec, t_close) AS updated_at,
       1 + via_exam::int + (t_mid IS NOT NULL)::int + (t_dis IS NOT NULL)::int
       + (t_dec IS NOT NULL)::int + (t_close IS NOT NULL)::int + (route = 'fwd')::int AS version
FROM (SELECT c0.*, {_LOCAL_DAY.format(t="registered_at", tz="tz")} AS local_day,
             extract(year FROM registered_at AT TIME ZONE tz)::int AS year,
             extract(month FROM registered_at AT TIME ZONE tz)::int AS month,
             ({_ROMAN})[extract(month FROM registered_at AT TIME ZONE tz)::int] AS roman_month,
             {_by("level", {k: _lit(v) for k, v in register.LEVEL_ABBREVIATIONS.items()})}
             AS level_abbr,
             row_number() OVER (PARTITION BY n, kind, extract(year FROM registered_at AT TIME
                                ZONE tz) ORDER BY registered_at, i) AS seq
      FROM b_case0 c0) c;
ANALYZE b_case;
INSERT INTO cases (id, pokja_id, register_number, register_kind, register_year, register_seq,
                   source, category, election, election_kind, occurred_on, discovered_on,
                   registered_at, kecamatan, desa, title, summary, stage, dismissal_reason,
                   holder_agency_id, created_by_id, created_at, updated_at, version)
SELECT id, pokja_id, register_number, kind, year, seq, source, category, election,
       election_kind, occurred_on, discovered_on, registered_at, kecamatan, desa, title, summary,
       stage, dismissal_reason, pg_temp.agency(n, holder), pg_temp.liaison(n, 'BAWASLU'),
       registered_at, updated_at, version
FROM b_case ORDER BY i;
INSERT INTO register_counters (pokja_id, year, kind, last)
SELECT pokja_id, year, kind, max(seq) FROM b_case GROUP BY pokja_id, year, kind""",
    ),
]


def _s(name: str) -> str:
    """A subject's own random number (columns ``i``, ``seq``)."""
    return f"pg_temp.u('s:' || i || ':' || seq || ':{name}')"


def _due(alias: str, tz: str, moment: str, clock: Clock, kind: str) -> str:
    """Join the deadline of ``clock`` started at ``moment`` (pokja's own clocks, see b_due)."""
    day = _LOCAL_DAY.format(t=moment, tz=tz)
    return (
        f"JOIN b_due {alias} ON {alias}.tz = {tz} AND {alias}.day = {day}"
        f" AND {alias}.clock = '{clock}' AND {alias}.kind = {kind}"
    )


_POSITIONS = {kind: _pick(spec[2], _s("position")) for kind, spec in SUBJECTS.items()}
_UNITS = {kind: f"{_lit(spec[3] + ' ')} || c.place" for kind, spec in SUBJECTS.items()}
_IDENTIFIERS = {
    # NIP: birth date, appointment month, sex, sequence; NRP for soldiers and police; else NIK.
    "civil": f"to_char(date '1965-01-01' + floor({_s('born')} * 12000)::int, 'YYYYMMDD')"
    f" || to_char(date '1990-01-01' + floor({_s('tmt')} * 9000)::int, 'YYYYMM')"
    f" || (1 + floor({_s('sex')} * 2))::int || lpad(floor({_s('nip')} * 1000)::text, 3, '0')",
    "uniformed": f"lpad(floor({_s('nrp')} * 100000000)::bigint::text, 8, '0')",
    "other": f"region_digits || lpad(floor({_s('nik')} * 10000000000)::bigint::text, 10, '0')",
}
_PURPOSE = _by("{kind}", {k: _lit(v) for k, v in PURPOSES.items()}, "'follow_up'")

_CHILDREN = [
    (
        "subjects",
        f"""
CREATE TEMP TABLE b_subject ON COMMIT DROP AS
WITH c AS MATERIALIZED (
    SELECT c.i, s.seq, c.id AS case_id, c.registered_at, c.place,
           replace(c.region_code, '.', '') AS region_digits,
           CASE WHEN s.seq = 0 OR pg_temp.u('s:' || c.i || ':' || s.seq || ':same') < 0.7
                THEN c.first_type
                ELSE {_weighted("pg_temp.u('s:' || c.i || ':' || s.seq || ':type')", _TYPE_WEIGHTS)}
                END AS subject_type
    FROM b_case c CROSS JOIN LATERAL generate_series(0, c.n_subjects - 1) s(seq)
)
SELECT i, seq, pg_temp.uid('subject:' || i || ':' || seq) AS id, case_id, registered_at,
       subject_type,
       {_pick(GIVEN, _s("given"))} || ' ' || {_pick(FAMILY, _s("family"))} AS name,
       CASE WHEN subject_type IN ('pns', 'pppk') THEN {_IDENTIFIERS["civil"]}
            WHEN subject_type IN ('tni', 'polri') THEN {_IDENTIFIERS["uniformed"]}
            ELSE {_IDENTIFIERS["other"]} END AS identifier,
       {_by("subject_type", _POSITIONS)} AS position, {_by("subject_type", _UNITS)} AS employer_unit
FROM c;
ANALYZE b_subject;
INSERT INTO subjects (id, case_id, seq, name, identifier, subject_type, position, employer_unit,
                      created_at, updated_at)
SELECT id, case_id, seq, name, identifier, subject_type, position, employer_unit,
       registered_at, registered_at
FROM b_subject ORDER BY i, seq""",
    ),
    (
        "reporters, references, violation types",
        f"""
INSERT INTO reporters (id, case_id, name, contact, anonymous, created_at, updated_at)
SELECT pg_temp.uid('reporter:' || i), id, CASE WHEN NOT anonymous THEN name END,
       CASE WHEN NOT anonymous THEN contact END, anonymous, registered_at, registered_at
FROM (SELECT c.*, {_u("anonymous")} < 0.1 AS anonymous,
             {_pick(GIVEN, _u("reporter_given"))} || ' ' || {_pick(FAMILY, _u("reporter_family"))}
             AS name, '08' || lpad(floor({_u("phone")} * 10000000000)::bigint::text, 10, '0')
             AS contact
      FROM b_case c WHERE kind = 'LP') c
ORDER BY i;
INSERT INTO external_refs (id, pokja_id, case_id, system, reference, created_at)
SELECT pg_temp.uid('ref:' || i), pokja_id, id, 'SIGAPLAPOR',
       'SGP-' || year || '-' || lpad(i::text, 6, '0'), registered_at
FROM b_case WHERE kind = 'LP' AND {_u("sigaplapor")} < 0.3 ORDER BY i;
CREATE TEMP TABLE b_violation ON COMMIT DROP AS
SELECT i, id AS case_id, ({_array(v[1] for v in VIOLATIONS)})[1 + violation] AS code FROM b_case
UNION ALL
SELECT i, id, ({_array(v[1] for v in VIOLATIONS)})[1 + mod(violation + 1
       + floor({_u("second")} * {len(VIOLATIONS) - 1})::int, {len(VIOLATIONS)})]
FROM b_case WHERE {_u("two_types")} < 0.2;
INSERT INTO case_violation_types (case_id, code) SELECT case_id, code FROM b_violation""",
    ),
    (
        "handoffs",
        f"""
CREATE TEMP TABLE b_handoff ON COMMIT DROP AS
SELECT h.*, d.due_day, lpad((1 + mod(h.i * 7, 997))::text, 3, '0') || '/PP.01.00/K.BW-'
       || h.region_code || '/'
       || ({_ROMAN})[extract(month FROM h.created_at AT TIME ZONE h.tz)::int]
       || '/' || extract(year FROM h.created_at AT TIME ZONE h.tz) AS letter_number
FROM (
    -- A tenth of the handoffs to BKPSDM or the Inspectorate first went to the other one.
    SELECT i, n, id AS case_id, tz, region_code, election_kind, 'declined' AS status,
           pg_temp.uid('handoff:declined:' || i) AS id, 'BAWASLU' AS from_kind,
           CASE target WHEN 'BKDPSDM' THEN 'INSPEKTORAT' ELSE 'BKDPSDM' END AS to_kind,
           'follow_up' AS purpose, target AS suggested_kind,
           t_mid - interval '4 days' AS created_at, t_mid - interval '3 days' AS decided_at
    FROM b_case WHERE route = 'fwd' AND target IN ('BKDPSDM', 'INSPEKTORAT')
                      AND {_u("declined")} < 0.15
    UNION ALL
    SELECT i, n, id, tz, region_code, election_kind, 'accepted',
           pg_temp.uid('handoff:accepted:' || i),
           'BAWASLU', target, {_PURPOSE.format(kind="target")}, NULL,
           t_mid - interval '2 days', t_mid - interval '1 day'
    FROM b_case WHERE route = 'fwd'
    UNION ALL
    -- Sent within the last 12 days: about half are past their 3 working days.
    SELECT i, n, id, tz, region_code, election_kind, 'pending',
           pg_temp.uid('handoff:pending:' || i),
           CASE pending WHEN 'send' THEN 'BAWASLU' ELSE target END,
           CASE pending WHEN 'send' THEN target ELSE 'BAWASLU' END,
           CASE pending WHEN 'send' THEN {_PURPOSE.format(kind="target")} ELSE 'return' END, NULL,
           GREATEST(updated_at + interval '2 hours',
                    ((%(as_of)s::date - 1 - floor({_u("sent")} * 12)::int) + time '08:00'
                     + make_interval(secs => floor({_u("sent_at")} * 28800))) AT TIME ZONE tz),
           NULL
    FROM b_case WHERE pending IS NOT NULL
) h {_due("d", "h.tz", "h.created_at", Clock.HANDOFF_ACCEPTANCE, "h.election_kind")};
INSERT INTO handoffs (id, pokja_id, case_id, from_agency_id, to_agency_id, purpose, reason,
                      letter_number, letter_date, status, due_on, decline_reason, decline_text,
                      suggested_agency_id, override_justification, created_by_id, created_at,
                      decided_by_id, decided_at, withdrawn_by_id, withdrawn_at)
SELECT h.id, p.id, h.case_id, pg_temp.agency(h.n, from_kind), pg_temp.agency(h.n, to_kind),
       purpose, 'Pelimpahan untuk ditindaklanjuti sesuai kewenangan.', letter_number,
       {_LOCAL_DAY.format(t="h.created_at", tz="h.tz")}, status, due_day,
       CASE WHEN status = 'declined' THEN 'not_our_authority' END,
       CASE WHEN status = 'declined' THEN 'Terlapor bukan kewenangan kami; lihat saran.' END,
       pg_temp.agency(h.n, suggested_kind), NULL, pg_temp.liaison(h.n, from_kind), created_at,
       CASE WHEN decided_at IS NOT NULL THEN pg_temp.liaison(h.n, to_kind) END, decided_at,
       NULL, NULL
FROM b_handoff h JOIN b_pokja p USING (n) ORDER BY h.i, h.created_at""",
    ),
]

_SANCTION_CHOICES = {t: [c for c in allowed_kinds(t) if c != "no_sanction"] for t in SUBJECT_TYPES}
_SANCTIONS = _values(
    (subject_type, k, code, SANCTION_KINDS[code].level, len(codes))
    for subject_type, codes in _SANCTION_CHOICES.items()
    for k, code in enumerate(codes)
)
_REC_NUMBER = (
    "lpad((1 + mod(i * 13, 997))::text, 3, '0') || '/PM.00.02/K.BW-' || region_code || '/'"
    f" || ({_ROMAN})[extract(month FROM {{t}} AT TIME ZONE tz)::int] || '/'"
    " || extract(year FROM {t} AT TIME ZONE tz)"
)

_FOLLOW_UP = [
    (
        "recommendations, shares",
        f"""
CREATE TEMP TABLE b_rec ON COMMIT DROP AS
SELECT r.*, d.due_at, d.unit,
       CASE WHEN completed_at IS NOT NULL THEN completed_at <= d.due_at END AS on_time,
       CASE WHEN completed_at IS NOT NULL THEN
            greatest(0, done.working - due.working) END AS late_working_days
FROM (SELECT i, n, id AS case_id, pokja_id, tz, election_kind, first_type,
             pg_temp.uid('recommendation:' || i) AS id, coalesce(target, 'BKDPSDM') AS addressee,
             t_mid AS issued_at, t_dec AS completed_at, {_REC_NUMBER.format(t="t_mid")} AS number,
             CASE WHEN t_dec IS NULL THEN 'issued' WHEN {_u("rejected")} < 0.08 THEN 'rejected'
                  ELSE 'followed_up' END AS status
      FROM b_case WHERE route = 'rec') r
{_due("d", "r.tz", "r.issued_at", Clock.RECOMMENDATION_FOLLOW_UP, "r.election_kind")}
JOIN b_day due ON due.day = {_LOCAL_DAY.format(t="d.due_at", tz="r.tz")}
LEFT JOIN b_day done ON done.day = {_LOCAL_DAY.format(t="r.completed_at", tz="r.tz")};
INSERT INTO recommendations (id, pokja_id, case_id, issuing_agency_id, addressee_agency_id,
                             number, date, text, issued_at, follow_up_due_at, due_unit, status,
                             issued_by_id, completed_at, completed_by_id, outcome_note, reasons,
                             on_time, late_working_days, created_at, updated_at, version)
SELECT id, pokja_id, case_id, pg_temp.agency(n, 'BAWASLU'), pg_temp.agency(n, addressee), number,
       {_LOCAL_DAY.format(t="issued_at", tz="tz")},
       'Direkomendasikan untuk dijatuhi sanksi sesuai ketentuan peraturan perundang-undangan.',
       issued_at, due_at, unit, status, pg_temp.coordinator(n), completed_at,
       CASE WHEN completed_at IS NOT NULL THEN pg_temp.liaison(n, addressee) END,
       CASE WHEN status = 'followed_up' THEN 'Sanksi telah dijatuhkan.' END,
       CASE WHEN status = 'rejected' THEN 'Tidak ditemukan cukup bukti pada pemeriksaan.' END,
       on_time, late_working_days, issued_at, coalesce(completed_at, issued_at),
       1 + (completed_at IS NOT NULL)::int
FROM b_rec ORDER BY i;
-- The addressee reads the case it must decide on (pokja.recommendations.issue_recommendation).
INSERT INTO shares (id, pokja_id, case_id, agency_id, reason, granted_by_id, granted_at,
                    revoked_by_id, revoked_at)
SELECT pg_temp.uid('share:' || i), pokja_id, case_id, pg_temp.agency(n, addressee),
       'Rekomendasi ' || number, pg_temp.coordinator(n), issued_at, NULL, NULL
FROM b_rec ORDER BY i""",
    ),
    (
        "escalations, sanctions, clock extensions",
        f"""
CREATE TEMP TABLE b_escalation ON COMMIT DROP AS
SELECT r.*, d.due_at AS escalation_due_at, d.unit AS escalation_unit
FROM (SELECT r.i, r.n, r.id AS recommendation_id, r.case_id, r.pokja_id, r.tz, r.election_kind,
             r.addressee, pg_temp.uid('escalation:' || r.i) AS escalation_id,
             (({_LOCAL_DAY.format(t="r.due_at", tz="r.tz")} + 3) + time '10:00') AT TIME ZONE r.tz
             AS created_at
      FROM b_rec r
      WHERE r.status = 'issued' AND r.due_at < {_AS_OF_TS.format(tz="r.tz")} - interval '7 days'
            AND pg_temp.u('c:' || r.i || ':escalated') < 0.4) r
{_due("d", "r.tz", "r.created_at", Clock.RECOMMENDATION_FOLLOW_UP, "r.election_kind")};
INSERT INTO escalations (id, pokja_id, recommendation_id, case_id, kind, letter_number, date,
                         addressee, text, due_at, due_unit, created_by_id, created_at)
SELECT e.escalation_id, e.pokja_id, e.recommendation_id, e.case_id, 'reminder',
       lpad((1 + mod(e.i * 17, 997))::text, 3, '0') || '/PM.00.02/K.BW',
       {_LOCAL_DAY.format(t="e.created_at", tz="e.tz")}, a.name,
       'Pengingat tindak lanjut rekomendasi.', e.escalation_due_at, e.escalation_unit,
       pg_temp.coordinator(e.n), e.created_at
FROM b_escalation e JOIN b_agency a ON a.n = e.n AND a.kind = e.addressee ORDER BY e.i;
INSERT INTO sanctions (id, pokja_id, case_id, subject_id, recommendation_id, level, kind,
                       decree_number, decree_date, deciding_agency_id, created_by_id, created_at)
SELECT pg_temp.uid('sanction:' || r.i), r.pokja_id, r.case_id,
       pg_temp.uid('subject:' || r.i || ':0'), r.id, s.level, s.kind,
       'KEP-' || lpad(r.i::text, 6, '0'), {_LOCAL_DAY.format(t="r.completed_at", tz="r.tz")},
       pg_temp.agency(r.n, r.addressee), pg_temp.liaison(r.n, r.addressee), r.completed_at
FROM b_rec r
JOIN ({_SANCTIONS}) s(subject_type, k, kind, level, choices) ON s.subject_type = r.first_type
     AND s.k = floor(pg_temp.u('c:' || r.i || ':sanction') * s.choices)
WHERE r.status = 'followed_up' ORDER BY r.i;
INSERT INTO case_clock_extensions (id, pokja_id, case_id, clock, extension_clock, length, unit,
                                   due_at, reason, created_by_id, created_at)
SELECT pg_temp.uid('extension:' || c.i), c.pokja_id, c.id, '{Clock.DECISION}',
       '{Clock.DECISION_EXTENSION}', d.length, d.unit, d.due_at,
       'Menunggu keterangan tambahan dari pelapor.', pg_temp.liaison(c.n, 'BAWASLU'),
       c.registered_at + interval '1 hour'
FROM b_case c
{_due("d", "c.tz", "c.registered_at", Clock.DECISION_EXTENSION, "c.election_kind")}
WHERE c.extended ORDER BY c.i""",
    ),
]


def _actor(kind: str, n: str = "c.n") -> str:
    """``actor_user_id, actor_agency_id`` of an agency's liaison (``'COORDINATOR'``: Bawaslu's
    coordinator), for b_event."""
    user = f"CASE WHEN {kind} = 'COORDINATOR' THEN pg_temp.coordinator({n})"
    user += f" ELSE pg_temp.liaison({n}, {kind}) END"
    agency = f"pg_temp.agency({n}, CASE WHEN {kind} = 'COORDINATOR' THEN 'BAWASLU' ELSE {kind} END)"
    return f"{user}, {agency}"


_INTO_EVENTS = "INSERT INTO b_event (pokja_id, i, ord, at, id, case_id, actor_user_id, "
_INTO_EVENTS += "actor_agency_id, type, data)"
_HANDOFF_SNAPSHOT = (
    "'handoff_id', h.id, 'from_agency_id', pg_temp.agency(h.n, h.from_kind), "
    "'to_agency_id', pg_temp.agency(h.n, h.to_kind), 'purpose', h.purpose"
)
_REC_SNAPSHOT = (
    "'recommendation_id', r.id, 'issuing_agency_id', pg_temp.agency(r.n, 'BAWASLU'), "
    "'addressee_agency_id', pg_temp.agency(r.n, r.addressee), 'number', r.number, "
    "'follow_up_due_at', r.due_at"
)
_STAGE_MOVES = """(VALUES
    (10, c.t_exam, 'received', 'examination', 'BAWASLU'),
    (11, c.t_mid, 'examination', CASE c.route WHEN 'rec' THEN 'recommended' ELSE 'forwarded' END,
     CASE c.route WHEN 'rec' THEN 'COORDINATOR' ELSE c.target END),
    (12, c.t_dis, CASE WHEN c.via_exam THEN 'examination' ELSE 'received' END, 'dismissed',
     'BAWASLU'),
    (13, c.t_dec, CASE c.route WHEN 'rec' THEN 'recommended' ELSE 'forwarded' END, 'decided',
     coalesce(c.target, 'BKDPSDM')),
    (14, c.t_close, CASE c.route WHEN 'dis' THEN 'dismissed' ELSE 'decided' END, 'closed',
     'COORDINATOR')
) m(ord, at, before, after, actor)"""

_EVENTS = f"""
CREATE TEMP TABLE b_event (pokja_id uuid, i int, ord int, at timestamptz, id uuid, case_id uuid,
                           actor_user_id uuid, actor_agency_id uuid, type text, data json)
ON COMMIT DROP;
{_INTO_EVENTS}
SELECT c.pokja_id, c.i, 0, c.registered_at, pg_temp.uid('event:' || c.i || ':created'), c.id,
       {_actor("'BAWASLU'")}, 'case.created', json_build_object('after', json_build_object(
           'title', c.title, 'summary', c.summary, 'category', c.category,
           'election', c.election, 'election_kind', c.election_kind,
           'occurred_on', c.occurred_on, 'discovered_on', c.discovered_on,
           'kecamatan', c.kecamatan, 'desa', c.desa, 'source', c.source,
           'register_number', c.register_number, 'stage', 'received',
           'holder_agency_id', pg_temp.agency(c.n, 'BAWASLU'), 'violation_types', v.codes,
           'subjects', s.subjects, 'external_refs', coalesce(x.refs, '[]'),
           'reporter', CASE WHEN c.kind = 'LP' THEN json_build_object('anonymous', rp.anonymous)
                       END))
FROM b_case c
JOIN (SELECT i, json_agg(code ORDER BY code) AS codes FROM b_violation GROUP BY i) v USING (i)
JOIN (SELECT i, json_agg(json_build_object('name', name, 'identifier', identifier,
                                           'subject_type', subject_type, 'position', position,
                                           'employer_unit', employer_unit) ORDER BY seq)
             AS subjects FROM b_subject GROUP BY i) s USING (i)
LEFT JOIN (SELECT case_id, json_agg(json_build_object('system', system, 'reference', reference))
                  AS refs FROM external_refs GROUP BY case_id) x ON x.case_id = c.id
LEFT JOIN reporters rp ON rp.case_id = c.id;
{_INTO_EVENTS}
SELECT c.pokja_id, c.i, m.ord, m.at, pg_temp.uid('event:' || c.i || ':stage:' || m.ord), c.id,
       {_actor("m.actor")}, 'case.stage_changed', json_build_object(
           'before', json_build_object('stage', m.before, 'dismissal_reason',
                                       CASE WHEN m.before = 'dismissed'
                                            THEN c.dismissal_reason END),
           'after', json_build_object('stage', m.after, 'dismissal_reason',
                                      CASE WHEN m.after IN ('dismissed', 'closed')
                                           THEN c.dismissal_reason END),
           'note', NULL)
FROM b_case c CROSS JOIN LATERAL {_STAGE_MOVES} WHERE m.at IS NOT NULL;
{_INTO_EVENTS}
SELECT p.id, h.i, 20, h.created_at, pg_temp.uid('event:' || h.id || ':started'), h.case_id,
       {_actor("h.from_kind", "h.n")}, 'handoff.started', json_build_object(
           {_HANDOFF_SNAPSHOT}, 'status', 'pending',
           'reason', 'Pelimpahan untuk ditindaklanjuti sesuai kewenangan.',
           'letter_number', h.letter_number,
           'letter_date', {_LOCAL_DAY.format(t="h.created_at", tz="h.tz")},
           'due_on', h.due_day, 'override_justification', NULL)
FROM b_handoff h JOIN b_pokja p USING (n)
UNION ALL
SELECT p.id, h.i, 21, h.decided_at, pg_temp.uid('event:' || h.id || ':answered'), h.case_id,
       {_actor("h.to_kind", "h.n")}, 'handoff.' || h.status, CASE h.status
       WHEN 'accepted' THEN json_build_object({_HANDOFF_SNAPSHOT}, 'status', h.status,
           'before', json_build_object('holder_agency_id', pg_temp.agency(h.n, h.from_kind)),
           'after', json_build_object('holder_agency_id', pg_temp.agency(h.n, h.to_kind)))
       ELSE json_build_object({_HANDOFF_SNAPSHOT}, 'status', h.status,
           'decline_reason', 'not_our_authority',
           'decline_text', 'Terlapor bukan kewenangan kami; lihat saran.',
           'suggested_agency_id', pg_temp.agency(h.n, h.suggested_kind)) END
FROM b_handoff h JOIN b_pokja p USING (n) WHERE h.decided_at IS NOT NULL;
{_INTO_EVENTS}
SELECT r.pokja_id, r.i, 30, r.issued_at, pg_temp.uid('event:' || r.i || ':issued'), r.case_id,
       {_actor("'COORDINATOR'", "r.n")}, 'recommendation.issued', json_build_object(
           {_REC_SNAPSHOT}, 'status', 'issued',
           'date', {_LOCAL_DAY.format(t="r.issued_at", tz="r.tz")},
           'text', 'Direkomendasikan untuk dijatuhi sanksi sesuai ketentuan peraturan '
                   || 'perundang-undangan.')
FROM b_rec r
UNION ALL
SELECT r.pokja_id, r.i, 31, r.issued_at, pg_temp.uid('event:' || r.i || ':shared'), r.case_id,
       {_actor("'COORDINATOR'", "r.n")}, 'case.shared', json_build_object(
           'share_id', pg_temp.uid('share:' || r.i), 'agency_id', pg_temp.agency(r.n, r.addressee),
           'reason', 'Rekomendasi ' || r.number)
FROM b_rec r
UNION ALL
SELECT r.pokja_id, r.i, 32, r.completed_at, pg_temp.uid('event:' || r.i || ':completed'),
       r.case_id, {_actor("r.addressee", "r.n")}, 'recommendation.' || r.status,
       json_build_object({_REC_SNAPSHOT}, 'status', r.status, 'on_time', r.on_time,
                         'late_working_days', r.late_working_days)
FROM b_rec r WHERE r.completed_at IS NOT NULL
UNION ALL
SELECT e.pokja_id, e.i, 33, e.created_at, pg_temp.uid('event:' || e.i || ':escalated'),
       e.case_id, {_actor("'COORDINATOR'", "e.n")}, 'recommendation.escalated',
       json_build_object('recommendation_id', e.recommendation_id,
                         'escalation_id', e.escalation_id, 'kind', 'reminder',
                         'due_at', e.escalation_due_at)
FROM b_escalation e
UNION ALL
SELECT x.pokja_id, c.i, 40, x.created_at, pg_temp.uid('event:' || c.i || ':extended'), c.id,
       {_actor("'BAWASLU'")}, 'case.clock_extended', json_build_object(
           'clock', x.clock, 'extension_clock', x.extension_clock, 'reason', x.reason,
           'after', json_build_object('due_at', x.due_at))
FROM b_case c JOIN case_clock_extensions x ON x.case_id = c.id;
-- Reads of personal data (DESIGN §3), up to about events_per_case events per case.
{_INTO_EVENTS}
SELECT c.pokja_id, c.i, 100 + j,
       c.registered_at + (least(c.updated_at + interval '60 days',
                                {_AS_OF_TS.format(tz="c.tz")} - interval '1 hour')
                          - c.registered_at) * (j / (k.reads + 1.0)),
       pg_temp.uid('event:' || c.i || ':read:' || j), c.id, {_actor("k.reader")},
       'case.personal_data_viewed', json_build_object('fields',
           CASE WHEN c.kind = 'LP' AND k.reader IN ('COORDINATOR', 'BAWASLU')
                THEN json_build_array('reporter', 'subjects')
                ELSE json_build_array('subjects') END)
FROM b_case c
JOIN (SELECT i, greatest(0, %(events_per_case)s - count(*)::int
                            + floor(pg_temp.u('c:' || i || ':reads') * 5)::int - 2) AS reads
      FROM b_event GROUP BY i) n USING (i)
CROSS JOIN LATERAL generate_series(1, n.reads) j
CROSS JOIN LATERAL (SELECT n.reads, CASE WHEN pg_temp.u('c:' || c.i || ':reader:' || j) < 0.4
                                         THEN 'COORDINATOR'
                                         WHEN pg_temp.u('c:' || c.i || ':reader:' || j) < 0.7
                                         THEN 'BAWASLU' ELSE c.holder END AS reader) k
"""
_LOADED = [
    *("pokjas", "agencies", "authority_rules", "users", "cases", "subjects", "reporters"),
    *("external_refs", "case_violation_types", "handoffs", "recommendations", "shares"),
    *("escalations", "sanctions", "case_clock_extensions", "events", "event_chain_heads"),
    "register_counters",
]
_EVENT_COLUMNS = "id, pokja_id, seq, case_id, actor_user_id, actor_agency_id, type, occurred_at, "
_EVENT_COLUMNS += "data, prev_hash, hash"
_SNAPSHOT = """
CREATE SCHEMA bench;
CREATE TABLE bench.meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE bench.chain_heads AS SELECT * FROM event_chain_heads;
CREATE TABLE bench.pending_handoffs AS
SELECT h.id, h.case_id, c.holder_agency_id, c.version, c.updated_at
FROM handoffs h JOIN cases c ON c.id = h.case_id WHERE h.status = 'pending';
"""
_RESET = """
DELETE FROM events e USING bench.chain_heads h WHERE e.pokja_id = h.pokja_id AND e.seq > h.last_seq;
UPDATE event_chain_heads c SET last_seq = h.last_seq, last_hash = h.last_hash
FROM bench.chain_heads h
WHERE h.pokja_id = c.pokja_id AND (c.last_seq, c.last_hash) <> (h.last_seq, h.last_hash);
UPDATE handoffs h SET status = 'pending', decided_by_id = NULL, decided_at = NULL,
       decline_reason = NULL, decline_text = NULL, suggested_agency_id = NULL,
       withdrawn_by_id = NULL, withdrawn_at = NULL
FROM bench.pending_handoffs p WHERE h.id = p.id AND h.status <> 'pending';
UPDATE cases c SET holder_agency_id = p.holder_agency_id, version = p.version,
       updated_at = p.updated_at
FROM bench.pending_handoffs p
WHERE c.id = p.case_id AND (c.holder_agency_id, c.version) <> (p.holder_agency_id, p.version);
DELETE FROM webhook_outbox;
DELETE FROM idempotency_keys;
DELETE FROM refresh_tokens;
DELETE FROM auth_sessions;
UPDATE users SET last_login_at = NULL WHERE last_login_at IS NOT NULL;
"""


def logins(size: str) -> list[str]:
    """How to name the users of a data set of ``size`` (all share one password)."""
    last = SIZES[size].pokjas
    kinds = ", ".join(kind.lower() for kind in MEMBER_AGENCY_KINDS)
    return [
        f"coordinator-<n>, secretary-<n>, viewer-<n> for Pokja n = 1..{last} (Bawaslu's agency)",
        f"liaison-<n>-<kind> for each agency, kind one of {kinds}",
        "bench-admin (administrator)",
    ]


def _deadline_rows(as_of: date) -> Iterable[tuple[Any, ...]]:
    """b_due: when pokja's clocks started on each day run out, per zone and election kind."""
    settings = clock_settings()
    clocks = (Clock.HANDOFF_ACCEPTANCE, Clock.RECOMMENDATION_FOLLOW_UP, Clock.DECISION_EXTENSION)
    for zone in POKJA_TIMEZONES:
        calendar = PokjaCalendar(time_zone=zone)
        day = HISTORY_START - timedelta(days=10)
        while day <= as_of + timedelta(days=10):
            noon = datetime(day.year, day.month, day.day, 12, tzinfo=calendar.zone)
            for clock in clocks:
                for kind in ElectionKind:
                    due = deadline_for(calendar, settings, clock, kind, noon)
                    setting = settings[clock][kind]
                    row = (zone, day, str(clock), str(kind), due, due.date(), setting.length)
                    yield (*row, setting.unit)
            day += timedelta(days=1)


def _day_rows(as_of: date) -> Iterable[tuple[date, int]]:
    """b_day: how many working days (Indonesia's calendar) up to and including each day."""
    calendar, working = PokjaCalendar(), 0
    day = HISTORY_START - timedelta(days=10)
    while day <= as_of + timedelta(days=90):
        working += calendar.is_working_day(day)
        yield day, working
        day += timedelta(days=1)


def _copy(cur: psycopg.Cursor[Any], sql: str, rows: Iterable[tuple[Any, ...]]) -> None:
    with cur.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _rebuild_ddl(cur: psycopg.Cursor[Any]) -> tuple[list[str], list[str]]:
    """DDL that drops the loaded tables' keys and indexes and every foreign key, and the DDL
    that re-creates them from their own definitions (the migrations' schema, unchanged)."""
    fks = cur.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE contype = 'f' AND connamespace = 'public'::regnamespace"
    ).fetchall()
    keys = cur.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE contype IN ('p', 'u') AND conrelid = ANY(%s::regclass[])",
        (_LOADED,),
    ).fetchall()
    indexes = cur.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
        " WHERE indrelid = ANY(%s::regclass[]) AND NOT EXISTS"
        " (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid)",
        (_LOADED,),
    ).fetchall()
    drop = [f'ALTER TABLE {t} DROP CONSTRAINT "{name}"' for t, name, _ in fks]
    drop += [f"DROP INDEX {name}" for name, _ in indexes]
    drop += [f'ALTER TABLE {t} DROP CONSTRAINT "{name}"' for t, name, _ in keys]
    create = [f'ALTER TABLE {t} ADD CONSTRAINT "{name}" {ddl}' for t, name, ddl in keys]
    create += [ddl for _, ddl in indexes]
    create += [f'ALTER TABLE {t} ADD CONSTRAINT "{name}" {ddl}' for t, name, ddl in fks]
    return drop, create


def _chain_events(conn: psycopg.Connection[Any]) -> int:
    """Number b_event per Pokja in time order, hash-chain them as :func:`pokja.events.record`
    does, and COPY them into ``events``; then the chain heads. Returns the number of events."""
    heads: list[tuple[Any, int, str]] = []
    pokja_id, seq, prev = None, 0, events.GENESIS_HASH
    with conn.cursor(name="bench_events") as source, conn.cursor() as target:
        source.execute(
            "SELECT pokja_id, id, case_id, actor_user_id, actor_agency_id, type, at, data::text"
            " FROM b_event ORDER BY pokja_id, at, i, ord"
        )
        while rows := source.fetchmany(20_000):
            batch = []
            for pid, event_id, case_id, user_id, agency_id, kind, at, text in rows:
                if pid != pokja_id:
                    if pokja_id is not None:
                        heads.append((pokja_id, seq, prev))
                    pokja_id, seq, prev = pid, 0, events.GENESIS_HASH
                seq += 1
                data = json.loads(text)
                digest = events.compute_hash(
                    id=event_id,
                    pokja_id=pid,
                    seq=seq,
                    case_id=case_id,
                    actor_user_id=user_id,
                    actor_agency_id=agency_id,
                    type=kind,
                    occurred_at=at,
                    data=data,
                    prev_hash=prev,
                )
                row = (event_id, pid, seq, case_id, user_id, agency_id, kind, at, json.dumps(data))
                batch.append((*row, prev, digest))
                prev = digest
            _copy(target, f"COPY events ({_EVENT_COLUMNS}) FROM STDIN", batch)
        if pokja_id is not None:
            heads.append((pokja_id, seq, prev))
        sql = "COPY event_chain_heads (pokja_id, last_seq, last_hash) FROM STDIN"
        _copy(target, sql, heads)
    return sum(seq for _, seq, _ in heads)


def _password_hash(password: str) -> str:
    """One argon2 hash for every user, by pokja's own hasher and profile (so that no login
    re-hashes), with a salt from the seed so that the users' rows are the same on every run."""
    hasher = auth._hasher_for(current_app.config.get("ARGON2_PROFILE", "RFC_9106_LOW_MEMORY"))
    return hasher.hash(password, salt=hashlib.sha256(SEED.encode()).digest()[:16])


def _counts(cur: psycopg.Cursor[Any]) -> dict[str, int]:
    tables: tuple[str, ...] = ("pokjas", "agencies", "users", "cases", "subjects", "handoffs")
    tables += ("recommendations", "events")
    sql = ", ".join(f"(SELECT count(*) FROM {t})" for t in tables)
    return dict(zip(tables, cur.execute(f"SELECT {sql}").fetchone() or (), strict=True))


def generate(
    database_url: str,
    size: str,
    *,
    as_of: date = DEFAULT_AS_OF,
    password: str = DEFAULT_PASSWORD,
    replace: bool = False,
    log: Callable[[str], None] = print,
) -> dict[str, int]:
    """Fill the (migrated) PostgreSQL database at ``database_url`` with a data set of ``size``;
    refuses a database that has Pokjas or users unless ``replace``. Returns row counts."""
    spec = SIZES[size]
    params = {"pokjas": spec.pokjas, "cases": spec.cases, "as_of": as_of}
    params |= {"events_per_case": spec.events_per_case, "hash": _password_hash(password)}
    started = time.monotonic()
    with psycopg.connect(database_url, cursor_factory=psycopg.ClientCursor) as conn:
        cur = conn.cursor()
        cur.execute("SET TIME ZONE 'UTC'")
        filled = "SELECT EXISTS (SELECT FROM pokjas) OR EXISTS (SELECT FROM users)"
        if cur.execute(filled).fetchone() != (False,):
            if not replace:
                raise NotEmpty("The database has Pokjas or users already (--replace empties it).")
            tables = cur.execute(
                "SELECT string_agg(quote_ident(tablename), ', ') FROM pg_tables"
                " WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
            ).fetchone()
            cur.execute(f"TRUNCATE {tables[0] if tables else ''} CASCADE")
        cur.execute("DROP SCHEMA IF EXISTS bench CASCADE")
        cur.execute(_SETUP)
        _copy(cur, "COPY b_due FROM STDIN", _deadline_rows(as_of))
        _copy(cur, "COPY b_day FROM STDIN", _day_rows(as_of))
        drop, create = _rebuild_ddl(cur)
        for ddl in drop:
            cur.execute(ddl)
        for label, sql in _DIRECTORY + _CASES + _CHILDREN + _FOLLOW_UP + [("events", _EVENTS)]:
            step = time.monotonic()
            cur.execute(sql, params)
            log(f"  {label:<40} {time.monotonic() - step:6.1f} s")
        step = time.monotonic()
        chained = _chain_events(conn)
        log(f"  {'hash chain of ' + str(chained) + ' events':<40} {time.monotonic() - step:6.1f} s")
        step = time.monotonic()
        for ddl in create:
            cur.execute(ddl)
        log(
            f"  {f'{len(create)} keys, indexes, foreign keys':<40} {time.monotonic() - step:6.1f} s"
        )
        cur.execute(_SNAPSHOT)
        meta = {"size": size, "seed": SEED, "seed_version": SEED_VERSION, "as_of": str(as_of)}
        meta |= {"generated_at": datetime.now(UTC).isoformat(timespec="seconds")}
        meta |= {"logins": "; ".join(logins(size))}
        cur.executemany("INSERT INTO bench.meta VALUES (%s, %s)", list(meta.items()))
        conn.commit()
        conn.autocommit = True
        step = time.monotonic()
        cur.execute("VACUUM (ANALYZE)")
        log(f"  {'vacuum analyze':<40} {time.monotonic() - step:6.1f} s")
        counts = _counts(cur)
    log(f"  {'in all':<40} {time.monotonic() - started:6.1f} s")
    return counts


def reset_writes(database_url: str) -> int:
    """Undo what a benchmark run wrote since :func:`generate`: events after the generated
    chain heads (reads log events), answered pending handoffs and their cases, outbox and
    idempotency rows, login sessions. Returns how many events were removed."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        with conn.transaction():
            before = conn.execute("SELECT count(*) FROM events").fetchone()
            conn.execute(_RESET)
            after = conn.execute("SELECT count(*) FROM events").fetchone()
        for table in ("events", "event_chain_heads", "handoffs", "cases", "auth_sessions"):
            conn.execute(f"VACUUM (ANALYZE) {table}")
    return (before or (0,))[0] - (after or (0,))[0]
