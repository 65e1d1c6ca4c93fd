"""Real concurrent transactions on PostgreSQL: register numbers, accepts, the event chain.

The per-test rollback cannot host several connections, so these tests build their own
database, commit for real from many threads, and drop the database at the end.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.orm import Session

from pokja.audit import events
from pokja.cases.registration import create_case
from pokja.directory.agencies import create_agency
from pokja.directory.pokjas import create_pokja
from pokja.directory.users import create_user
from pokja.errors import Conflict, NotPermitted
from pokja.extensions import db
from pokja.followup.recommendations import issue_recommendation
from pokja.handoffs.lifecycle import accept_handoff, start_handoff
from pokja.handoffs.shares import grant_share
from pokja.models import Case, Event, Handoff, Recommendation, Share, User
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


class Fixture:
    def __init__(self, engine: sa.Engine, ids: dict[str, uuid.UUID]) -> None:
        self.engine = engine
        self.ids = ids

    def run(self, n: int, work: Callable[[Session, int], Any]) -> list[Any]:
        """Run ``work`` in ``n`` threads at once, each in its own committed transaction;
        returns each result or the exception it raised."""
        barrier = threading.Barrier(n)

        def one(i: int) -> Any:
            with Session(self.engine) as session:
                barrier.wait()
                try:
                    result = work(session, i)
                    session.commit()
                    return result
                except Exception as exc:  # returned: the test asserts on what was raised
                    session.rollback()
                    return exc

        with ThreadPoolExecutor(max_workers=n) as pool:
            return list(pool.map(one, range(n)))


@pytest.fixture(scope="module")
def pg() -> Iterator[Fixture]:
    url, drop = create_postgres_database(BASE_URL)
    app = make_test_app(url)
    engine = sa.create_engine(url, pool_size=10, max_overflow=60)
    try:
        with app.app_context():
            upgrade()
            with Session(engine) as session:
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
                agencies = {
                    kind: create_agency(
                        session, None, {"pokja_id": pokja.id, "kind": kind, "name": kind}
                    )
                    for kind in ("BAWASLU", "BKDPSDM")
                }
                users = {
                    name: create_user(
                        session,
                        None,
                        {
                            "username": name,
                            "display_name": name,
                            "password": "x" * 12,
                            "role": role,
                            "pokja_id": pokja.id,
                            "agency_id": agencies[kind].id,
                        },
                    )
                    for name, role, kind in (
                        ("bawaslu", "liaison", "BAWASLU"),
                        ("bkd", "liaison", "BKDPSDM"),
                        ("coordinator", "coordinator", "BAWASLU"),
                    )
                }
                ids = {
                    "pokja": pokja.id,
                    **{k: a.id for k, a in agencies.items()},
                    **{k: u.id for k, u in users.items()},
                }
                session.commit()
            yield Fixture(engine, ids)
            db.engine.dispose()
    finally:
        engine.dispose()
        drop()


def test_concurrent_registrations_get_consecutive_distinct_numbers(pg):
    def register(session: Session, _i: int) -> str:
        actor = session.get_one(User, pg.ids["bawaslu"])
        return create_case(session, actor, case_data(source="finding")).register_number

    numbers = pg.run(50, register)
    assert all(isinstance(n, str) for n in numbers), numbers
    assert len(set(numbers)) == 50
    assert sorted(int(n.split("/")[0]) for n in numbers) == list(range(1, 51))
    with Session(pg.engine) as session:
        assert events.verify_chain(session, pg.ids["pokja"]) is None


def test_two_concurrent_accepts_one_wins(pg):
    case_id, handoff_id = _case_pending_to_bkdpsdm(pg)
    with Session(pg.engine) as session:
        version = session.get_one(Case, case_id).version

    def accept(session: Session, i: int) -> str:
        actor = session.get_one(User, pg.ids["bkd" if i == 0 else "coordinator"])
        accept_handoff(session, actor, session.get_one(Handoff, handoff_id))
        return "accepted"

    results = pg.run(2, accept)
    assert results.count("accepted") == 1, results
    assert [type(r) for r in results if r != "accepted"] == [Conflict]
    with Session(pg.engine) as session:
        case = session.get_one(Case, case_id)
        assert case.holder_agency_id == pg.ids["BKDPSDM"]
        assert case.version == version + 1
        accepted = session.scalars(
            sa.select(Event).where(Event.case_id == case_id, Event.type == "handoff.accepted")
        ).all()
        assert len(accepted) == 1
        assert events.verify_chain(session) is None


def test_concurrent_event_appends_keep_one_chain(pg):
    def append(session: Session, i: int) -> int:
        return events.record(
            session,
            pokja_id=pg.ids["pokja"],
            case_id=None,
            actor=None,
            type="test.concurrent",
            data={"i": i},
        ).seq

    seqs = pg.run(30, append)
    assert all(isinstance(s, int) for s in seqs), seqs
    assert len(set(seqs)) == 30
    with Session(pg.engine) as session:
        assert events.verify_chain(session) is None
        total = session.scalar(
            sa.select(sa.func.max(Event.seq)).where(Event.pokja_id == pg.ids["pokja"])
        )
        assert sorted(seqs) == list(range(total - 29, total + 1))


def _case_pending_to_bkdpsdm(pg: Fixture) -> tuple[uuid.UUID, uuid.UUID]:
    """A committed case held by BAWASLU with a pending handoff to BKDPSDM: (case, handoff)."""
    with Session(pg.engine) as session:
        bawaslu = session.get_one(User, pg.ids["bawaslu"])
        case = create_case(session, bawaslu, case_data())
        handoff = start_handoff(
            session, bawaslu, case, {"to_agency_id": pg.ids["BKDPSDM"], "purpose": "follow_up"}
        )
        session.commit()
        return case.id, handoff.id


def _accept_in_another_transaction(pg: Fixture, handoff_id: uuid.UUID) -> None:
    with Session(pg.engine) as receiver:
        accept_handoff(
            receiver, receiver.get_one(User, pg.ids["bkd"]), receiver.get_one(Handoff, handoff_id)
        )
        receiver.commit()


FORMER_HOLDERS_WRITES = {
    "a handoff": lambda session, actor, case, pg: start_handoff(
        session, actor, case, {"to_agency_id": pg.ids["BKDPSDM"], "purpose": "follow_up"}
    ),
    "a share": lambda session, actor, case, pg: grant_share(
        session, actor, case, pg.ids["BKDPSDM"], "Pemeriksaan bersama"
    ),
    "a recommendation": lambda session, actor, case, pg: issue_recommendation(
        session,
        actor,
        case,
        {
            "addressee_agency_id": pg.ids["BKDPSDM"],
            "number": "R-1",
            "date": date(2026, 12, 1),
            "text": "Mohon ditindaklanjuti.",
        },
    ),
}


@pytest.mark.parametrize("write", FORMER_HOLDERS_WRITES, ids=list(FORMER_HOLDERS_WRITES))
def test_a_write_from_a_case_read_before_an_accept_is_refused(pg, write):
    """The former holder's request read the case while a handoff of it was pending; the
    receiver's accept commits before the request goes on. The case is read again under a row
    lock, so the request sees the new holder and may not act as the holder any more."""
    case_id, handoff_id = _case_pending_to_bkdpsdm(pg)
    with Session(pg.engine) as former_holder:
        stale_case = former_holder.get_one(Case, case_id)
        assert stale_case.holder_agency_id == pg.ids["BAWASLU"]
        _accept_in_another_transaction(pg, handoff_id)
        actor = former_holder.get_one(User, pg.ids["bawaslu"])
        with pytest.raises(NotPermitted):
            FORMER_HOLDERS_WRITES[write](former_holder, actor, stale_case, pg)
        former_holder.rollback()

    with Session(pg.engine) as session:
        assert session.get_one(Case, case_id).holder_agency_id == pg.ids["BKDPSDM"]
        handoffs = session.scalars(sa.select(Handoff).where(Handoff.case_id == case_id)).all()
        assert [h.status for h in handoffs] == ["accepted"]
        assert session.scalars(sa.select(Share).where(Share.case_id == case_id)).all() == []
        assert (
            session.scalars(
                sa.select(Recommendation).where(Recommendation.case_id == case_id)
            ).all()
            == []
        )
