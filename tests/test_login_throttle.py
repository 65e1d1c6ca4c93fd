"""Login lock-out (issue 9): failed logins counted in the database per username and per
address, so that it holds across gunicorn workers; while it lasts the right password is
refused too (429 with Retry-After)."""

from __future__ import annotations

import http.client
import json
import time
from datetime import timedelta

import sqlalchemy as sa

from pokja.extensions import db
from pokja.models import LoginThrottle
from pokja.time import clock
from tests.conftest import PASSWORD
from tests.gunicorn_process import gunicorn, seeded_sqlite

LOGIN = "/api/v1/auth/login"


def login(client, username, password, **environ):
    return client.post(
        LOGIN, json={"username": username, "password": password}, environ_base=environ
    )


def test_the_sixth_wrong_password_is_429_and_the_right_one_is_refused_until_the_end(
    app, client, make_user, monkeypatch
):
    user = make_user("admin")
    statuses = [login(client, user.username, "wrong").status_code for _ in range(7)]
    assert statuses == [401] * app.config["POKJA_LOGIN_MAX_FAILURES"] + [429, 429]

    refused = login(client, user.username, PASSWORD)
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert refused.get_json()["code"] == "login_locked"
    assert 0 < int(refused.headers["Retry-After"]) <= app.config["POKJA_LOGIN_LOCKOUT_SECONDS"]

    later = clock.now() + timedelta(seconds=app.config["POKJA_LOGIN_LOCKOUT_SECONDS"] + 1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert login(client, user.username, PASSWORD).status_code == 200


def test_a_lockout_of_one_username_leaves_the_others_alone(app, client, make_user):
    locked, other = make_user("admin"), make_user("admin")
    for _ in range(app.config["POKJA_LOGIN_MAX_FAILURES"]):
        login(client, locked.username, "wrong")
    assert login(client, locked.username, PASSWORD).status_code == 429
    assert login(client, other.username, PASSWORD).status_code == 200


def test_a_successful_login_forgives_the_failures_before_it(app, client, make_user):
    user = make_user("admin")
    limit = app.config["POKJA_LOGIN_MAX_FAILURES"]
    for _ in range(limit - 1):
        assert login(client, user.username, "wrong").status_code == 401
    assert login(client, user.username, PASSWORD).status_code == 200
    for _ in range(limit - 1):
        assert login(client, user.username, "wrong").status_code == 401
    assert login(client, user.username, PASSWORD).status_code == 200


def test_one_address_guessing_many_usernames_is_locked_out(app, client, make_user):
    user = make_user("admin")
    address = {"REMOTE_ADDR": "203.0.113.9"}
    for n in range(app.config["POKJA_LOGIN_MAX_FAILURES_PER_CLIENT"]):
        assert login(client, f"nobody-{n}", "wrong", **address).status_code == 401
    assert login(client, user.username, PASSWORD, **address).status_code == 429
    assert login(client, user.username, PASSWORD).status_code == 200  # another address
    assert (
        db.session.scalar(
            sa.select(LoginThrottle.failures).where(
                LoginThrottle.scope == "client", LoginThrottle.key == "203.0.113.9"
            )
        )
        == app.config["POKJA_LOGIN_MAX_FAILURES_PER_CLIENT"]
    )


def _post(port: int, body: dict[str, str]) -> tuple[int, dict[str, str]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("POST", LOGIN, json.dumps(body), {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    finally:
        connection.close()


def test_thirty_wrong_passwords_against_five_gunicorn_workers(tmp_path, monkeypatch):
    """The acceptance of issue 9: without Redis, across 5 worker processes, at most the
    configured number of 401s, then 429 with Retry-After, and the right password refused
    until the lock-out ends."""
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))
    database = seeded_sqlite(tmp_path / "throttle.sqlite3")
    lockout, limit = 4, 5
    with gunicorn(
        database,
        GUNICORN_WORKERS="5",
        POKJA_LOGIN_MAX_FAILURES=str(limit),
        POKJA_LOGIN_LOCKOUT_SECONDS=str(lockout),
        # The per-process limiter is not what is tested here: out of the way.
        POKJA_LOGIN_LIMIT_PER_CLIENT="1000/minute",
        POKJA_LOGIN_LIMIT_PER_USERNAME="1000/minute",
    ) as port:
        # A connection per attempt: the kernel spreads them over the workers.
        answers = [_post(port, {"username": "target", "password": "wrong"}) for _ in range(30)]
        statuses = [status for status, _ in answers]
        right = _post(port, {"username": "target", "password": PASSWORD})
        time.sleep(lockout + 1)
        after = _post(port, {"username": "target", "password": PASSWORD})

    assert statuses.count(401) == limit, statuses
    assert statuses == [401] * limit + [429] * (30 - limit)
    assert all(int(headers["Retry-After"]) > 0 for status, headers in answers if status == 429)
    assert right[0] == 429
    assert after[0] == 200


def test_behind_a_trusted_proxy_the_lockout_counts_the_clients_address(
    database_url, make_user, monkeypatch
):
    from tests.conftest import make_test_app

    app = make_test_app(
        database_url, POKJA_TRUSTED_PROXIES=1, POKJA_LOGIN_LIMIT_PER_CLIENT="1000/minute"
    )
    user = make_user("admin")
    client = app.test_client()
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(app.config["POKJA_LOGIN_MAX_FAILURES_PER_CLIENT"]):
        response = client.post(
            LOGIN,
            json={"username": f"nobody-{n}", "password": "wrong"},
            headers={"X-Forwarded-For": "198.51.100.7"},
            environ_base=proxy,
        )
        assert response.status_code == 401
    other = client.post(
        LOGIN,
        json={"username": user.username, "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.8"},
        environ_base=proxy,
    )
    assert other.status_code == 200  # another client behind the same proxy
    attacker = client.post(
        LOGIN,
        json={"username": user.username, "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.7"},
        environ_base=proxy,
    )
    assert attacker.status_code == 429
    assert attacker.get_json()["code"] == "login_locked"
