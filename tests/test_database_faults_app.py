"""Database faults in the HTTP layer (issue 9), on any database: transaction conflicts are
retried a bounded number of times, a fault that outlasts them is a 503 problem with
Retry-After, a bug is still a 500, and the SQLite demo serves concurrent writers."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from pokja.api import code_lists, tokens
from pokja.directory.agencies import create_agency
from pokja.directory.pokjas import create_pokja
from pokja.directory.users import create_user
from pokja.extensions import db
from pokja.models import Case
from tests.conftest import make_test_app
from tests.factories import case_body

CODE_LISTS = "/api/v1/code-lists"


class _Orig(Exception):
    def __init__(self, message: str, sqlstate: str | None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


def _fault(message: str, sqlstate: str | None) -> sa.exc.OperationalError:
    return sa.exc.OperationalError("SELECT 1", {}, _Orig(message, sqlstate))


def _failing(times: int, error: Exception, real):
    calls = []

    def code_lists_for(*args, **kwargs):
        calls.append(1)
        if len(calls) <= times:
            raise error
        return real(*args, **kwargs)

    return code_lists_for, calls


@pytest.mark.parametrize(
    ("sqlstate", "message"),
    [
        ("40001", "could not serialize access"),
        ("40P01", "deadlock detected"),
        (None, "database is locked"),
    ],
)
def test_a_transaction_conflict_is_retried_and_succeeds(
    app, client, make_user, headers_for, monkeypatch, sqlstate, message
):
    headers = headers_for(make_user("admin"))
    fake, calls = _failing(2, _fault(message, sqlstate), code_lists.code_lists_for)
    monkeypatch.setattr(code_lists, "code_lists_for", fake)

    response = client.get(CODE_LISTS, headers=headers)

    assert response.status_code == 200
    assert len(calls) == 3  # two conflicts, then the default two retries succeeded


def test_a_conflict_that_outlasts_the_retries_is_503_with_retry_after(
    app, client, make_user, headers_for, monkeypatch
):
    headers = headers_for(make_user("admin"))
    fake, calls = _failing(99, _fault("could not serialize access", "40001"), lambda: None)
    monkeypatch.setattr(code_lists, "code_lists_for", fake)

    response = client.get(CODE_LISTS, headers=headers)

    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == "database_unavailable"
    assert response.headers["Retry-After"] == str(app.config["POKJA_RETRY_AFTER"])
    assert len(calls) == app.config["POKJA_DB_RETRIES"] + 1


@pytest.mark.parametrize("sqlstate", ["55P03", "57014", "57P01", "25006", "08006"])
def test_timeouts_shutdown_and_failover_are_503_without_retries(
    client, make_user, headers_for, monkeypatch, sqlstate
):
    headers = headers_for(make_user("admin"))
    fake, calls = _failing(99, _fault("canceling statement", sqlstate), lambda: None)
    monkeypatch.setattr(code_lists, "code_lists_for", fake)

    response = client.get(CODE_LISTS, headers=headers)

    assert response.status_code == 503
    assert "Retry-After" in response.headers
    assert len(calls) == 1


def test_an_sql_bug_is_still_a_500(client, make_user, headers_for, monkeypatch):
    headers = headers_for(make_user("admin"))
    fake, _ = _failing(99, _fault("no such column: x", None), lambda: None)
    monkeypatch.setattr(code_lists, "code_lists_for", fake)

    response = client.get(CODE_LISTS, headers=headers)

    assert response.status_code == 500
    assert response.get_json()["code"] == "internal_error"


def test_the_sqlite_demo_serves_concurrent_writers(tmp_path, monkeypatch):
    """WAL, a busy timeout and BEGIN IMMEDIATE for writes: two clients registering at once
    both succeed, where they used to get 500 "database is locked"."""
    app = make_test_app("sqlite:///" + str(tmp_path / "demo.sqlite3"))
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))
    with app.app_context():
        upgrade()
        session = db.session
        pokja = create_pokja(
            session,
            None,
            {"name": "Demo", "region_code": "17.01", "region_name": "BS", "level": "kabupaten"},
        )
        agency = create_agency(
            session, None, {"pokja_id": pokja.id, "kind": "BAWASLU", "name": "Bawaslu"}
        )
        user = create_user(
            session,
            None,
            {
                "username": "b",
                "display_name": "B",
                "password": "x" * 12,
                "role": "liaison",
                "pokja_id": pokja.id,
                "agency_id": agency.id,
            },
        )
        session.commit()
        headers = {"Authorization": f"Bearer {tokens.start_session(session, user).access_token}"}
        session.commit()
        assert session.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        db.session.remove()

    start = threading.Barrier(4)

    def client_run(n: int) -> list[int]:
        client = app.test_client()
        start.wait()
        statuses = []
        for i in range(6):
            body = case_body(title=f"Kasus {n}-{i}", external_refs=[])
            statuses.append(client.post("/api/v1/cases", json=body, headers=headers).status_code)
            statuses.append(client.get("/api/v1/cases", headers=headers).status_code)
        return statuses

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = [s for statuses in pool.map(client_run, range(4)) for s in statuses]

    assert set(results) == {200, 201}, results
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 24
        db.session.remove()
        db.engine.dispose()


def test_postgresql_gets_its_timeouts_as_connection_options_sqlite_a_busy_timeout(tmp_path):
    from pokja.config import load_config

    pg = load_config(
        str(tmp_path),
        {
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db/pokja",
            "POKJA_DB_LOCK_TIMEOUT_MS": 1500,
            "POKJA_DB_STATEMENT_TIMEOUT_MS": 8000,
        },
    )["SQLALCHEMY_ENGINE_OPTIONS"]
    assert pg["connect_args"]["options"] == (
        "-c lock_timeout=1500 -c statement_timeout=8000 -c timezone=UTC"
    )
    assert pg["connect_args"]["connect_timeout"] == 3
    assert pg["pool_timeout"] == 5
    lite = load_config(str(tmp_path), {"SQLALCHEMY_DATABASE_URI": "sqlite:///x.db"})
    assert lite["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {"timeout": 3.0}
