"""Two clients PATCH the same case with the same ETag at the same moment, on PostgreSQL, through
the whole HTTP stack: exactly one wins, the other gets 412, and nothing is lost (DESIGN §9, §11).

Like tests/test_concurrency_domain.py, this needs committed data and real connections, so it
builds its own database and app instead of the per-test rollback.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from pokja.api import tokens
from pokja.audit import events
from pokja.cases.registration import create_case
from pokja.directory.agencies import create_agency
from pokja.directory.pokjas import create_pokja
from pokja.directory.users import create_user
from pokja.extensions import db
from pokja.models import Case, Event, User
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


@pytest.fixture(scope="module")
def pg_app() -> Iterator[tuple[Flask, dict[str, Any]]]:
    url, drop = create_postgres_database(BASE_URL)
    app = make_test_app(url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 5, "max_overflow": 5})
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
            users = [
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
            ]
            session.commit()
            access_tokens = [tokens.start_session(session, user).access_token for user in users]
            session.commit()
            yield app, {"users": [u.id for u in users], "tokens": access_tokens}
            db.session.remove()
            db.engine.dispose()
    finally:
        drop()


def _committed_case(app: Flask, ids: dict[str, Any], monkeypatch: Any) -> tuple[Any, int]:
    """A new case, committed: its id and version. The autouse per-test rollback binds
    db.session to one connection of the suite's own database; these requests need the
    ordinary per-app-context sessions of this app."""
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))
    with app.app_context():
        actor = db.session.get_one(User, ids["users"][0])
        case = create_case(db.session, actor, case_data())
        db.session.commit()
        case_id, version = case.id, case.version
        db.session.remove()
    return case_id, version


@contextlib.contextmanager
def _both_at_the_update(app: Flask) -> Iterator[list[int]]:
    """While it lasts, the first two UPDATEs of a case wait for each other just before they
    are sent: two requests have both read the case before either writes. Yields the list of
    those that met (two when they raced)."""
    barrier = threading.Barrier(2)
    arrived: list[int] = []

    def before_update(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE CASES") and len(arrived) < 2:
            # A broken barrier means the other request ended early: nothing left to race.
            with contextlib.suppress(threading.BrokenBarrierError):
                arrived.append(barrier.wait(timeout=5))

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", before_update)
    try:
        yield arrived
    finally:
        sa.event.remove(engine, "before_cursor_execute", before_update)


def test_two_patches_with_the_same_etag_one_wins_one_gets_412(pg_app, monkeypatch):
    app, ids = pg_app
    case_id, version = _committed_case(app, ids, monkeypatch)
    # Both requests must have passed their If-Match check before either writes.
    with _both_at_the_update(app) as arrived:

        def patch(i: int) -> tuple[int, str]:
            response = app.test_client().patch(
                f"/api/v1/cases/{case_id}",
                json={"title": f"Judul dari klien {i}"},
                headers={
                    "Authorization": f"Bearer {ids['tokens'][i]}",
                    "If-Match": f'"{version}"',
                },
            )
            return response.status_code, response.get_data(as_text=True)

        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(patch, range(2)))

    assert len(arrived) == 2, "both requests passed If-Match and raced to the UPDATE"
    statuses = sorted(status for status, _ in results)
    assert statuses == [200, 412], results
    winner = next(i for i, (status, _) in enumerate(results) if status == 200)
    with app.app_context():
        stored = db.session.get_one(Case, case_id)
        assert stored.title == f"Judul dari klien {winner}"
        assert stored.version == version + 1
        updates = db.session.scalars(
            sa.select(Event).where(Event.case_id == case_id, Event.type == "case.updated")
        ).all()
        assert len(updates) == 1
        assert updates[0].data["after"] == {"title": f"Judul dari klien {winner}"}
        assert updates[0].actor_user_id == ids["users"][winner]
        assert events.verify_chain(db.session) is None
        db.session.remove()


def test_two_stage_changes_at_once_without_if_match_lose_nothing(pg_app, monkeypatch):
    """Two clients move a received case at the same moment, neither with If-Match: one to
    examination, the other to a dismissal. Whatever order they land in, every change answered
    200 is in the case's history once and in its version, the stored stage is the last one
    applied, and a refused one wrote nothing."""
    app, ids = pg_app
    case_id, version = _committed_case(app, ids, monkeypatch)
    bodies = [
        {"stage": "examination"},
        {"stage": "dismissed", "dismissal_reason": "insufficient_evidence"},
    ]
    # Each request has read the case (stage "received") before either writes.
    with _both_at_the_update(app) as arrived:

        def move(i: int) -> tuple[int, Any]:
            response = app.test_client().post(
                f"/api/v1/cases/{case_id}/stage",
                json=bodies[i],
                headers={"Authorization": f"Bearer {ids['tokens'][i]}"},
            )
            return response.status_code, response.get_json()

        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(move, range(2)))

    assert len(arrived) == 2, "both requests read the case and raced to the UPDATE"
    applied = [i for i, (status, _) in enumerate(results) if status == 200]
    refused = [i for i, (status, _) in enumerate(results) if status != 200]
    assert applied, results
    assert all(results[i][0] in (409, 412) for i in refused), results
    with app.app_context():
        stored = db.session.get_one(Case, case_id)
        changes = db.session.scalars(
            sa.select(Event)
            .where(Event.case_id == case_id, Event.type == "case.stage_changed")
            .order_by(Event.seq)
        ).all()
        assert stored.version == version + len(applied)
        assert len(changes) == len(applied)
        # Each applied change answered with its own version; the stage stored is the one of
        # the change applied last (the highest version), and the history lists them in order.
        versions = sorted(results[i][1]["version"] for i in applied)
        assert versions == list(range(version + 1, version + 1 + len(applied)))
        last = max(applied, key=lambda i: results[i][1]["version"])
        assert stored.stage == bodies[last]["stage"]
        in_order = sorted(applied, key=lambda i: results[i][1]["version"])
        assert [e.data["after"]["stage"] for e in changes] == [bodies[i]["stage"] for i in in_order]
        assert events.verify_chain(db.session) is None
