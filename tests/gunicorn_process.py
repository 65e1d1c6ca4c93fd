"""gunicorn as production runs it (``gunicorn -c gunicorn.conf.py wsgi:app``), in a
subprocess on a free port, against a SQLite file the test prepared."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask_migrate import upgrade

from pokja.directory.users import create_user
from pokja.extensions import db
from tests.conftest import PASSWORD, make_test_app
from tests.pg_cluster import free_port

REPO = Path(__file__).resolve().parent.parent
SECRET = "test-secret-key-that-is-long-enough-for-hs256"


def seeded_sqlite(path: Path, username: str = "target") -> str:
    """A migrated SQLite file with one administrator (password :data:`PASSWORD`); its URL.
    The caller has given ``db`` ordinary sessions (the suite binds it to its own database)."""
    database = f"sqlite:///{path}"
    app = make_test_app(database)
    with app.app_context():
        upgrade()
        create_user(
            db.session,
            None,
            {"username": username, "display_name": "T", "password": PASSWORD, "role": "admin"},
        )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return database


def healthy(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False


@contextmanager
def gunicorn(database: str, **env: str) -> Iterator[int]:
    """Serve the app on a free port until the block ends; yields the port."""
    port = free_port()
    environ = {
        **os.environ,
        "POKJA_ENV": "testing",
        "DATABASE_URL": database,
        "SECRET_KEY": SECRET,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "REDIS_URL": "",
        **env,
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=REPO,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while not healthy(port):
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                log = server.stderr.read().decode() if server.stderr else ""
                raise AssertionError(f"gunicorn did not start:\n{log}")
            time.sleep(0.2)
        yield port
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
