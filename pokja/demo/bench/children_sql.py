"""What hangs off the benchmark's cases: subjects, reporters, violation types, handoffs and
shares, as bulk SQL."""

from __future__ import annotations

from pokja.demo.bench.cases_sql import u
from pokja.demo.bench.vocabulary import (
    FAMILY,
    GIVEN,
    LOCAL_DAY,
    PURPOSES,
    ROMAN,
    SUBJECTS,
    TYPE_WEIGHTS,
    VIOLATIONS,
    array,
    by,
    lit,
    pick,
    weighted,
)
from pokja.time.catalogue import Clock


def s(name: str) -> str:
    """A subject's own random number (columns ``i``, ``seq``)."""
    return f"pg_temp.u('s:' || i || ':' || seq || ':{name}')"


def due(alias: str, tz: str, moment: str, clock: Clock, kind: str) -> str:
    """Join the deadline of ``clock`` started at ``moment`` (pokja's own clocks, see b_due)."""
    day = LOCAL_DAY.format(t=moment, tz=tz)
    return (
        f"JOIN b_due {alias} ON {alias}.tz = {tz} AND {alias}.day = {day}"
        f" AND {alias}.clock = '{clock}' AND {alias}.kind = {kind}"
    )


POSITIONS = {kind: pick(spec[2], s("position")) for kind, spec in SUBJECTS.items()}
UNITS = {kind: f"{lit(spec[3] + ' ')} || c.place" for kind, spec in SUBJECTS.items()}
IDENTIFIERS = {
    # NIP: birth date, appointment month, sex, sequence; NRP for soldiers and police; else NIK.
    "civil": f"to_char(date '1965-01-01' + floor({s('born')} * 12000)::int, 'YYYYMMDD')"
    f" || to_char(date '1990-01-01' + floor({s('tmt')} * 9000)::int, 'YYYYMM')"
    f" || (1 + floor({s('sex')} * 2))::int || lpad(floor({s('nip')} * 1000)::text, 3, '0')",
    "uniformed": f"lpad(floor({s('nrp')} * 100000000)::bigint::text, 8, '0')",
    "other": f"region_digits || lpad(floor({s('nik')} * 10000000000)::bigint::text, 10, '0')",
}
PURPOSE = by("{kind}", {k: lit(v) for k, v in PURPOSES.items()}, "'follow_up'")

CHILDREN = [
    (
        "subjects",
        f"""
CREATE TEMP TABLE b_subject ON COMMIT DROP AS
WITH c AS MATERIALIZED (
    SELECT c.i, s.seq, c.id AS case_id, c.registered_at, c.place,
           replace(c.region_code, '.', '') AS region_digits,
           CASE WHEN s.seq = 0 OR pg_temp.u('s:' || c.i || ':' || s.seq || ':same') < 0.7
                THEN c.first_type
                ELSE {weighted("pg_temp.u('s:' || c.i || ':' || s.seq || ':type')", TYPE_WEIGHTS)}
                END AS subject_type
    FROM b_case c CROSS JOIN LATERAL generate_series(0, c.n_subjects - 1) s(seq)
)
SELECT i, seq, pg_temp.uid('subject:' || i || ':' || seq) AS id, case_id, registered_at,
       subject_type,
       {pick(GIVEN, s("given"))} || ' ' || {pick(FAMILY, s("family"))} AS name,
       CASE WHEN subject_type IN ('pns', 'pppk') THEN {IDENTIFIERS["civil"]}
            WHEN subject_type IN ('tni', 'polri') THEN {IDENTIFIERS["uniformed"]}
            ELSE {IDENTIFIERS["other"]} END AS identifier,
       {by("subject_type", POSITIONS)} AS position, {by("subject_type", UNITS)} AS employer_unit
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
FROM (SELECT c.*, {u("anonymous")} < 0.1 AS anonymous,
             {pick(GIVEN, u("reporter_given"))} || ' ' || {pick(FAMILY, u("reporter_family"))}
             AS name, '08' || lpad(floor({u("phone")} * 10000000000)::bigint::text, 10, '0')
             AS contact
      FROM b_case c WHERE kind = 'LP') c
ORDER BY i;
INSERT INTO external_refs (id, pokja_id, case_id, system, reference, created_at)
SELECT pg_temp.uid('ref:' || i), pokja_id, id, 'SIGAPLAPOR',
       'SGP-' || year || '-' || lpad(i::text, 6, '0'), registered_at
FROM b_case WHERE kind = 'LP' AND {u("sigaplapor")} < 0.3 ORDER BY i;
CREATE TEMP TABLE b_violation ON COMMIT DROP AS
SELECT i, id AS case_id, ({array(v[1] for v in VIOLATIONS)})[1 + violation] AS code FROM b_case
UNION ALL
SELECT i, id, ({array(v[1] for v in VIOLATIONS)})[1 + mod(violation + 1
       + floor({u("second")} * {len(VIOLATIONS) - 1})::int, {len(VIOLATIONS)})]
FROM b_case WHERE {u("two_types")} < 0.2;
INSERT INTO case_violation_types (case_id, code) SELECT case_id, code FROM b_violation""",
    ),
    (
        "handoffs",
        f"""
CREATE TEMP TABLE b_handoff ON COMMIT DROP AS
SELECT h.*, d.due_day, lpad((1 + mod(h.i * 7, 997))::text, 3, '0') || '/PP.01.00/K.BW-'
       || h.region_code || '/'
       || ({ROMAN})[extract(month FROM h.created_at AT TIME ZONE h.tz)::int]
       || '/' || extract(year FROM h.created_at AT TIME ZONE h.tz) AS letter_number
FROM (
    -- A tenth of the handoffs to BKPSDM or the Inspectorate first went to the other one.
    SELECT i, n, id AS case_id, tz, region_code, election_kind, 'declined' AS status,
           pg_temp.uid('handoff:declined:' || i) AS id, 'BAWASLU' AS from_kind,
           CASE target WHEN 'BKDPSDM' THEN 'INSPEKTORAT' ELSE 'BKDPSDM' END AS to_kind,
           'follow_up' AS purpose, target AS suggested_kind,
           t_mid - interval '4 days' AS created_at, t_mid - interval '3 days' AS decided_at
    FROM b_case WHERE route = 'fwd' AND target IN ('BKDPSDM', 'INSPEKTORAT')
                      AND {u("declined")} < 0.15
    UNION ALL
    SELECT i, n, id, tz, region_code, election_kind, 'accepted',
           pg_temp.uid('handoff:accepted:' || i),
           'BAWASLU', target, {PURPOSE.format(kind="target")}, NULL,
           t_mid - interval '2 days', t_mid - interval '1 day'
    FROM b_case WHERE route = 'fwd'
    UNION ALL
    -- Sent within the last 12 days: about half are past their 3 working days.
    SELECT i, n, id, tz, region_code, election_kind, 'pending',
           pg_temp.uid('handoff:pending:' || i),
           CASE pending WHEN 'send' THEN 'BAWASLU' ELSE target END,
           CASE pending WHEN 'send' THEN target ELSE 'BAWASLU' END,
           CASE pending WHEN 'send' THEN {PURPOSE.format(kind="target")} ELSE 'return' END, NULL,
           GREATEST(updated_at + interval '2 hours',
                    ((%(as_of)s::date - 1 - floor({u("sent")} * 12)::int) + time '08:00'
                     + make_interval(secs => floor({u("sent_at")} * 28800))) AT TIME ZONE tz),
           NULL
    FROM b_case WHERE pending IS NOT NULL
) h {due("d", "h.tz", "h.created_at", Clock.HANDOFF_ACCEPTANCE, "h.election_kind")};
INSERT INTO handoffs (id, pokja_id, case_id, from_agency_id, to_agency_id, purpose, reason,
                      letter_number, letter_date, status, due_on, decline_reason, decline_text,
                      suggested_agency_id, override_justification, created_by_id, created_at,
                      decided_by_id, decided_at, withdrawn_by_id, withdrawn_at)
SELECT h.id, p.id, h.case_id, pg_temp.agency(h.n, from_kind), pg_temp.agency(h.n, to_kind),
       purpose, 'Pelimpahan untuk ditindaklanjuti sesuai kewenangan.', letter_number,
       {LOCAL_DAY.format(t="h.created_at", tz="h.tz")}, status, due_day,
       CASE WHEN status = 'declined' THEN 'not_our_authority' END,
       CASE WHEN status = 'declined' THEN 'Terlapor bukan kewenangan kami; lihat saran.' END,
       pg_temp.agency(h.n, suggested_kind), NULL, pg_temp.liaison(h.n, from_kind), created_at,
       CASE WHEN decided_at IS NOT NULL THEN pg_temp.liaison(h.n, to_kind) END, decided_at,
       NULL, NULL
FROM b_handoff h JOIN b_pokja p USING (n) ORDER BY h.i, h.created_at""",
    ),
]
