"""``pokja bench-data`` on PostgreSQL at its tiny size: the migrations' schema with every
constraint holding, a verifiable audit chain, working logins, the same rows on every run, and
benchmark writes undone by ``--reset-writes``."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import upgrade

from pokja.audit import events
from pokja.demo.bench import generate as bench_data
from pokja.extensions import db
from tests.conftest import create_postgres_database, make_test_app

BASE_URL = os.environ.get("POKJA_TEST_DATABASE_URL", "")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not BASE_URL.startswith(("postgresql", "postgres:")),
        reason="needs POKJA_TEST_DATABASE_URL pointing at PostgreSQL",
    ),
]
DIGEST = (
    "SELECT md5(string_agg(x::text, '|' ORDER BY x.id)) FROM {table} x"  # every column, in order
)


@pytest.fixture(scope="module")
def filled() -> Iterator[tuple[Flask, str]]:
    url, drop = create_postgres_database(BASE_URL)
    app = make_test_app(url)
    plain = sa.engine.make_url(url).set(drivername="postgresql").render_as_string(False)
    try:
        with app.app_context():
            upgrade()
            bench_data.generate(plain, "tiny", log=lambda _: None)
        yield app, plain
    finally:
        with app.app_context():
            db.engine.dispose()
        drop()


@pytest.fixture(autouse=True)
def own_session(monkeypatch: pytest.MonkeyPatch) -> None:
    # The autouse per-test fixture binds db.session to the main test database's rolled-back
    # connection; this module's app needs ordinary sessions on its own database.
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))


def _scalar(app: Flask, sql: str, **params: object) -> object:
    with app.app_context():
        return db.session.scalar(sa.text(sql), params)


def test_tiny_data_set_keeps_the_migrated_schema_and_its_constraints(filled):
    app, _ = filled
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []
    # Keys, indexes and foreign keys were re-created, so they were checked on every row.
    assert _scalar(app, "SELECT count(*) FROM pg_constraint WHERE contype = 'f'") > 50
    assert _scalar(app, "SELECT count(*) FROM pokjas") == 2
    assert _scalar(app, "SELECT count(*) FROM cases") == 60
    assert _scalar(app, "SELECT count(*) FROM users") == 2 * 9 + 1


def test_authority_moves_only_by_accepted_handoffs(filled):
    app, _ = filled
    held_elsewhere = """
        SELECT count(*) FROM cases c JOIN agencies a ON a.id = c.holder_agency_id
        WHERE a.kind <> 'BAWASLU' AND NOT EXISTS (
            SELECT FROM handoffs h WHERE h.case_id = c.id AND h.status = 'accepted'
            AND h.to_agency_id = c.holder_agency_id)"""
    assert _scalar(app, held_elsewhere) == 0
    assert _scalar(app, "SELECT count(*) FROM handoffs WHERE status = 'pending'") > 0


def test_audit_chain_verifies_and_users_can_log_in(filled):
    app, _ = filled
    with app.app_context():
        assert events.verify_chain(db.session) is None
        assert events.count(db.session) > 10 * 60 * 0.8
    response = app.test_client().post(
        "/api/v1/auth/login",
        json={"username": "liaison-2-polri", "password": bench_data.DEFAULT_PASSWORD},
    )
    assert response.status_code == 200


def test_a_filled_database_is_refused_and_replaced_by_the_same_rows(filled):
    app, url = filled
    tables = ("cases", "subjects", "handoffs", "recommendations", "events", "users")
    digests = []
    with app.app_context():
        with pytest.raises(bench_data.NotEmpty):
            bench_data.generate(url, "tiny", log=lambda _: None)
        for _ in range(2):
            bench_data.generate(url, "tiny", replace=True, log=lambda _: None)
            digests.append([_scalar(app, DIGEST.format(table=t)) for t in tables])
    assert digests[0] == digests[1]


def test_reset_writes_undoes_an_accepted_handoff_and_its_event(filled):
    app, url = filled
    handoff_id, receiver = _one(
        app,
        "SELECT h.id, u.username FROM handoffs h JOIN users u"
        " ON u.agency_id = h.to_agency_id AND u.role = 'liaison'"
        " WHERE h.status = 'pending' ORDER BY h.id LIMIT 1",
    )
    events_before = _scalar(app, "SELECT count(*) FROM events")
    client = app.test_client()
    login = client.post(
        "/api/v1/auth/login", json={"username": receiver, "password": bench_data.DEFAULT_PASSWORD}
    )
    token = login.get_json()["access_token"]
    accepted = client.post(
        f"/api/v1/handoffs/{handoff_id}/accept", headers={"Authorization": f"Bearer {token}"}
    )
    assert accepted.status_code == 200
    assert bench_data.reset_writes(url) == 1
    status = _scalar(app, "SELECT status FROM handoffs WHERE id = :id", id=handoff_id)
    assert status == "pending"
    assert _scalar(app, "SELECT count(*) FROM events") == events_before
    assert _scalar(app, "SELECT count(*) FROM auth_sessions") == 0
    with app.app_context():
        assert events.verify_chain(db.session) is None


def _one(app: Flask, sql: str) -> tuple:
    with app.app_context():
        return tuple(db.session.execute(sa.text(sql)).one())
