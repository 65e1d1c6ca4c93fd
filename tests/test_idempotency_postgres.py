"""Idempotency keys under real concurrency on PostgreSQL: separate connections, real commits.

The per-test rollback binds every request to one connection, which cannot show that the
in-flight marker is visible to another process before the first request finishes; these tests
run the probe routes of ``test_idempotency`` on their own database with ordinary sessions.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy.orm import Session

from pokja.api import tokens
from pokja.directory.agencies import create_agency
from pokja.directory.pokjas import create_pokja
from pokja.directory.users import create_user
from pokja.extensions import db
from pokja.models import Case, IdempotencyKey
from tests.conftest import create_postgres_database, make_test_app
from tests.test_idempotency import PATH, probe_blueprint

BASE_URL = os.environ.get("POKJA_TEST_DATABASE_URL", "")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not BASE_URL.startswith(("postgresql", "postgres:")),
        reason="needs POKJA_TEST_DATABASE_URL pointing at PostgreSQL",
    ),
]
THREADS = 8


class Server:
    def __init__(self, app: Flask, engine: sa.Engine, token: str, gate: threading.Event) -> None:
        self.app = app
        self.engine = engine
        self.token = token
        self.gate = gate

    def post(self, body: dict[str, Any], key: str) -> Any:
        """One request from its own client (own app context, session and connection)."""
        headers = {"Authorization": f"Bearer {self.token}", "Idempotency-Key": key}
        return self.app.test_client().post(PATH, json=body, headers=headers)

    def count(self, model: Any, *where: Any) -> int:
        with self.engine.connect() as conn:
            return conn.scalar(sa.select(sa.func.count()).select_from(model).where(*where))

    def wait_for_marker(self, key: str) -> None:
        """Until the marker is committed, as another process would see it."""
        deadline = time.monotonic() + 10
        while not self.count(IdempotencyKey, IdempotencyKey.key == key):
            assert time.monotonic() < deadline, "the first request's marker never became visible"
            time.sleep(0.01)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    url, drop = create_postgres_database(BASE_URL)
    gate = threading.Event()
    app = make_test_app(url)
    app.extensions["pokja_api"].register_blueprint(probe_blueprint(gate))
    engine = sa.create_engine(url)
    try:
        with app.app_context():
            upgrade()
            with Session(db.engine) as session:
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
                bawaslu = create_agency(
                    session, None, {"pokja_id": pokja.id, "kind": "BAWASLU", "name": "Bawaslu"}
                )
                user = create_user(
                    session,
                    None,
                    {
                        "username": "bawaslu-kaur",
                        "display_name": "Bawaslu Kaur",
                        "password": "correct horse battery",
                        "role": "liaison",
                        "pokja_id": pokja.id,
                        "agency_id": bawaslu.id,
                    },
                )
                token = tokens.start_session(session, user).access_token
                session.commit()
        yield Server(app, engine, token, gate)
    finally:
        engine.dispose()
        with app.app_context():
            db.engine.dispose()
        drop()


@pytest.fixture
def pg(server: Server, monkeypatch: pytest.MonkeyPatch) -> Server:
    """Ordinary request sessions instead of the suite's one rolled-back connection."""
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))
    server.gate.clear()
    return server


def test_marker_is_visible_to_other_connections_while_first_request_runs(pg: Server) -> None:
    body = {"title": "Lurah di posko pemenangan", "hold": True}
    with ThreadPoolExecutor(max_workers=1) as pool:
        first = pool.submit(pg.post, body, "pg-key-1")
        pg.wait_for_marker("pg-key-1")

        retry = pg.post(body, "pg-key-1")
        assert retry.status_code == 409
        assert retry.get_json()["code"] == "idempotency_in_flight"

        pg.gate.set()
        response = first.result(timeout=30)

    assert response.status_code == 201
    replay = pg.post(body, "pg-key-1")
    assert replay.status_code == 201
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.get_json() == response.get_json()
    assert pg.count(Case, Case.title == body["title"]) == 1


def test_simultaneous_first_requests_let_exactly_one_through(pg: Server) -> None:
    """The first request holds in its handler until every other one has been answered: of the
    simultaneous first requests the unique constraint lets one in, the others get 409."""
    body = {"title": "Camat bagikan sembako", "hold": True}
    barrier = threading.Barrier(THREADS)

    def one(_: int) -> Any:
        barrier.wait()
        return pg.post(body, "pg-key-2")

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [pool.submit(one, i) for i in range(THREADS)]
        pending = set(futures)
        while len(pending) > 1:
            _, pending = wait(pending, timeout=30, return_when=FIRST_COMPLETED)
        pg.gate.set()
        responses = [f.result(timeout=30) for f in futures]

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * (THREADS - 1)
    assert all(
        r.get_json()["code"] == "idempotency_in_flight" for r in responses if r.status_code == 409
    )
    assert pg.count(Case, Case.title == body["title"]) == 1
    assert pg.count(IdempotencyKey, IdempotencyKey.key == "pg-key-2") == 1


def test_racing_retries_never_create_two_cases(pg: Server) -> None:
    """Without holding: each racer is either the one that ran, a 409 or a replay."""
    pg.gate.set()
    body = {"title": "Kepala desa pasang baliho"}
    barrier = threading.Barrier(THREADS)

    def one(_: int) -> Any:
        barrier.wait()
        return pg.post(body, "pg-key-3")

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        responses = list(pool.map(one, range(THREADS)))

    ran = [r for r in responses if r.status_code == 201 and "Idempotent-Replayed" not in r.headers]
    others = [r for r in responses if r not in ran]
    assert len(ran) == 1
    assert all(r.status_code == 409 or r.get_json() == ran[0].get_json() for r in others)
    assert pg.count(Case, Case.title == body["title"]) == 1
