"""The changes feed while eight threads write, on PostgreSQL: a reader paging with the cursor
sees every change exactly once, in chain order (DESIGN §8). And a streamed export, which is
read after its request (and the request's session) has ended.

Needs committed data and real connections, so it builds its own database and app instead of
the per-test rollback (like tests/test_concurrency_cases_api.py).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from pokja.api import tokens
from pokja.audit.feed import NOT_CHANGES
from pokja.cases.registration import create_case
from pokja.directory.agencies import create_agency
from pokja.directory.pokjas import create_pokja
from pokja.directory.users import create_user
from pokja.extensions import db
from pokja.models import Case, Event, PersonalDataRead, User
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

WRITERS = 8
CASES_PER_WRITER = 6


@pytest.fixture(scope="module")
def pg_app() -> Iterator[tuple[Flask, dict[str, Any]]]:
    url, drop = create_postgres_database(BASE_URL)
    app = make_test_app(url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 10, "max_overflow": 5})
    try:
        with app.app_context():
            upgrade()
            session = db.session
            pokja = create_pokja(
                session,
                None,
                {
                    "name": "Pokja Kota Bengkulu",
                    "region_code": "17.71",
                    "region_name": "Kota Bengkulu",
                    "level": "kota",
                },
            )
            bawaslu = create_agency(
                session, None, {"pokja_id": pokja.id, "kind": "BAWASLU", "name": "Bawaslu"}
            )
            liaison, coordinator = (
                create_user(
                    session,
                    None,
                    {
                        "username": name,
                        "display_name": name,
                        "password": "x" * 12,
                        "role": role,
                        "pokja_id": pokja.id,
                        "agency_id": bawaslu.id,
                    },
                )
                for name, role in (("bawaslu", "liaison"), ("coordinator", "coordinator"))
            )
            session.commit()
            token = tokens.start_session(session, coordinator).access_token
            session.commit()
            yield app, {"liaison": liaison.id, "pokja": pokja.id, "token": token}
            db.session.remove()
            db.engine.dispose()
    finally:
        drop()


def test_a_reader_sees_every_change_once_in_order_while_eight_threads_write(pg_app, monkeypatch):
    app, ids = pg_app
    # The per-test rollback binds db.session to the suite's database; these threads need the
    # ordinary per-app-context sessions of this app.
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))
    writing = threading.Event()
    writing.set()

    def write(_: int) -> None:
        with app.app_context():
            for _ in range(CASES_PER_WRITER):
                actor = db.session.get_one(User, ids["liaison"])
                create_case(db.session, actor, case_data())
                db.session.commit()
            db.session.remove()

    seen: list[int] = []
    client = app.test_client()
    headers = {"Authorization": f"Bearer {ids['token']}"}

    def read(cursor: str | None) -> str:
        params = {"limit": 7, **({"cursor": cursor} if cursor else {})}
        response = client.get("/api/v1/events", query_string=params, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        seen.extend(item["seq"] for item in body["items"])
        return str(body["next_cursor"])

    cursor = None
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        futures = [pool.submit(write, i) for i in range(WRITERS)]
        pages = 0
        while not all(f.done() for f in futures):
            cursor = read(cursor)
            pages += 1
            time.sleep(0.005)
        for future in futures:
            future.result()
    for _ in range(100):  # what committed after the reader's last page
        before = len(seen)
        cursor = read(cursor)
        if len(seen) == before:
            break

    with app.app_context():
        stored = db.session.scalars(
            sa.select(Event.seq)
            .where(Event.pokja_id == ids["pokja"], Event.type.not_in(NOT_CHANGES))
            .order_by(Event.seq)
        ).all()
    assert pages > 3, "the reader paged while the writers wrote"
    assert len(stored) >= WRITERS * CASES_PER_WRITER
    assert seen == list(stored)  # each once, in chain order, none skipped


def test_a_streamed_csv_export_is_read_after_its_request_ended(pg_app, monkeypatch):
    """The per-test rollback keeps one connection open across requests, which would hide a
    stream reading from the request's own (by then closed) session."""
    app, ids = pg_app
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))
    with app.app_context():
        actor = db.session.get_one(User, ids["liaison"])
        for _ in range(3):
            create_case(db.session, actor, case_data())
        db.session.commit()
        cases = db.session.scalar(sa.select(sa.func.count()).select_from(Case))
        reads = db.session.scalar(sa.select(sa.func.count()).select_from(PersonalDataRead))
        db.session.remove()
    headers = {"Authorization": f"Bearer {ids['token']}"}
    response = app.test_client().get("/api/v1/cases/export", headers=headers, buffered=False)
    assert response.status_code == 200
    body = b"".join(response.response)
    response.close()
    assert body.count(b"\n") == cases + 1
    with app.app_context():
        logged = db.session.scalar(sa.select(sa.func.count()).select_from(PersonalDataRead))
        db.session.remove()
    assert logged == reads + cases  # each case's names read, committed after the stream
