"""The request time is bounded under gunicorn's gthread workers (issue 9): gunicorn's own
``timeout`` never fires for a request thread stuck in a wait, so gunicorn.conf.py's watchdog
ends the worker of a request running longer than POKJA_REQUEST_TIMEOUT, and the master
starts a fresh one."""

from __future__ import annotations

import http.client
import json
import sqlite3
import time

import pytest

from pokja.extensions import db
from tests.conftest import PASSWORD
from tests.gunicorn_process import gunicorn, healthy, seeded_sqlite


def test_a_request_stuck_past_the_request_timeout_ends_its_worker_and_service_resumes(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))
    path = tmp_path / "bound.sqlite3"
    database = seeded_sqlite(path)
    body = json.dumps({"username": "target", "password": PASSWORD})
    # A database wait far longer than the request bound: only the watchdog can end it.
    with gunicorn(
        database,
        GUNICORN_WORKERS="1",
        POKJA_DB_LOCK_TIMEOUT_MS="30000",
        POKJA_REQUEST_TIMEOUT="2",
    ) as port:
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # the write lock the login needs
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        connection.request("POST", "/api/v1/auth/login", body, {"Content-Type": "application/json"})
        with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
            connection.getresponse()
        elapsed = time.monotonic() - started
        holder.execute("ROLLBACK")
        holder.close()

        deadline = time.monotonic() + 15
        while not healthy(port) and time.monotonic() < deadline:
            time.sleep(0.2)
        again = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        again.request("POST", "/api/v1/auth/login", body, {"Content-Type": "application/json"})
        status = again.getresponse().status

    assert 2 <= elapsed < 8, elapsed
    assert status == 200
