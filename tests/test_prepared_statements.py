"""Reads keep their prepared statements (issue 8): a transaction that sent only SELECTs ends
with COMMIT, because psycopg forgets a connection's prepared statements on ROLLBACK; any
other transaction still rolls back (pokja.extensions.end_reads_with_commit)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.api import tokens
from pokja.extensions import db
from pokja.models import User
from tests.postgres_pokja import NEEDS_POSTGRES, PostgresPokja, postgres_pokja

pytestmark = NEEDS_POSTGRES

PREPARED = sa.text("SELECT statement FROM pg_prepared_statements")


@pytest.fixture(scope="module")
def pg() -> Iterator[PostgresPokja]:
    with postgres_pokja(
        "Pokja Kabupaten Kaur",
        "17.04",
        ("BAWASLU",),
        (("coordinator", "coordinator", "BAWASLU"),),
    ) as setup:
        yield setup


@pytest.fixture
def app_engine(pg: PostgresPokja, monkeypatch: pytest.MonkeyPatch) -> Iterator[sa.Engine]:
    # The app's own sessions and engine (not the suite's per-test transaction).
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))
    with pg.app.app_context():
        yield db.engine


def test_the_case_lists_statements_stay_prepared_across_requests(pg, app_engine):
    with Session(pg.engine) as session:
        user = session.get_one(User, pg.ids["coordinator"])
        token = tokens.start_session(session, user).access_token
        session.commit()
    client = pg.app.test_client()
    for _ in range(8):  # psycopg prepares a statement on its 5th run
        # Each request in an app context of its own, ended as a served request ends.
        with pg.app.app_context():
            response = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 200
    # One thread, one pooled connection: the one the requests used.
    with app_engine.connect() as conn:
        prepared = conn.execute(PREPARED).scalars().all()
    assert any(statement.startswith("SELECT cases.id") for statement in prepared), prepared


def test_a_transaction_that_wrote_still_rolls_back(pg, app_engine):
    name = f"never-{uuid.uuid4().hex[:8]}"
    with app_engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))
        conn.execute(
            sa.text("UPDATE pokjas SET name = :name WHERE id = :id"),
            {"name": name, "id": pg.ids["pokja"]},
        )
        conn.rollback()
        assert (
            conn.execute(
                sa.text("SELECT count(*) FROM pokjas WHERE name = :n"), {"n": name}
            ).scalar()
            == 0
        )


def test_a_failed_transaction_rolls_back_and_the_connection_is_usable(app_engine):
    with app_engine.connect() as conn:
        with pytest.raises(sa.exc.DBAPIError):
            conn.execute(sa.text("SELECT 1 / 0"))
        conn.rollback()
        assert conn.execute(sa.text("SELECT 2")).scalar() == 2


def test_a_read_only_transaction_ends_idle_with_its_statements_kept(app_engine):
    with app_engine.connect() as conn:
        for _ in range(6):
            conn.execute(sa.text("SELECT count(*) FROM agencies WHERE kind = :k"), {"k": "TNI"})
        conn.rollback()
        dbapi = conn.connection.dbapi_connection
        assert dbapi.info.transaction_status.name == "IDLE"
        assert any("FROM agencies WHERE kind" in s for s in conn.execute(PREPARED).scalars())


def test_preparing_turned_off_prepares_nothing(pg):
    from tests.conftest import make_test_app

    url = pg.engine.url.render_as_string(hide_password=False)
    app = make_test_app(url, POKJA_DB_PREPARE_THRESHOLD=0)
    with app.app_context():
        engine = db.engine
        with engine.connect() as conn:
            for _ in range(8):
                conn.execute(sa.text("SELECT count(*) FROM users WHERE role = :r"), {"r": "x"})
            assert conn.execute(PREPARED).scalars().all() == []
        engine.dispose()


def test_a_read_whose_connection_is_lost_before_it_ends_ends_quietly(app_engine):
    """The server goes away after the last SELECT of a read (a failover, a restart): ending
    the read must not raise, and the pool goes on with a new connection."""
    with app_engine.connect() as conn:
        pid = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar()
        with app_engine.connect() as other:
            other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        conn.rollback()  # the COMMIT a read ends with fails: no exception escapes
        assert conn.invalidated
    with app_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT 3")).scalar() == 3
