"""Two accepts of one handoff at the same moment, through the HTTP API, on PostgreSQL.

The per-test rollback cannot host concurrent requests, so this module builds its own
database, commits for real, and drops the database at the end (as test_concurrency_domain).
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy.orm import Session

from pokja.api import tokens
from pokja.audit import events
from pokja.cases.registration import create_case
from pokja.directory.agencies import create_agency
from pokja.directory.pokjas import create_pokja
from pokja.directory.users import create_user
from pokja.extensions import db
from pokja.handoffs.lifecycle import start_handoff
from pokja.models import Case, Event, Handoff, PersonalDataRead, User
from tests.conftest import create_postgres_database, make_test_app
from tests.factories import case_data

BASE_URL = os.environ.get("POKJA_TEST_DATABASE_URL", "")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not BASE_URL.startswith(("postgresql", "postgres:")),
        reason="needs POKJA_TEST_DATABASE_URL pointing at PostgreSQL",
    ),
]


class Setup:
    def __init__(self, app: Flask, engine: sa.Engine, ids: dict[str, uuid.UUID]) -> None:
        self.app = app
        self.engine = engine
        self.ids = ids


@pytest.fixture(scope="module")
def pg() -> Iterator[Setup]:
    url, drop = create_postgres_database(BASE_URL)
    app = make_test_app(url)
    engine = sa.create_engine(url)
    try:
        with app.app_context():
            upgrade()
            with Session(engine) as session:
                pokja = create_pokja(
                    session,
                    None,
                    {
                        "name": "Pokja Kabupaten Kaur",
                        "region_code": "17.04",
                        "region_name": "Kabupaten Kaur",
                        "level": "kabupaten",
                    },
                )
                agencies = {
                    kind: create_agency(
                        session, None, {"pokja_id": pokja.id, "kind": kind, "name": kind}
                    )
                    for kind in ("BAWASLU", "BKDPSDM")
                }
                users = {
                    name: create_user(
                        session,
                        None,
                        {
                            "username": f"{name}-{uuid.uuid4().hex[:6]}",
                            "display_name": name,
                            "password": "x" * 12,
                            "role": role,
                            "pokja_id": pokja.id,
                            "agency_id": agencies[kind].id,
                        },
                    )
                    for name, role, kind in (
                        ("bawaslu", "liaison", "BAWASLU"),
                        ("bkd", "liaison", "BKDPSDM"),
                        ("coordinator", "coordinator", "BAWASLU"),
                    )
                }
                session.commit()
                ids = {
                    **{k: a.id for k, a in agencies.items()},
                    **{k: u.id for k, u in users.items()},
                }
            yield Setup(app, engine, ids)
            db.engine.dispose()
    finally:
        engine.dispose()
        drop()


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
