"""Test fixtures: one migrated database per session, one rolled-back transaction per test.

The suite runs on SQLite by default. With ``POKJA_TEST_DATABASE_URL`` pointing at a
PostgreSQL server, it creates a throw-away database there, runs every test against it and
drops it at the end.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session as FlaskSQLAlchemySession
from sqlalchemy.engine import make_url

from pokja import create_app
from pokja.api import tokens
from pokja.directory.agencies import create_agency
from pokja.directory.pokjas import create_pokja
from pokja.directory.users import create_user
from pokja.extensions import db, limiter
from pokja.models import Agency, Pokja, User

PASSWORD = "correct horse battery"


def create_postgres_database(base_url: str) -> tuple[str, Callable[[], None]]:
    url = make_url(base_url).set(drivername="postgresql+psycopg")
    name = f"pokja_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = os.environ.get("POKJA_TEST_DATABASE_URL")
    if base:
        url, drop = create_postgres_database(base)
        yield url
        drop()
    else:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "pokja-test.sqlite3")


def make_test_app(database_url: str, **overrides: Any) -> Flask:
    config = {
        "POKJA_ENV": "testing",
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-hs256",
        "JWT_SECRET_KEY": "test-secret-key-that-is-long-enough-for-hs256",
        "ARGON2_PROFILE": "CHEAPEST",
        "RATELIMIT_STORAGE_URI": "memory://",
        # The API tests subscribe local URLs (never called); tests/test_webhook_addresses.py
        # turns this off to see them refused.
        "POKJA_WEBHOOK_ALLOW_PRIVATE_NETWORKS": "true",
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    app = make_test_app(database_url)
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


class ConnectionBoundSession(FlaskSQLAlchemySession):
    """Flask-SQLAlchemy's session picks the engine in ``get_bind`` and would ignore the test's
    connection, committing for real; this one stays on the connection it was given."""

    def get_bind(self, *args: Any, **kwargs: Any) -> Any:
        return self.bind if self.bind is not None else super().get_bind(*args, **kwargs)


@pytest.fixture(autouse=True)
def db_connection(app: Flask) -> Iterator[sa.Connection]:
    """Run each test inside a transaction that is rolled back afterwards.

    The handlers' commits become savepoint releases (``create_savepoint``), so the test sees
    the effect of a request but nothing survives the test.
    """
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
                "class_": ConnectionBoundSession,
            }
        )
        limiter.reset()
        try:
            yield connection
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


# Transaction control is the harness's (savepoints per test) or the driver's, not the request's.
_TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


class Statements(list[str]):
    """The SQL statements sent while counting, without transaction control."""


@pytest.fixture
def count_queries() -> Callable[[], Any]:
    """``with count_queries() as statements: client.get(...)``: every statement the block sends.

    The session is emptied first, so that a request loads what it needs as it would outside
    the tests (here requests share the test's application context and its identity map).
    Every statement budget of the suite (DESIGN §11) is measured with this one fixture.
    """

    @contextmanager
    def counting() -> Iterator[Statements]:
        statements = Statements()

        def record(conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
            if not statement.lstrip().upper().startswith(_TRANSACTION_CONTROL):
                statements.append(statement)

        db.session.remove()
        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)

    return counting


# --- factories -------------------------------------------------------------------------------


@pytest.fixture
def make_pokja() -> Callable[..., Pokja]:
    def make(**fields: Any) -> Pokja:
        data = {
            "name": f"Pokja {uuid.uuid4().hex[:8]}",
            "region_code": "17.01",
            "region_name": "Kabupaten Bengkulu Selatan",
            "level": "kabupaten",
            "timezone": "Asia/Jakarta",
        }
        data.update(fields)
        pokja = create_pokja(db.session, None, data)
        db.session.commit()
        return pokja

    return make


@pytest.fixture
def make_agency() -> Callable[..., Agency]:
    def make(pokja: Pokja, kind: str = "BAWASLU", **fields: Any) -> Agency:
        data = {"pokja_id": pokja.id, "kind": kind, "name": f"{kind} {uuid.uuid4().hex[:6]}"}
        data.update(fields)
        agency = create_agency(db.session, None, data)
        db.session.commit()
        return agency

    return make


@pytest.fixture
def make_user() -> Callable[..., User]:
    def make(
        role: str, pokja: Pokja | None = None, agency: Agency | None = None, **fields: Any
    ) -> User:
        data = {
            "username": f"{role}-{uuid.uuid4().hex[:8]}",
            "display_name": f"Test {role}",
            "password": PASSWORD,
            "role": role,
            "pokja_id": pokja.id if pokja else None,
            "agency_id": agency.id if agency else None,
        }
        data.update(fields)
        user = create_user(db.session, None, data)
        db.session.commit()
        return user

    return make


@pytest.fixture
def tokens_for() -> Callable[[User], tokens.TokenPair]:
    def issue(user: User) -> tokens.TokenPair:
        pair = tokens.start_session(db.session, user)
        db.session.commit()
        return pair

    return issue


@pytest.fixture
def headers_for(tokens_for: Callable[[User], tokens.TokenPair]) -> Callable[..., dict[str, str]]:
    def headers(user: User, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens_for(user).access_token}", **extra}

    return headers


class World:
    """A Pokja with its six agencies and a user per role, plus a second Pokja's coordinator."""

    def __init__(self, make_pokja: Any, make_agency: Any, make_user: Any) -> None:
        self.pokja = make_pokja()
        self.agencies = {
            kind: make_agency(self.pokja, kind)
            for kind in ("BAWASLU", "BKDPSDM", "INSPEKTORAT", "KEJARI", "TNI", "POLRI")
        }
        bawaslu = self.agencies["BAWASLU"]
        self.admin = make_user("admin")
        self.coordinator = make_user("coordinator", self.pokja, bawaslu)
        self.secretary = make_user("secretary", self.pokja, bawaslu)
        self.viewer = make_user("viewer", self.pokja)
        self.liaisons = {
            kind: make_user("liaison", self.pokja, agency) for kind, agency in self.agencies.items()
        }
        self.other_pokja = make_pokja()
        self.other_agency = make_agency(self.other_pokja, "BAWASLU")
        self.other_coordinator = make_user("coordinator", self.other_pokja, self.other_agency)
        self.other_liaison = make_user("liaison", self.other_pokja, self.other_agency)


@pytest.fixture
def world(make_pokja: Any, make_agency: Any, make_user: Any) -> World:
    return World(make_pokja, make_agency, make_user)
