"""The benchmark's cases (stage, holder, register number, dates), as bulk SQL."""

from __future__ import annotations

from pokja.cases import register
from pokja.demo.bench.vocabulary import (
    DESA,
    HISTORY_START,
    KECAMATAN,
    LOCAL_DAY,
    ROMAN,
    SUBJECTS,
    TYPE_WEIGHTS,
    VIOLATIONS,
    array,
    by,
    lit,
    pick,
    register_number_sql,
    weighted,
)
from pokja.models import DISMISSAL_REASONS

# National mix at the end of an election cycle: 40 % of the cases still open.
STAGE_WEIGHTS = [("received", 8), ("examination", 14), ("recommended", 8), ("forwarded", 10)]
STAGE_WEIGHTS += [("decided", 12), ("dismissed", 16), ("closed", 32)]
SOURCE_WEIGHTS = [("report", 45), ("complaint_post", 10), ("finding", 35), ("referral", 10)]
CATEGORY_WEIGHTS = [("neutrality", 70), ("administrative", 15), ("election_crime", 10)]
CATEGORY_WEIGHTS += [("other_law", 5)]


def u(name: str) -> str:
    """A case's own random number for ``name`` (column ``i`` is the case's index)."""
    return f"pg_temp.u('c:' || i || ':{name}')"


def days(name: str, low: int, high: int) -> str:
    return f"make_interval(days => {low} + floor({u(name)} * {high - low + 1})::int)"


CASES = [
    (
        "cases (staging)",
        f"""
CREATE TEMP TABLE b_case0 ON COMMIT DROP AS
WITH a AS MATERIALIZED (
    SELECT i, p.n, p.id AS pokja_id, p.tz, p.level, p.place, p.region_code,
           {weighted(u("stage"), STAGE_WEIGHTS)} AS stage0,
           {weighted(u("source"), SOURCE_WEIGHTS)} AS source,
           {weighted(u("category"), CATEGORY_WEIGHTS)} AS category,
           {weighted(u("type"), TYPE_WEIGHTS)} AS first_type, {u("target")} AS r_target,
           {u("route")} AS r_route
    FROM generate_series(1, %(cases)s) i
    JOIN b_pokja p ON p.n = 1 + least(%(pokjas)s - 1,
                                      floor(%(pokjas)s * power({u("pokja")}, 1.5))::int)
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
            WHEN 'received' THEN 1 + floor({u("when")} * 20)
            WHEN 'examination' THEN 4 + floor({u("when")} * 86)
            WHEN 'recommended' THEN 24 + floor({u("when")} * 156)
            WHEN 'forwarded' THEN 24 + floor({u("when")} * 156)
            ELSE 120 + floor({u("when")}
                             * (%(as_of)s::date - {lit(str(HISTORY_START))}::date - 120))
            END::int AS reg_day
    FROM c
), t AS MATERIALIZED (
    SELECT r.*,
           (reg_day + time '08:00' + make_interval(secs => floor({u("hour")} * 28800)))
           AT TIME ZONE tz AS registered_at,
           stage <> 'received' AND NOT (route = 'dis' AND {u("direct")} < 0.4) AS via_exam
    FROM r
), t1 AS MATERIALIZED (
    SELECT t.*, CASE WHEN via_exam THEN registered_at + {days("t1", 1, 3)} END AS t_exam FROM t
), t2 AS MATERIALIZED (
    SELECT t1.*,
           CASE WHEN route IN ('rec', 'fwd') THEN t_exam + {days("t2", 5, 20)} END AS t_mid,
           CASE WHEN route = 'dis' THEN coalesce(t_exam, registered_at) + {days("t2", 2, 10)}
                END AS t_dis
    FROM t1
), t3 AS MATERIALIZED (
    SELECT t2.*, CASE WHEN stage IN ('decided', 'closed') AND route <> 'dis'
                      THEN t_mid + {days("t3", 10, 40)} END AS t_dec
    FROM t2
)
SELECT t3.*,
       CASE WHEN stage = 'closed' THEN coalesce(t_dec, t_dis) + {days("t4", 5, 30)} END AS t_close,
       pg_temp.uid('case:' || i) AS id,
       CASE WHEN route = 'fwd' THEN target ELSE 'BAWASLU' END AS holder,
       CASE WHEN source IN ('report', 'complaint_post') THEN 'LP' ELSE 'TM' END AS kind,
       1 + floor({u("subjects")} * 3)::int AS n_subjects,
       floor({u("violation")} * {len(VIOLATIONS)})::int AS violation,
       {pick(KECAMATAN, u("kecamatan"))} AS kecamatan, {pick(DESA, u("desa"))} AS desa,
       CASE WHEN route = 'dis' THEN {pick(DISMISSAL_REASONS, u("reason"))} END
       AS dismissal_reason,
       CASE WHEN stage IN ('examination', 'recommended') AND target IS NOT NULL
                 AND {u("pending")} < 0.25 THEN 'send'
            WHEN stage = 'forwarded' AND {u("pending")} < 0.05 THEN 'return' END AS pending,
       {u("extension")} < 0.03 AND stage IN ('received', 'examination') AS extended,
       registered_at < timestamptz '2024-06-01 00:00+07' AS pemilu
FROM t3""",
    ),
    (
        "cases",
        f"""
CREATE TEMP TABLE b_case ON COMMIT DROP AS
SELECT c.*, {register_number_sql()} AS register_number,
       CASE WHEN pemilu THEN 'pemilu-2024' ELSE 'pilkada-2024' END AS election,
       CASE WHEN pemilu THEN 'pemilu' ELSE 'pilkada' END AS election_kind,
       'Dugaan ' || ({array(v[0] for v in VIOLATIONS)})[1 + violation] || ' oleh '
       || {by("first_type", {k: lit(v[1]) for k, v in SUBJECTS.items()})}
       || ' di Kecamatan ' || kecamatan AS title,
       CASE WHEN kind = 'LP' THEN 'Laporan masyarakat' ELSE 'Temuan pengawas pemilu' END
       || ' di Desa ' || desa || ', Kecamatan ' || kecamatan || ': '
       || ({array(v[0] for v in VIOLATIONS)})[1 + violation] || '.' AS summary,
       local_day - (2 + floor({u("occurred")} * 12))::int AS occurred_on,
       local_day - (2 + floor({u("occurred")} * 12))::int + floor({u("known")} * 3)::int
       AS discovered_on,
       GREATEST(registered_at, t_exam, t_mid, t_dis, t_dec, t_close) AS updated_at,
       1 + via_exam::int + (t_mid IS NOT NULL)::int + (t_dis IS NOT NULL)::int
       + (t_dec IS NOT NULL)::int + (t_close IS NOT NULL)::int + (route = 'fwd')::int AS version
FROM (SELECT c0.*, {LOCAL_DAY.format(t="registered_at", tz="tz")} AS local_day,
             extract(year FROM registered_at AT TIME ZONE tz)::int AS year,
             extract(month FROM registered_at AT TIME ZONE tz)::int AS month,
             ({ROMAN})[extract(month FROM registered_at AT TIME ZONE tz)::int] AS roman_month,
             {by("level", {k: lit(v) for k, v in register.LEVEL_ABBREVIATIONS.items()})}
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
