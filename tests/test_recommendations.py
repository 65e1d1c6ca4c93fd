"""Recommendations as domain functions: deadlines, follow-up, escalations, sanctions."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from pokja.cases.editing import change_stage
from pokja.errors import Conflict, InvalidTransition, NotPermitted, RuleViolation
from pokja.extensions import db
from pokja.followup.escalations import escalate
from pokja.followup.follow_up import follow_up
from pokja.followup.recommendations import (
    deadline_view,
    issue_recommendation,
    overdue_condition,
)
from pokja.models import Event, OutboxMessage, Recommendation, Sanction, Share, Subject
from pokja.notify import reminders
from pokja.notify.subscriptions import create_subscription
from pokja.time import clock
from pokja.time.settings import calendar_for
from tests.factories import new_case

JAKARTA = ZoneInfo("Asia/Jakarta")
ISSUED = datetime(2024, 3, 1, 10, 0, tzinfo=JAKARTA)  # a Friday
# 14 working days after Friday 1 March 2024, skipping Nyepi (Monday 11 March).
DUE = datetime(2024, 3, 22, 23, 59, 59, 999999, tzinfo=JAKARTA)


@pytest.fixture
def frozen(monkeypatch):
    """Set "now" for the domain: ``frozen(moment)``."""

    def freeze(moment: datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment)

    freeze(ISSUED)
    return freeze


def examined_case(world, **overrides):
    bawaslu = world.liaisons["BAWASLU"]
    case = new_case(world, **overrides)
    change_stage(db.session, bawaslu, case, "examination")
    db.session.commit()
    return case


def issue(world, case, addressee=None, actor=None):
    data = {
        "addressee_agency_id": (addressee or world.agencies["INSPEKTORAT"]).id,
        "number": "045/PP.01.02/K.BE-07/03/2024",
        "date": date(2024, 3, 1),
        "text": "Merekomendasikan penjatuhan sanksi sesuai PP 94/2021.",
    }
    actor = actor or world.liaisons["BAWASLU"]
    rec = issue_recommendation(db.session, actor, case, data)
    db.session.commit()
    return rec


def subject_of(case):
    return db.session.scalar(sa.select(Subject).where(Subject.case_id == case.id))


def sanction(case, **fields):
    return {"subject_id": subject_of(case).id, "level": "light", "kind": "oral_reprimand", **fields}


def test_follow_up_is_due_14_working_days_after_issue(world, frozen):
    rec = issue(world, examined_case(world))
    assert rec.follow_up_due_at == DUE
    assert rec.due_unit == "working"
    assert rec.status == "issued"


def test_issue_moves_case_to_recommended_and_records_it(world, frozen):
    case = examined_case(world)
    rec = issue(world, case)
    assert case.stage == "recommended"
    types = db.session.scalars(
        sa.select(Event.type).where(Event.case_id == case.id).order_by(Event.seq)
    ).all()
    assert "recommendation.issued" in types
    assert types[-1] in ("case.shared", "case.stage_changed")
    assert rec.issuing_agency_id == world.agencies["BAWASLU"].id


def test_issue_shares_the_case_with_the_addressee(world, frozen):
    case = examined_case(world)
    issue(world, case)
    shared = db.session.scalars(sa.select(Share.agency_id).where(Share.case_id == case.id))
    assert set(shared) == {world.agencies["INSPEKTORAT"].id}


def test_overdue_flips_exactly_at_the_deadline(world, frozen):
    rec = issue(world, examined_case(world))
    calendar = calendar_for(db.session, world.pokja)

    def view(moment):
        return deadline_view(calendar, rec.follow_up_due_at, "working", moment, open=True)

    before = DUE - timedelta(microseconds=1)
    assert view(before)["overdue"] is False
    assert view(before)["days_left"] == 0
    assert view(DUE)["overdue"] is True
    assert view(ISSUED)["days_left"] == 14
    for moment, expected in ((before, False), (DUE, True)):
        stmt = sa.select(Recommendation.id).where(
            Recommendation.id == rec.id, overdue_condition(moment)
        )
        assert (db.session.scalar(stmt) is not None) is expected


def test_pilkada_case_uses_the_pilkada_clock(world, frozen):
    world.pokja.clock_overrides = {
        "recommendation_follow_up": {"pilkada": {"length": 5, "unit": "calendar"}}
    }
    db.session.commit()
    pemilu = issue(world, examined_case(world))
    pilkada = issue(world, examined_case(world, election="pilkada-2024", election_kind="pilkada"))
    assert pemilu.follow_up_due_at == DUE
    assert pilkada.follow_up_due_at == datetime(2024, 3, 6, 23, 59, 59, 999999, tzinfo=JAKARTA)
    assert pilkada.due_unit == "calendar"


def test_a_later_settings_change_does_not_move_the_deadline(world, frozen):
    rec = issue(world, examined_case(world))
    world.pokja.clock_overrides = {
        "recommendation_follow_up": {"pemilu": {"length": 3, "unit": "working"}}
    }
    db.session.commit()
    db.session.refresh(rec)
    assert rec.follow_up_due_at == DUE


def test_only_the_holder_issues(world, frozen):
    case = examined_case(world)
    with pytest.raises(NotPermitted):
        issue(world, case, actor=world.liaisons["INSPEKTORAT"])


def test_a_received_case_cannot_be_recommended(world, frozen):
    case = new_case(world)
    with pytest.raises(InvalidTransition):
        issue(world, case)


def test_addressee_follows_up_with_sanctions_and_case_is_decided(world, frozen):
    case = examined_case(world)
    rec = issue(world, case)
    frozen(datetime(2024, 3, 20, 9, 0, tzinfo=JAKARTA))
    data = {"outcome": "followed_up", "sanctions": [sanction(case, decree_number="800/1")]}
    follow_up(db.session, world.liaisons["INSPEKTORAT"], rec, data)
    db.session.commit()
    assert rec.status == "followed_up"
    assert rec.on_time is True
    assert rec.late_working_days == 0
    assert case.stage == "decided"
    row = db.session.scalar(sa.select(Sanction).where(Sanction.case_id == case.id))
    assert (row.kind, row.recommendation_id, row.deciding_agency_id) == (
        "oral_reprimand",
        rec.id,
        world.agencies["INSPEKTORAT"].id,
    )


def test_late_follow_up_records_working_days_late(world, frozen):
    rec = issue(world, examined_case(world))
    # Friday 22 March is the last day; Wednesday 27 March is 3 working days later.
    frozen(datetime(2024, 3, 27, 8, 0, tzinfo=JAKARTA))
    data = {"outcome": "rejected", "reasons": "Terlapor bukan pegawai kami."}
    follow_up(db.session, world.liaisons["INSPEKTORAT"], rec, data)
    assert rec.on_time is False
    assert rec.late_working_days == 3
    assert rec.reasons == "Terlapor bukan pegawai kami."


def test_follow_up_the_weekend_after_the_deadline_is_late_by_zero_working_days(world, frozen):
    rec = issue(world, examined_case(world))
    frozen(datetime(2024, 3, 23, 9, 0, tzinfo=JAKARTA))
    follow_up(
        db.session, world.coordinator, rec, {"outcome": "rejected", "reasons": "Tidak terbukti"}
    )
    assert rec.on_time is False
    assert rec.late_working_days == 0


@pytest.mark.parametrize("caller", ["BAWASLU", "BKDPSDM", "KEJARI"])
def test_only_the_addressee_side_follows_up(world, frozen, caller):
    rec = issue(world, examined_case(world))
    with pytest.raises(NotPermitted):
        follow_up(db.session, world.liaisons[caller], rec, {"outcome": "rejected", "reasons": "x"})


def test_bkdpsdm_acts_for_the_ppk(world, frozen, make_agency):
    ppk = make_agency(world.pokja, "PPK")
    case = examined_case(world)
    rec = issue(world, case, addressee=ppk)
    shared = set(db.session.scalars(sa.select(Share.agency_id).where(Share.case_id == case.id)))
    assert world.agencies["BKDPSDM"].id in shared
    data = {"outcome": "followed_up", "sanctions": [sanction(case)]}
    follow_up(db.session, world.liaisons["BKDPSDM"], rec, data)
    assert rec.status == "followed_up"


def test_a_sanction_that_does_not_fit_the_subject_writes_nothing(world, frozen):
    case = examined_case(world)
    rec = issue(world, case)
    data = {"outcome": "followed_up", "sanctions": [sanction(case, kind="tni_reprimand")]}
    with pytest.raises(RuleViolation) as caught:
        follow_up(db.session, world.liaisons["INSPEKTORAT"], rec, data)
    assert "oral_reprimand" in caught.value.extra["errors"]["sanctions.0.kind"][0]
    db.session.rollback()
    db.session.refresh(rec)
    assert rec.status == "issued"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Sanction)) == 0


def test_follow_up_after_completion_is_a_conflict(world, frozen):
    rec = issue(world, examined_case(world))
    data = {"outcome": "rejected", "reasons": "Bukan kewenangan"}
    follow_up(db.session, world.coordinator, rec, data)
    with pytest.raises(Conflict):
        follow_up(db.session, world.coordinator, rec, data)


def test_case_stays_recommended_while_another_recommendation_is_open(world, frozen, make_agency):
    case = examined_case(world)
    first = issue(world, case)
    issue(world, case, addressee=make_agency(world.pokja, "PPK"))
    data = {"outcome": "rejected", "reasons": "Bukan kewenangan"}
    follow_up(db.session, world.coordinator, first, data)
    assert case.stage == "recommended"


def test_escalation_has_its_own_deadline_and_is_recorded(world, frozen):
    case = examined_case(world)
    rec = issue(world, case)
    data = {
        "kind": "reminder",
        "letter_number": "050/K.BE-07/03/2024",
        "date": date(2024, 3, 25),
        "addressee": "Inspektur Kabupaten",
    }
    escalation = escalate(db.session, world.liaisons["BAWASLU"], rec, data)
    # 14 working days from Monday 25 March 2024, skipping Good Friday (29 March) and
    # Idul Fitri (10-11 April).
    assert escalation.due_at == datetime(2024, 4, 17, 23, 59, 59, 999999, tzinfo=JAKARTA)
    types = db.session.scalars(sa.select(Event.type).where(Event.case_id == case.id)).all()
    assert "recommendation.escalated" in types


def test_only_issuer_or_coordinator_escalates_and_only_while_issued(world, frozen):
    rec = issue(world, examined_case(world))
    data = {"kind": "reminder", "letter_number": "1", "date": date(2024, 3, 25), "addressee": "X"}
    with pytest.raises(NotPermitted):
        escalate(db.session, world.liaisons["INSPEKTORAT"], rec, data)
    follow_up(db.session, world.coordinator, rec, {"outcome": "rejected", "reasons": "x"})
    with pytest.raises(Conflict):
        escalate(db.session, world.coordinator, rec, data)


def test_reminders_cover_recommendations_and_escalations(world, frozen):
    rec = issue(world, examined_case(world))
    data = {"kind": "reminder", "letter_number": "1", "date": date(2024, 3, 1), "addressee": "X"}
    escalate(db.session, world.coordinator, rec, data)
    create_subscription(
        db.session,
        world.coordinator,
        {
            "agency_id": world.agencies["INSPEKTORAT"].id,
            "url": "https://example.org/hook",
            "events": ["deadline.approaching", "deadline.passed"],
        },
    )
    # Thursday 21 March, working hours: both are due the next working day.
    now = datetime(2024, 3, 21, 10, 0, tzinfo=JAKARTA)
    assert reminders.produce_deadline_reminders(db.session, now=now) == 2
    kinds = db.session.scalars(sa.select(OutboxMessage.payload)).all()
    assert sorted(p["kind"] for p in kinds) == ["escalation", "recommendation"]
    assert reminders.produce_deadline_reminders(db.session, now=now) == 0
