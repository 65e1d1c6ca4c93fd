"""Database faults are 503, never 500 (DESIGN §9 "Faults", issue 9), against a PostgreSQL
cluster this module makes, stops and starts itself.

Requests run in threads through the whole HTTP stack while the cluster is stopped for a few
seconds: every answer is a success or a 503 problem with Retry-After, the app recovers without
a restart, and what was written is whole. A row lock held by another connection makes a
registration fail with 503 within the configured lock timeout, while other requests answer.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from pokja.api import tokens
from pokja.audit import events
from pokja.directory.agencies import create_agency
from pokja.directory.pokjas import create_pokja
from pokja.directory.users import create_user
from pokja.extensions import db
from pokja.models import Case, Event, IdempotencyKey
from tests.conftest import create_postgres_database, make_test_app
from tests.factories import case_body
from tests.pg_cluster import Cluster, unavailable_reason

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(unavailable_reason() is not None, reason=str(unavailable_reason())),
]

LOCK_TIMEOUT_MS = 1000
REQUEST_TIMEOUT = 1  # in-flight Idempotency-Keys count as abandoned after 1 + 5 s


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    cluster = Cluster()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="module")
def pg_app(cluster: Cluster) -> Iterator[tuple[Flask, dict[str, Any]]]:
    # The database goes with the cluster: no DROP through a connection the restart killed.
    url, _drop = create_postgres_database(cluster.url)
    app = make_test_app(
        url,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 5, "max_overflow": 5},
        POKJA_DB_LOCK_TIMEOUT_MS=LOCK_TIMEOUT_MS,
        POKJA_DB_CONNECT_TIMEOUT=2,
        POKJA_DB_POOL_TIMEOUT=5,
        POKJA_REQUEST_TIMEOUT=REQUEST_TIMEOUT,
    )
    with app.app_context():
        upgrade()
        session = db.session
        pokja = create_pokja(
            session,
            None,
            {
                "name": "Pokja Seluma",
                "region_code": "17.05",
                "region_name": "Seluma",
                "level": "kabupaten",
            },
        )
        bawaslu = create_agency(
            session, None, {"pokja_id": pokja.id, "kind": "BAWASLU", "name": "Bawaslu"}
        )
        liaison = create_user(
            session,
            None,
            {
                "username": "bawaslu",
                "display_name": "Bawaslu",
                "password": "x" * 12,
                "role": "liaison",
                "pokja_id": pokja.id,
                "agency_id": bawaslu.id,
            },
        )
        session.commit()
        token = tokens.start_session(session, liaison).access_token
        session.commit()
        db.session.remove()
    try:
        yield app, {"headers": {"Authorization": f"Bearer {token}"}}
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def real_sessions(monkeypatch: pytest.MonkeyPatch) -> None:
    # The autouse per-test rollback binds db.session to the suite's own database; these
    # requests need the ordinary per-app-context sessions of this module's app.
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))


def _is_503_problem(response: Any) -> bool:
    return (
        response.status_code == 503
        and response.mimetype == "application/problem+json"
        and response.get_json()["code"] == "database_unavailable"
        and int(response.headers["Retry-After"]) > 0
    )


def _register(app: Flask, headers: dict[str, str], key: str | None = None) -> Any:
    extra = {"Idempotency-Key": key} if key else {}
    return app.test_client().post(
        "/api/v1/cases",
        json=case_body(title=f"Kasus {key or uuid.uuid4().hex[:8]}", external_refs=[]),
        headers={**headers, **extra},
    )


def _recovered(answers: list[tuple[str, int, bool]]) -> bool:
    tail = answers[-8:]
    kinds = {what for what, _, _ in tail}
    return kinds == {"register", "list"} and all(status in (200, 201) for _, status, _ in tail)


def test_an_outage_under_load_is_503_or_success_and_the_app_recovers(
    cluster, pg_app, real_sessions
):
    app, ids = pg_app
    headers = ids["headers"]
    stop = threading.Event()
    answers: list[tuple[str, int, bool]] = []  # (what, status, is a proper 503)
    failed_keys: list[str] = []
    created: list[str] = []

    def load(worker: int) -> None:
        client = app.test_client()
        i = 0
        while not stop.is_set():
            i += 1
            if i % 2:
                key = f"w{worker}-{i}"
                response = _register(app, headers, key)
                if response.status_code == 201:
                    created.append(response.get_json()["id"])
                elif response.status_code == 503:
                    failed_keys.append(key)
                what = "register"
            else:
                response = client.get("/api/v1/cases?limit=5", headers=headers)
                what = "list"
            answers.append((what, response.status_code, _is_503_problem(response)))
            time.sleep(0.02)

    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(load, n) for n in range(4)]
        time.sleep(1.5)
        before_outage = len(answers)
        cluster.stop()
        time.sleep(4)
        during_outage = len(answers)
        cluster.start()
        # Recovered without a restart: the load goes on until the last answers of every kind
        # succeed (at once, normally; a machine busy with other work may take longer to
        # start the cluster and to reconnect), within a bound.
        restarted = time.monotonic()
        while time.monotonic() - restarted < 30 and not _recovered(answers):
            time.sleep(0.25)
        time.sleep(0.5)
        stop.set()
        for future in futures:
            future.result()

    statuses = {status for _, status, _ in answers}
    assert 500 not in statuses, answers
    assert all(ok for _, status, ok in answers if status >= 400), answers
    assert statuses <= {200, 201, 503}
    outage = answers[before_outage:during_outage]
    assert outage
    assert any(status == 503 for _, status, _ in outage)
    # Recovered without a restart: the last answers of every kind succeed.
    tail = answers[-8:]
    assert all(status in (200, 201) for _, status, _ in tail), tail

    with app.app_context():
        session = db.session
        cases = session.execute(sa.select(Case.id, Case.register_number)).all()
        # No half-written change: every case has its creation event, numbers have no gaps
        # and the chain verifies.
        registered = session.scalars(
            sa.select(Event.case_id).where(Event.type == "case.created")
        ).all()
        assert sorted(map(str, registered)) == sorted(str(c.id) for c in cases)
        assert set(created) <= {str(c.id) for c in cases}
        sequence = sorted(int(c.register_number.split("/")[0]) for c in cases)
        assert sequence == list(range(1, len(cases) + 1))
        assert events.verify_chain(session) is None
        db.session.remove()

    # A key whose request failed in the outage is free again within seconds (released, or
    # abandoned after the request time bound), and then registers exactly once.
    assert failed_keys
    key = failed_keys[0]
    deadline = time.monotonic() + REQUEST_TIMEOUT + 5 + 5
    while True:
        response = _register(app, headers, key)
        if response.status_code != 409 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        stored = db.session.scalars(sa.select(Case.id).where(Case.title == f"Kasus {key}")).all()
        assert len(stored) == 1
        db.session.remove()


def test_a_held_counter_lock_is_503_within_the_lock_timeout_while_others_answer(
    pg_app, real_sessions
):
    app, ids = pg_app
    headers = ids["headers"]
    assert _register(app, headers).status_code == 201  # the counter row exists
    with app.app_context():
        engine = db.engine
    holder = engine.connect()
    try:
        holder.execute(sa.text("SELECT * FROM register_counters FOR UPDATE"))
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=16) as pool:
            waiting = [pool.submit(_register, app, headers, f"locked-{n}") for n in range(16)]
            time.sleep(0.2)
            health = app.test_client().get("/healthz")
            code_lists = app.test_client().get("/api/v1/code-lists", headers=headers)
            results = [future.result() for future in waiting]
        elapsed = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()

    assert health.status_code == 200
    assert code_lists.status_code == 200
    assert all(_is_503_problem(response) for response in results), [
        (r.status_code, r.get_data(as_text=True)[:200]) for r in results
    ]
    # 16 requests through a pool of 10, each waiting one lock timeout: two rounds at most.
    assert elapsed < 2 * LOCK_TIMEOUT_MS / 1000 + 3

    # The keys of the failed requests were released at once: the same key registers now.
    again = _register(app, headers, "locked-0")
    assert again.status_code == 201, again.get_json()
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(IdempotencyKey)
                .where(IdempotencyKey.key.like("locked-%"))
            )
            == 1
        )
        db.session.remove()


def test_the_timeouts_are_the_sessions_own_without_a_statement_per_request(pg_app, real_sessions):
    app, _ = pg_app
    with app.app_context():
        assert db.session.scalar(sa.text("SHOW lock_timeout")) == "1s"  # LOCK_TIMEOUT_MS
        assert db.session.scalar(sa.text("SHOW statement_timeout")) == "10s"
        db.session.remove()
