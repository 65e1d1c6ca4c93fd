"""The benchmark's events (the history of each case) and what undoes a benchmark run's writes,
as bulk SQL."""

from __future__ import annotations

from pokja.demo.bench.vocabulary import AS_OF_TS, LOCAL_DAY


def actor(kind: str, n: str = "c.n") -> str:
    """``actor_user_id, actor_agency_id`` of an agency's liaison (``'COORDINATOR'``: Bawaslu's
    coordinator), for b_event."""
    user = f"CASE WHEN {kind} = 'COORDINATOR' THEN pg_temp.coordinator({n})"
    user += f" ELSE pg_temp.liaison({n}, {kind}) END"
    agency = f"pg_temp.agency({n}, CASE WHEN {kind} = 'COORDINATOR' THEN 'BAWASLU' ELSE {kind} END)"
    return f"{user}, {agency}"


INTO_EVENTS = "INSERT INTO b_event (pokja_id, i, ord, at, id, case_id, actor_user_id, "
INTO_EVENTS += "actor_agency_id, type, data)"
HANDOFF_SNAPSHOT = (
    "'handoff_id', h.id, 'from_agency_id', pg_temp.agency(h.n, h.from_kind), "
    "'to_agency_id', pg_temp.agency(h.n, h.to_kind), 'purpose', h.purpose"
)
REC_SNAPSHOT = (
    "'recommendation_id', r.id, 'issuing_agency_id', pg_temp.agency(r.n, 'BAWASLU'), "
    "'addressee_agency_id', pg_temp.agency(r.n, r.addressee), 'number', r.number, "
    "'follow_up_due_at', r.due_at"
)
STAGE_MOVES = """(VALUES
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

EVENTS = f"""
CREATE TEMP TABLE b_event (pokja_id uuid, i int, ord int, at timestamptz, id uuid, case_id uuid,
                           actor_user_id uuid, actor_agency_id uuid, type text, data json)
ON COMMIT DROP;
{INTO_EVENTS}
SELECT c.pokja_id, c.i, 0, c.registered_at, pg_temp.uid('event:' || c.i || ':created'), c.id,
       {actor("'BAWASLU'")}, 'case.created', json_build_object('after', json_build_object(
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
{INTO_EVENTS}
SELECT c.pokja_id, c.i, m.ord, m.at, pg_temp.uid('event:' || c.i || ':stage:' || m.ord), c.id,
       {actor("m.actor")}, 'case.stage_changed', json_build_object(
           'before', json_build_object('stage', m.before, 'dismissal_reason',
                                       CASE WHEN m.before = 'dismissed'
                                            THEN c.dismissal_reason END),
           'after', json_build_object('stage', m.after, 'dismissal_reason',
                                      CASE WHEN m.after IN ('dismissed', 'closed')
                                           THEN c.dismissal_reason END),
           'note', NULL)
FROM b_case c CROSS JOIN LATERAL {STAGE_MOVES} WHERE m.at IS NOT NULL;
{INTO_EVENTS}
SELECT p.id, h.i, 20, h.created_at, pg_temp.uid('event:' || h.id || ':started'), h.case_id,
       {actor("h.from_kind", "h.n")}, 'handoff.started', json_build_object(
           {HANDOFF_SNAPSHOT}, 'status', 'pending',
           'reason', 'Pelimpahan untuk ditindaklanjuti sesuai kewenangan.',
           'letter_number', h.letter_number,
           'letter_date', {LOCAL_DAY.format(t="h.created_at", tz="h.tz")},
           'due_on', h.due_day, 'override_justification', NULL)
FROM b_handoff h JOIN b_pokja p USING (n)
UNION ALL
SELECT p.id, h.i, 21, h.decided_at, pg_temp.uid('event:' || h.id || ':answered'), h.case_id,
       {actor("h.to_kind", "h.n")}, 'handoff.' || h.status, CASE h.status
       WHEN 'accepted' THEN json_build_object({HANDOFF_SNAPSHOT}, 'status', h.status,
           'before', json_build_object('holder_agency_id', pg_temp.agency(h.n, h.from_kind)),
           'after', json_build_object('holder_agency_id', pg_temp.agency(h.n, h.to_kind)))
       ELSE json_build_object({HANDOFF_SNAPSHOT}, 'status', h.status,
           'decline_reason', 'not_our_authority',
           'decline_text', 'Terlapor bukan kewenangan kami; lihat saran.',
           'suggested_agency_id', pg_temp.agency(h.n, h.suggested_kind)) END
FROM b_handoff h JOIN b_pokja p USING (n) WHERE h.decided_at IS NOT NULL;
{INTO_EVENTS}
SELECT r.pokja_id, r.i, 30, r.issued_at, pg_temp.uid('event:' || r.i || ':issued'), r.case_id,
       {actor("'COORDINATOR'", "r.n")}, 'recommendation.issued', json_build_object(
           {REC_SNAPSHOT}, 'status', 'issued',
           'date', {LOCAL_DAY.format(t="r.issued_at", tz="r.tz")},
           'text', 'Direkomendasikan untuk dijatuhi sanksi sesuai ketentuan peraturan '
                   || 'perundang-undangan.')
FROM b_rec r
UNION ALL
SELECT r.pokja_id, r.i, 31, r.issued_at, pg_temp.uid('event:' || r.i || ':shared'), r.case_id,
       {actor("'COORDINATOR'", "r.n")}, 'case.shared', json_build_object(
           'share_id', pg_temp.uid('share:' || r.i), 'agency_id', pg_temp.agency(r.n, r.addressee),
           'reason', 'Rekomendasi ' || r.number)
FROM b_rec r
UNION ALL
SELECT r.pokja_id, r.i, 32, r.completed_at, pg_temp.uid('event:' || r.i || ':completed'),
       r.case_id, {actor("r.addressee", "r.n")}, 'recommendation.' || r.status,
       json_build_object({REC_SNAPSHOT}, 'status', r.status, 'on_time', r.on_time,
                         'late_working_days', r.late_working_days)
FROM b_rec r WHERE r.completed_at IS NOT NULL
UNION ALL
SELECT e.pokja_id, e.i, 33, e.created_at, pg_temp.uid('event:' || e.i || ':escalated'),
       e.case_id, {actor("'COORDINATOR'", "e.n")}, 'recommendation.escalated',
       json_build_object('recommendation_id', e.recommendation_id,
                         'escalation_id', e.escalation_id, 'kind', 'reminder',
                         'due_at', e.escalation_due_at)
FROM b_escalation e
UNION ALL
SELECT x.pokja_id, c.i, 40, x.created_at, pg_temp.uid('event:' || c.i || ':extended'), c.id,
       {actor("'BAWASLU'")}, 'case.clock_extended', json_build_object(
           'clock', x.clock, 'extension_clock', x.extension_clock, 'reason', x.reason,
           'after', json_build_object('due_at', x.due_at))
FROM b_case c JOIN case_clock_extensions x ON x.case_id = c.id;
-- Reads of personal data (DESIGN §3), up to about events_per_case events per case.
{INTO_EVENTS}
SELECT c.pokja_id, c.i, 100 + j,
       c.registered_at + (least(c.updated_at + interval '60 days',
                                {AS_OF_TS.format(tz="c.tz")} - interval '1 hour')
                          - c.registered_at) * (j / (k.reads + 1.0)),
       pg_temp.uid('event:' || c.i || ':read:' || j), c.id, {actor("k.reader")},
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
LOADED = [
    *("pokjas", "agencies", "authority_rules", "users", "cases", "subjects", "reporters"),
    *("external_refs", "case_violation_types", "handoffs", "recommendations", "shares"),
    *("escalations", "sanctions", "case_clock_extensions", "events", "event_chain_heads"),
    "register_counters",
]
EVENT_COLUMNS = "id, pokja_id, seq, case_id, actor_user_id, actor_agency_id, type, occurred_at, "
EVENT_COLUMNS += "data, prev_hash, hash, key_id"
SNAPSHOT = """
CREATE SCHEMA bench;
CREATE TABLE bench.meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE bench.chain_heads AS SELECT * FROM event_chain_heads;
CREATE TABLE bench.pending_handoffs AS
SELECT h.id, h.case_id, c.holder_agency_id, c.version, c.updated_at
FROM handoffs h JOIN cases c ON c.id = h.case_id WHERE h.status = 'pending';
"""
RESET = """
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
DELETE FROM personal_data_reads;
DELETE FROM idempotency_keys;
DELETE FROM refresh_tokens;
DELETE FROM auth_sessions;
UPDATE users SET last_login_at = NULL WHERE last_login_at IS NOT NULL;
"""
