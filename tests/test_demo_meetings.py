"""The demo's meetings: the closed rakor of 13 December 2023 with the six agencies' attendance
and two decisions (one done, one open), and a draft next meeting."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa

from pokja.audit import events
from pokja.demo import seed
from pokja.demo.catalogue import WIB
from pokja.extensions import db
from pokja.meetings.agenda_snapshot import freeze_agenda
from pokja.models import Decision, Event, Meeting, MeetingInvitation, Pokja


@pytest.fixture
def pokja() -> Pokja:
    seed.seed_demo(db.session, "demo-password")
    db.session.commit()
    return db.session.scalars(sa.select(Pokja).where(Pokja.name == seed.DEMO_POKJA["name"])).one()


def meetings(pokja):
    stmt = sa.select(Meeting).where(Meeting.pokja_id == pokja.id).order_by(Meeting.starts_at)
    return list(db.session.scalars(stmt))


def test_the_closed_rakor_and_the_draft_next_meeting(pokja):
    rakor, upcoming = meetings(pokja)
    assert rakor.status == "closed"
    assert rakor.starts_at == datetime(2023, 12, 13, 9, 0, tzinfo=WIB)
    assert rakor.place == "Media center Bawaslu Kabupaten Bengkulu Selatan"
    head = db.session.scalars(
        sa.select(Event).where(Event.pokja_id == pokja.id, Event.type == "meeting.closed")
    ).one()
    assert (rakor.chain_head_seq, rakor.chain_head_hash) == (head.seq, head.hash)
    assert upcoming.status == "draft"
    assert events.verify_chain(db.session, pokja.id) is None


def test_the_six_agencies_attendance_is_recorded(pokja):
    rakor = meetings(pokja)[0]
    invitations = db.session.scalars(
        sa.select(MeetingInvitation).where(MeetingInvitation.meeting_id == rakor.id)
    ).all()
    assert len(invitations) == 6
    assert all(i.attendance in ("present", "excused") for i in invitations)
    assert sum(bool(i.attendees) for i in invitations) == 5


def test_one_decision_is_done_and_the_open_one_carries_over(pokja):
    rakor, upcoming = meetings(pokja)
    decisions = db.session.scalars(sa.select(Decision).where(Decision.meeting_id == rakor.id)).all()
    assert sorted(d.status for d in decisions) == ["done", "open"]
    [still_open] = [d for d in decisions if d.status == "open"]
    freeze_agenda(upcoming)
    carried = upcoming.agenda_snapshot["sections"]["open_decisions"]
    assert [d["id"] for d in carried] == [str(still_open.id)]
    db.session.rollback()


def test_seeding_again_adds_no_meeting(pokja):
    before = len(meetings(pokja)), db.session.scalar(sa.select(sa.func.count()).select_from(Event))
    seed.seed_demo(db.session, "demo-password")
    db.session.commit()
    after = len(meetings(pokja)), db.session.scalar(sa.select(sa.func.count()).select_from(Event))
    assert after == before
