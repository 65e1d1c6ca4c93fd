"""The hash-chained audit trail and `pokja audit-verify`."""

from __future__ import annotations

import sqlalchemy as sa

from pokja.audit import events
from pokja.extensions import db
from pokja.models import Event, EventChainHead
from tests.factories import new_case


def append(pokja, actor, n=3):
    return [
        events.record(
            db.session,
            pokja_id=pokja.id,
            case_id=None,
            actor=actor,
            type="test.thing",
            data={"i": i, "when": pokja.created_at, "who": actor.id},
        )
        for i in range(n)
    ]


def test_events_are_chained_in_order(world):
    recorded = append(world.pokja, world.coordinator)
    assert [e.seq for e in recorded] == [1, 2, 3]
    assert recorded[0].prev_hash == events.GENESIS_HASH
    assert [e.prev_hash for e in recorded[1:]] == [e.hash for e in recorded[:-1]]
    assert recorded[0].actor_agency_id == world.agencies["BAWASLU"].id
    assert recorded[0].data["who"] == str(world.coordinator.id)  # stored as plain JSON
    head = db.session.get(EventChainHead, world.pokja.id)
    assert (head.last_seq, head.last_hash) == (3, recorded[-1].hash)
    assert events.verify_chain(db.session) is None
    assert events.verify_chain(db.session, world.pokja.id) is None


def test_each_pokja_has_its_own_chain(world):
    append(world.pokja, world.coordinator, 2)
    other = append(world.other_pokja, world.other_coordinator, 2)
    assert [e.seq for e in other] == [1, 2]
    assert events.verify_chain(db.session) is None


def test_domain_changes_are_recorded_and_verify(world):
    case = new_case(world)
    event = db.session.scalar(sa.select(Event).where(Event.case_id == case.id))
    assert event.type == "case.created"
    assert event.data["after"]["register_number"] == case.register_number
    assert "Siti Aminah" not in str(event.data)  # the reporter stays out of the log
    assert events.verify_chain(db.session, world.pokja.id) is None


def test_a_changed_event_is_named(world):
    recorded = append(world.pokja, world.coordinator, 4)
    db.session.execute(sa.update(Event).where(Event.id == recorded[2].id).values(data={"i": 99}))
    broken = events.verify_chain(db.session, world.pokja.id)
    assert (broken.event_id, broken.seq) == (recorded[2].id, 3)
    assert "differs" in broken.reason
    assert events.verify_chain(db.session, world.other_pokja.id) is None


def test_a_removed_event_is_detected(world):
    recorded = append(world.pokja, world.coordinator, 4)
    db.session.execute(sa.delete(Event).where(Event.id == recorded[1].id))
    broken = events.verify_chain(db.session)
    assert (broken.event_id, broken.seq) == (recorded[2].id, 3)


def test_a_removed_last_event_is_detected_by_the_head(world):
    recorded = append(world.pokja, world.coordinator, 3)
    db.session.execute(sa.delete(Event).where(Event.id == recorded[-1].id))
    broken = events.verify_chain(db.session)
    assert (broken.pokja_id, broken.seq, broken.event_id) == (world.pokja.id, 3, None)


def test_a_rewritten_hash_breaks_the_next_link(world):
    recorded = append(world.pokja, world.coordinator, 3)
    db.session.execute(
        sa.update(Event).where(Event.id == recorded[0].id).values(data={}, hash="f" * 64)
    )
    broken = events.verify_chain(db.session)
    assert broken.seq == 1  # its own hash no longer matches its content


def test_the_cli_reports_a_broken_chain(app, world):
    recorded = append(world.pokja, world.coordinator, 3)
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["audit-verify"])
    assert ok.exit_code == 0, ok.output
    assert "intact" in ok.output
    db.session.execute(sa.update(Event).where(Event.id == recorded[1].id).values(type="x"))
    broken = runner.invoke(args=["audit-verify", "--pokja-id", str(world.pokja.id)])
    assert broken.exit_code == 1
    assert str(recorded[1].id) in broken.output
    assert "seq 2" in broken.output
