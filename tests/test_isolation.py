"""Each test runs in a transaction that is rolled back: nothing one test writes is seen by the
next, neither through the session nor through another connection."""

import sqlalchemy as sa

from pokja.extensions import db
from pokja.models import Pokja

PROBE = "rollback-probe"


def _count_through_session() -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Pokja).where(Pokja.name == PROBE)
    )


def test_a_write_is_seen_inside_its_test(make_pokja):
    make_pokja(name=PROBE)
    assert _count_through_session() == 1


def test_the_write_of_the_previous_test_is_gone():
    assert _count_through_session() == 0
    with db.engine.connect() as connection:
        count = connection.scalar(
            sa.text("SELECT count(*) FROM pokjas WHERE name = :n"), {"n": PROBE}
        )
    assert count == 0
