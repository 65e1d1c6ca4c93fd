"""The benchmark's recommendations, escalations and sanctions, as bulk SQL."""

from __future__ import annotations

from pokja.demo.bench.cases_sql import u
from pokja.demo.bench.children_sql import due
from pokja.demo.bench.vocabulary import AS_OF_TS, LOCAL_DAY, ROMAN, values
from pokja.followup.sanctions import SANCTION_KINDS, allowed_kinds
from pokja.models import SUBJECT_TYPES
from pokja.time.catalogue import Clock

SANCTION_CHOICES = {t: [c for c in allowed_kinds(t) if c != "no_sanction"] for t in SUBJECT_TYPES}
SANCTIONS = values(
    (subject_type, k, code, SANCTION_KINDS[code].level, len(codes))
    for subject_type, codes in SANCTION_CHOICES.items()
    for k, code in enumerate(codes)
)
REC_NUMBER = (
    "lpad((1 + mod(i * 13, 997))::text, 3, '0') || '/PM.00.02/K.BW-' || region_code || '/'"
    f" || ({ROMAN})[extract(month FROM {{t}} AT TIME ZONE tz)::int] || '/'"
    " || extract(year FROM {t} AT TIME ZONE tz)"
)

FOLLOW_UP = [
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
             t_mid AS issued_at, t_dec AS completed_at, {REC_NUMBER.format(t="t_mid")} AS number,
             CASE WHEN t_dec IS NULL THEN 'issued' WHEN {u("rejected")} < 0.08 THEN 'rejected'
                  ELSE 'followed_up' END AS status
      FROM b_case WHERE route = 'rec') r
{due("d", "r.tz", "r.issued_at", Clock.RECOMMENDATION_FOLLOW_UP, "r.election_kind")}
JOIN b_day due ON due.day = {LOCAL_DAY.format(t="d.due_at", tz="r.tz")}
LEFT JOIN b_day done ON done.day = {LOCAL_DAY.format(t="r.completed_at", tz="r.tz")};
INSERT INTO recommendations (id, pokja_id, case_id, issuing_agency_id, addressee_agency_id,
                             number, date, text, issued_at, follow_up_due_at, due_unit, status,
                             issued_by_id, completed_at, completed_by_id, outcome_note, reasons,
                             on_time, late_working_days, created_at, updated_at, version)
SELECT id, pokja_id, case_id, pg_temp.agency(n, 'BAWASLU'), pg_temp.agency(n, addressee), number,
       {LOCAL_DAY.format(t="issued_at", tz="tz")},
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
             (({LOCAL_DAY.format(t="r.due_at", tz="r.tz")} + 3) + time '10:00') AT TIME ZONE r.tz
             AS created_at
      FROM b_rec r
      WHERE r.status = 'issued' AND r.due_at < {AS_OF_TS.format(tz="r.tz")} - interval '7 days'
            AND pg_temp.u('c:' || r.i || ':escalated') < 0.4) r
{due("d", "r.tz", "r.created_at", Clock.RECOMMENDATION_FOLLOW_UP, "r.election_kind")};
INSERT INTO escalations (id, pokja_id, recommendation_id, case_id, kind, letter_number, date,
                         addressee, text, due_at, due_unit, created_by_id, created_at)
SELECT e.escalation_id, e.pokja_id, e.recommendation_id, e.case_id, 'reminder',
       lpad((1 + mod(e.i * 17, 997))::text, 3, '0') || '/PM.00.02/K.BW',
       {LOCAL_DAY.format(t="e.created_at", tz="e.tz")}, a.name,
       'Pengingat tindak lanjut rekomendasi.', e.escalation_due_at, e.escalation_unit,
       pg_temp.coordinator(e.n), e.created_at
FROM b_escalation e JOIN b_agency a ON a.n = e.n AND a.kind = e.addressee ORDER BY e.i;
INSERT INTO sanctions (id, pokja_id, case_id, subject_id, recommendation_id, level, kind,
                       decree_number, decree_date, deciding_agency_id, created_by_id, created_at)
SELECT pg_temp.uid('sanction:' || r.i), r.pokja_id, r.case_id,
       pg_temp.uid('subject:' || r.i || ':0'), r.id, s.level, s.kind,
       'KEP-' || lpad(r.i::text, 6, '0'), {LOCAL_DAY.format(t="r.completed_at", tz="r.tz")},
       pg_temp.agency(r.n, r.addressee), pg_temp.liaison(r.n, r.addressee), r.completed_at
FROM b_rec r
JOIN ({SANCTIONS}) s(subject_type, k, kind, level, choices) ON s.subject_type = r.first_type
     AND s.k = floor(pg_temp.u('c:' || r.i || ':sanction') * s.choices)
WHERE r.status = 'followed_up' ORDER BY r.i;
INSERT INTO case_clock_extensions (id, pokja_id, case_id, clock, extension_clock, length, unit,
                                   due_at, reason, created_by_id, created_at)
SELECT pg_temp.uid('extension:' || c.i), c.pokja_id, c.id, '{Clock.DECISION}',
       '{Clock.DECISION_EXTENSION}', d.length, d.unit, d.due_at,
       'Menunggu keterangan tambahan dari pelapor.', pg_temp.liaison(c.n, 'BAWASLU'),
       c.registered_at + interval '1 hour'
FROM b_case c
{due("d", "c.tz", "c.registered_at", Clock.DECISION_EXTENSION, "c.election_kind")}
WHERE c.extended ORDER BY c.i""",
    ),
]
