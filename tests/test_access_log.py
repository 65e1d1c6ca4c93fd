"""The access log of personal-data reads: appended by the read, digested into the change chain,
verified by ``pokja audit-verify`` (DESIGN §3)."""

from __future__ import annotations

import sqlalchemy as sa

from pokja.audit import access_log, events
from pokja.extensions import db
from pokja.models import Event, PersonalDataRead
from tests.factories import new_case, reads_of

URL = "/api/v1/cases"


def read_in_full(client, headers_for, world, case) -> None:
    response = client.get(f"{URL}/{case.id}", headers=headers_for(world.coordinator))
    assert response.status_code == 200
    assert response.get_json()["redacted"] is False


def test_reads_are_digested_into_the_pokjas_chain_once(world, client, headers_for):
    first, second = new_case(world), new_case(world)
    db.session.commit()
    read_in_full(client, headers_for, world, first)
    read_in_full(client, headers_for, world, second)
    assert access_log.undigested(db.session, world.pokja.id) == 2
    assert access_log.digest_reads(db.session) == 2
    (digest,) = db.session.scalars(
        sa.select(Event).where(
            Event.pokja_id == world.pokja.id, Event.type == "access_log.digested"
        )
    ).all()
    assert digest.case_id is None  # not a change of a case: not in any case's history
    assert digest.data["reads"] == 2
    assert {r.digest_event_id for r in reads_of(first.id) + reads_of(second.id)} == {digest.id}
    assert access_log.digest_reads(db.session) == 0  # digested once
    assert access_log.verify_digests(db.session) is None
    assert events.verify_chain(db.session) is None


def test_a_digested_read_changed_added_or_removed_is_detected(world, client, headers_for):
    case = new_case(world)
    db.session.commit()
    read_in_full(client, headers_for, world, case)
    read_in_full(client, headers_for, world, case)
    access_log.digest_reads(db.session)
    first, second = reads_of(case.id)
    db.session.execute(
        sa.update(PersonalDataRead).where(PersonalDataRead.id == first.id).values(fields=[])
    )
    broken = access_log.verify_digests(db.session)
    assert broken is not None
    assert "differs" in broken.reason
    db.session.execute(
        sa.update(PersonalDataRead)
        .where(PersonalDataRead.id == first.id)
        .values(fields=["reporter", "subjects"])
    )
    assert access_log.verify_digests(db.session) is None
    db.session.execute(sa.delete(PersonalDataRead).where(PersonalDataRead.id == second.id))
    broken = access_log.verify_digests(db.session)
    assert broken is not None
    assert "holds 2 reads, the log 1" in broken.reason


def test_the_cli_digests_and_verifies_the_access_log(app, world, client, headers_for):
    case = new_case(world)
    db.session.commit()
    read_in_full(client, headers_for, world, case)
    runner = app.test_cli_runner()
    pending = runner.invoke(args=["audit-verify"])
    assert pending.exit_code == 0, pending.output
    assert "1 reads not digested yet" in pending.output
    digested = runner.invoke(args=["audit-digest"])
    assert "digested 1 personal-data reads" in digested.output
    (read,) = reads_of(case.id)
    db.session.execute(
        sa.update(PersonalDataRead).where(PersonalDataRead.id == read.id).values(user_id=None)
    )
    broken = runner.invoke(args=["audit-verify"])
    assert broken.exit_code == 1
    assert "access log BROKEN" in broken.output
