"""The benchmark's Pokjas, agencies, authority rules and users, as bulk SQL."""

from __future__ import annotations

from pokja.access.rules import DEFAULT_RULES
from pokja.demo.bench.vocabulary import (
    CREATED,
    FAMILY,
    GIVEN,
    PLACES,
    ROLE_LABELS,
    SEED,
    ZONES,
    array,
    by,
    lit,
    pick,
    values,
)
from pokja.models import MEMBER_AGENCY_KINDS

SETUP = f"""
SET LOCAL work_mem = '256MB';
SET LOCAL maintenance_work_mem = '512MB';
-- The staging tables have no statistics until analyzed; compiling plans for the millions of
-- rows guessed costs more than running them.
SET LOCAL jit = off;
CREATE FUNCTION pg_temp.u(key text) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT ('x' || substr(md5({lit(SEED)} || key), 1, 13))::bit(52)::bigint / 4503599627370496.0 $$;
CREATE FUNCTION pg_temp.uid(key text) RETURNS uuid LANGUAGE sql IMMUTABLE AS
$$ SELECT md5({lit(SEED)} || key)::uuid $$;
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

DIRECTORY = [
    (
        "pokjas",
        f"""
CREATE TEMP TABLE b_pokja ON COMMIT DROP AS
SELECT n, pg_temp.uid('pokja:' || n) AS id, level, place, tz, region_code,
       initcap(level) || ' ' || place AS region_name
FROM (SELECT n, CASE WHEN mod(n, 5) = 0 THEN 'kota' ELSE 'kabupaten' END AS level,
             ({array(PLACES[0])})[1 + mod(n - 1, {len(PLACES[0])})] || ' '
             || ({array(PLACES[1])})[1 + mod((n - 1) / {len(PLACES[0])}, {len(PLACES[1])})]
             AS place,
             ({array(ZONES)})[1 + mod(n - 1, {len(ZONES)})] AS tz,
             (11 + mod(n - 1, {len(ZONES)})) || '.' || lpad((1 + (n - 1) / {len(ZONES)})::text,
             2, '0') AS region_code
      FROM generate_series(1, %(pokjas)s) n) p;
INSERT INTO pokjas (id, name, region_code, region_name, level, timezone, locale, active,
                    register_format, clock_overrides, violation_tracks, created_at, updated_at,
                    version)
SELECT id, 'Pokja Netralitas ASN, TNI dan Polri ' || region_name, region_code, region_name,
       level, tz, 'id', true, NULL, '{{}}', '{{}}', {CREATED}, {CREATED}, 1
FROM b_pokja ORDER BY n""",
    ),
    (
        "agencies",
        f"""
CREATE TEMP TABLE b_agency ON COMMIT DROP AS
SELECT p.n, k.kind, pg_temp.agency(p.n, k.kind) AS id,
       {
            by(
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
FROM b_pokja p CROSS JOIN unnest({array(MEMBER_AGENCY_KINDS)}) k(kind);
INSERT INTO agencies (id, pokja_id, kind, name, valid_from, valid_to, active, created_at,
                      updated_at, version)
SELECT a.id, p.id, a.kind, a.name, NULL, NULL, true, {CREATED}, {CREATED}, 1
FROM b_agency a JOIN b_pokja p USING (n) ORDER BY a.n, a.kind""",
    ),
    (
        "authority_rules",
        f"""
INSERT INTO authority_rules (id, pokja_id, subject_type, category, agency_kind, created_at)
SELECT pg_temp.uid('rule:' || p.n || ':' || r.i), p.id, r.subject_type, r.category,
       r.agency_kind, {CREATED}
FROM b_pokja p CROSS JOIN ({
            values((i, *rule) for i, rule in enumerate(DEFAULT_RULES, 1))
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
       {pick(GIVEN, "pg_temp.u('given:' || u.username)")} || ' '
       || {pick(FAMILY, "pg_temp.u('family:' || u.username)")} || ' ('
       || coalesce({by("u.role", {k: lit(v) for k, v in ROLE_LABELS.items()})},
                   'Penghubung ' || u.kind) || ')',
       %(hash)s, u.role, p.id, pg_temp.agency(u.n, u.kind), true, NULL::timestamptz,
       {CREATED}, {CREATED}, 1
FROM b_user u JOIN b_pokja p USING (n)
UNION ALL
SELECT pg_temp.uid('user:admin'), 'bench-admin', 'Administrator Benchmark', %(hash)s, 'admin',
       NULL, NULL, true, NULL, {CREATED}, {CREATED}, 1""",
    ),
]
