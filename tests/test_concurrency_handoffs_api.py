"""Two accepts of one handoff at the same moment, through the HTTP API, on PostgreSQL.

The per-test rollback cannot host concurrent requests, so this module builds its own
database, commits for real, and drops the database at the end (as test_concurrency_domain).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.api import tokens
from pokja.audit import events
from pokja.cases.registration import create_case
from pokja.extensions import db
from pokja.handoffs.lifecycle import start_handoff
from pokja.models import Case, Event, Handoff, PersonalDataRead, User
from tests.factories import case_data
from tests.postgres_pokja import NEEDS_POSTGRES, PostgresPokja, postgres_pokja

pytestmark = NEEDS_POSTGRES


@pytest.fixture(scope="module")
def pg() -> Iterator[PostgresPokja]:
    with postgres_pokja(
        "Pokja Kabupaten Kaur",
        "17.04",
        ("BAWASLU", "BKDPSDM"),
        (
            ("bawaslu", "liaison", "BAWASLU"),
            ("bkd", "liaison", "BKDPSDM"),
            ("coordinator", "coordinator", "BAWASLU"),
        ),
    ) as setup:
        yield setup


def test_two_simultaneous_accepts_one_wins(pg, monkeypatch):
    # The autouse per-test fixture binds db.session to the main test database's rolled-back
    # connection; these requests need ordinary sessions on this module's own database.
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))
    with pg.app.app_context(), Session(pg.engine) as session:
        bawaslu = session.get_one(User, pg.ids["bawaslu"])
        case = create_case(session, bawaslu, case_data())
        handoff = start_handoff(
            session,
            bawaslu,
            case,
            {"to_agency_id": pg.ids["BKDPSDM"], "purpose": "follow_up", "reason": "PNS"},
        )
        access_tokens = [
            tokens.start_session(session, session.get_one(User, pg.ids[name])).access_token
            for name in ("bkd", "coordinator")
        ]
        session.commit()
        case_id, handoff_id = case.id, handoff.id

    barrier = threading.Barrier(2)

    def accept(token: str) -> Any:
        client = pg.app.test_client()
        barrier.wait()
        response = client.post(
            f"/api/v1/handoffs/{handoff_id}/accept",
            headers={"Authorization": f"Bearer {token}"},
        )
        return response.status_code, response.get_json()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(accept, access_tokens))

    assert sorted(status for status, _ in results) == [200, 409], results
    [conflict] = [body for status, body in results if status == 409]
    assert conflict["code"] == "handoff_not_pending"
    with Session(pg.engine) as session:
        assert session.get_one(Case, case_id).holder_agency_id == pg.ids["BKDPSDM"]
        assert session.get_one(Handoff, handoff_id).status == "accepted"
        accepted = session.scalars(
            sa.select(Event).where(Event.case_id == case_id, Event.type == "handoff.accepted")
        ).all()
        assert len(accepted) == 1
        assert events.verify_chain(session) is None


def test_a_full_read_answers_while_the_chain_head_is_locked(pg, monkeypatch):
    """Reads write nothing another reader or a writer waits for (DESIGN §3): with the Pokja's
    chain head held by another transaction (as every write holds it), a full read of a case
    answers at once, and its personal-data read is in the access log."""
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))
    with pg.app.app_context(), Session(pg.engine) as session:
        bawaslu = session.get_one(User, pg.ids["bawaslu"])
        case = create_case(session, bawaslu, case_data())
        token = tokens.start_session(session, session.get_one(User, pg.ids["coordinator"]))
        session.commit()
        case_id, pokja_id = case.id, case.pokja_id
    with pg.engine.connect() as writer:
        writer.begin()
        writer.execute(
            sa.text("SELECT 1 FROM event_chain_heads WHERE pokja_id = :p FOR UPDATE"),
            {"p": pokja_id},
        )
        with ThreadPoolExecutor(1) as pool:
            answer = pool.submit(
                lambda: pg.app.test_client().get(
                    f"/api/v1/cases/{case_id}",
                    headers={"Authorization": f"Bearer {token.access_token}"},
                )
            )
            response = answer.result(timeout=10)  # waiting for the lock would time out here
        writer.rollback()
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["redacted"] is False
    with Session(pg.engine) as session:
        reads = session.scalars(
            sa.select(PersonalDataRead).where(PersonalDataRead.case_id == case_id)
        ).all()
    assert [(r.user_id, r.fields) for r in reads] == [
        (pg.ids["coordinator"], ["reporter", "subjects"])
    ]
