"""Meetings under concurrency, through the HTTP API, on PostgreSQL: two closes at the same
moment close once; two posts of one decision (one Idempotency-Key) record it once; a decision
racing the close is either recorded before it or refused after it, never added to a closed
meeting.

The per-test rollback cannot host concurrent requests, so this module builds its own database
and commits for real (as test_concurrency_handoffs_api).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.api import tokens
from pokja.audit import events
from pokja.extensions import db
from pokja.meetings import lifecycle
from pokja.meetings.attendance import record_attendance
from pokja.models import Decision, Event, Meeting, User
from tests.postgres_pokja import NEEDS_POSTGRES, PostgresPokja, postgres_pokja

pytestmark = NEEDS_POSTGRES


@pytest.fixture(scope="module")
def pg() -> Iterator[PostgresPokja]:
    with postgres_pokja(
        "Pokja Kabupaten Seluma",
        "17.05",
        ("BAWASLU", "TNI"),
        (("secretary", "secretary", "BAWASLU"), ("coordinator", "coordinator", "BAWASLU")),
    ) as setup:
        yield setup


def _meeting_in_progress(pg: PostgresPokja, *, attended: bool) -> tuple[uuid.UUID, list[str]]:
    with Session(pg.engine) as session:
        secretary = session.get_one(User, pg.ids["secretary"])
        meeting = lifecycle.create_meeting(
            session,
            secretary,
            {
                "title": "Rakor",
                "starts_at": datetime(2030, 1, 9, 2, tzinfo=UTC),
                "ends_at": datetime(2030, 1, 9, 5, tzinfo=UTC),
                "place": "Aula",
            },
        )
        lifecycle.schedule(session, secretary, meeting)
        lifecycle.start(session, secretary, meeting)
        if attended:
            entries = [
                {"agency_id": pg.ids[kind], "attendance": "present"} for kind in ("BAWASLU", "TNI")
            ]
            record_attendance(session, secretary, meeting, entries)
        access = [
            tokens.start_session(session, session.get_one(User, pg.ids[role])).access_token
            for role in ("secretary", "coordinator")
        ]
        session.commit()
        return meeting.id, access


def _together(calls: list[Any]) -> list[Any]:
    barrier = threading.Barrier(len(calls))

    def run(call: Any) -> Any:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def _post(pg: PostgresPokja, url: str, token: str, json: Any = None, **headers: str) -> Any:
    def call() -> tuple[int, Any]:
        response = pg.app.test_client().post(
            url, json=json, headers={"Authorization": f"Bearer {token}", **headers}
        )
        return response.status_code, response.get_json()

    return call


def test_two_simultaneous_closes_close_once(pg, monkeypatch):
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))
    meeting_id, access = _meeting_in_progress(pg, attended=True)
    url = f"/api/v1/meetings/{meeting_id}/close"
    results = _together([_post(pg, url, token) for token in access])
    assert sorted(status for status, _ in results) == [200, 409], results
    [conflict] = [body for status, body in results if status == 409]
    assert conflict["code"] == "meeting_closed"
    with Session(pg.engine) as session:
        meeting = session.get_one(Meeting, meeting_id)
        closes = session.scalars(
            sa.select(Event).where(
                Event.type == "meeting.closed",
                Event.data["meeting_id"].as_string() == str(meeting_id),
            )
        ).all()
        assert len(closes) == 1
        assert (meeting.chain_head_seq, meeting.chain_head_hash) == (closes[0].seq, closes[0].hash)
        assert events.verify_chain(session) is None


def test_one_decision_posted_twice_at_once_is_recorded_once(pg, monkeypatch):
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))
    meeting_id, access = _meeting_in_progress(pg, attended=False)
    url = f"/api/v1/meetings/{meeting_id}/decisions"
    body = {"text": "TNI melapor.", "owner_agency_id": str(pg.ids["TNI"]), "due_in_working_days": 3}
    key = str(uuid.uuid4())
    results = _together([_post(pg, url, access[0], body, **{"Idempotency-Key": key})] * 2)
    statuses = sorted(status for status, _ in results)
    # The second is either the first's replay or told that the first is still running.
    assert statuses in ([201, 201], [201, 409]), results
    with Session(pg.engine) as session:
        decisions = session.scalars(
            sa.select(Decision).where(Decision.meeting_id == meeting_id)
        ).all()
        assert len(decisions) == 1


def test_a_decision_racing_the_close_never_lands_on_a_closed_meeting(pg, monkeypatch):
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))
    meeting_id, access = _meeting_in_progress(pg, attended=True)
    body = {"text": "TNI melapor.", "owner_agency_id": str(pg.ids["TNI"]), "due_on": "2030-01-20"}
    results = _together(
        [
            _post(pg, f"/api/v1/meetings/{meeting_id}/close", access[1]),
            _post(pg, f"/api/v1/meetings/{meeting_id}/decisions", access[0], body),
        ]
    )
    (close_status, _), (decision_status, decision_body) = results
    assert close_status == 200, results
    with Session(pg.engine) as session:
        meeting = session.get_one(Meeting, meeting_id)
        decisions = session.scalars(
            sa.select(Decision).where(Decision.meeting_id == meeting_id)
        ).all()
        if decision_status == 201:
            # Recorded first: the chain head stored at closing comes after it.
            taken = session.scalars(sa.select(Event).where(Event.type == "decision.taken")).all()
            assert len(decisions) == 1
            assert max(e.seq for e in taken) < meeting.chain_head_seq
        else:
            assert (decision_status, decision_body["code"]) == (409, "meeting_closed")
            assert decisions == []
