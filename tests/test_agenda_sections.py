"""The agenda's sections on fixed data (DESIGN §7; tests/agenda_data.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pokja.access.scopes import can_see_full, sees_in_full
from pokja.extensions import db
from pokja.meetings.agenda.build import build_snapshot
from pokja.meetings.agenda.reading import read_agenda
from tests import agenda_data
from tests.agenda_data import NOW


@pytest.fixture
def data(world, monkeypatch):
    return agenda_data.build(world, monkeypatch)


def section(agenda, key):
    return next(s for s in agenda["sections"] if s["key"] == key)


def snapshot(data):
    return build_snapshot(db.session, data.meeting, NOW)


def test_sections_come_in_design_order(data):
    agenda = read_agenda(db.session, data.world.secretary, data.meeting.id, NOW)
    assert [(s["number"], s["key"]) for s in agenda["sections"]] == [
        (1, "new_cases"),
        (2, "handoffs"),
        (3, "recommendations"),
        (4, "open_decisions"),
        (5, "deadlines"),
        (6, "statistics"),
        (7, "manual_items"),
    ]


def test_new_cases_are_those_registered_since_the_previous_meeting_started(data):
    items = snapshot(data)["sections"]["new_cases"]
    assert [i["case_id"] for i in items] == [str(data.cases[k].id) for k in ("tni", "fresh")]
    assert items[1]["register_number"] == data.cases["fresh"].register_number
    assert items[1]["why"] == "registered_since_previous_meeting"


def test_a_first_meeting_looks_back_thirty_days(data):
    data.previous.status = "cancelled"
    data.previous.cancel_reason = "Banjir"
    data.previous.chain_head_seq = data.previous.chain_head_hash = None
    db.session.flush()
    doc = snapshot(data)
    assert doc["window"]["since_meeting_id"] is None
    assert doc["window"]["since"] == (data.meeting.starts_at - timedelta(days=30)).isoformat()
    # Everything but the cases of 1 February (33 days before) is new then.
    new = {i["case_id"] for i in doc["sections"]["new_cases"]}
    assert new == {str(data.cases[k].id) for k in ("old", "declined", "tni", "fresh")}


def test_an_overdue_handoff_comes_before_a_fresh_one_with_working_days_waiting(data):
    pending = [i for i in snapshot(data)["sections"]["handoffs"] if i["status"] == "pending"]
    assert [i["id"] for i in pending] == [
        str(data.handoffs["old"].id),
        str(data.handoffs["fresh"].id),
    ]
    old, fresh = pending
    assert (old["why"], old["overdue"], old["due_on"]) == ("handoff_overdue", True, "2024-02-23")
    # Sent Tuesday 20 February; read Monday 4 March: 9 working days (no holiday between).
    assert old["working_days_waiting"] == 9
    assert (fresh["why"], fresh["overdue"], fresh["working_days_waiting"]) == (
        "handoff_pending",
        False,
        1,
    )


def test_a_handoff_declined_since_the_previous_meeting_shows_reason_and_suggested_agency(data):
    declined = [i for i in snapshot(data)["sections"]["handoffs"] if i["status"] == "declined"]
    assert len(declined) == 1
    item = declined[0]
    assert item["id"] == str(data.handoffs["declined"].id)
    assert item["why"] == "handoff_declined"
    assert item["decline_reason"] == "not_our_authority"
    assert item["suggested_agency_id"] == str(data.world.agencies["KEJARI"].id)
    assert item["text"]["decline_text"] == "Terlapor bukan anggota Polri"


def test_a_handoff_declined_before_the_previous_meeting_is_not_listed(data, monkeypatch):
    data.previous.starts_at = datetime(2024, 2, 29, 2, 0, tzinfo=UTC)
    data.previous.ends_at = data.previous.starts_at + timedelta(hours=3)
    db.session.flush()
    handoffs = snapshot(data)["sections"]["handoffs"]
    assert all(i["status"] == "pending" for i in handoffs)


def test_overdue_recommendations_are_grouped_per_addressee_oldest_first(data, monkeypatch):
    world = data.world
    # A later recommendation to BKDPSDM, overdue too, must join BKDPSDM's group.
    from pokja.followup.recommendations import issue_recommendation

    agenda_data.at(datetime(2024, 2, 5, 2, 0, tzinfo=UTC), monkeypatch)
    later = issue_recommendation(
        db.session,
        world.liaisons["BAWASLU"],
        data.cases["recommended"],
        {
            "addressee_agency_id": world.agencies["BKDPSDM"].id,
            "number": "003/REK/2024",
            "date": datetime(2024, 2, 5).date(),
            "text": "Rekomendasi kedua",
        },
    )
    db.session.commit()
    items = snapshot(data)["sections"]["recommendations"]
    by_addressee = [(i["addressee_agency_id"], i["number"]) for i in items]
    bkd, insp = str(world.agencies["BKDPSDM"].id), str(world.agencies["INSPEKTORAT"].id)
    assert sorted(by_addressee) == sorted(
        [(bkd, "001/REK/2024"), (bkd, "003/REK/2024"), (insp, "002/REK/2024")]
    )
    # One addressee's items are together, the oldest first.
    addressees = [a for a, _ in by_addressee]
    assert addressees in ([bkd, bkd, insp], [insp, bkd, bkd])
    bkd_numbers = [n for a, n in by_addressee if a == bkd]
    assert bkd_numbers == ["001/REK/2024", "003/REK/2024"]
    first = next(i for i in items if i["number"] == "001/REK/2024")
    assert first["why"] == "recommendation_overdue"
    assert first["days_overdue"] == 6  # due Friday 23 February, read Monday 4 March
    assert [(e["kind"], e["letter_number"]) for e in first["escalations"]] == [
        ("reminder", "010/PENGINGAT/2024")
    ]
    assert later.id is not None


def test_open_decisions_of_earlier_meetings_are_carried_over_overdue_first(data):
    from pokja.models import Decision

    fresh = Decision(
        pokja_id=data.world.pokja.id,
        meeting_id=data.previous.id,
        text="Inspektorat menjadwalkan klarifikasi",
        owner_agency_id=data.world.agencies["INSPEKTORAT"].id,
        due_on=datetime(2024, 3, 20).date(),
        due_unit="calendar",
    )
    done = Decision(
        pokja_id=data.world.pokja.id,
        meeting_id=data.previous.id,
        text="Sudah selesai",
        owner_agency_id=data.world.agencies["KEJARI"].id,
        due_on=datetime(2024, 2, 27).date(),
        due_unit="calendar",
        status="done",
        done_at=NOW,
    )
    db.session.add_all([fresh, done])
    db.session.flush()
    items = snapshot(data)["sections"]["open_decisions"]
    assert [(i["id"], i["why"]) for i in items] == [
        (str(data.decisions["carried"].id), "decision_overdue"),
        (str(fresh.id), "decision_open"),
    ]
    assert items[0]["meeting_id"] == str(data.previous.id)
    assert items[0]["case_id"] == str(data.cases["recommended"].id)


def test_deadlines_between_this_meeting_and_the_next_are_listed(data):
    items = snapshot(data)["sections"]["deadlines"]
    fresh = [i for i in items if i["id"] == str(data.handoffs["fresh"].id)]
    assert len(fresh) == 1
    assert (fresh[0]["kind"], fresh[0]["due_on"]) == ("handoff", "2024-03-06")
    assert fresh[0]["why"] == "due_before_next_meeting"
    # The overdue handoff is section 2's, not a deadline to come.
    assert str(data.handoffs["old"].id) not in {i["id"] for i in items}
    # The escalation letter of 27 February is due 19 March: within 14 days of 5 March.
    assert "escalation" in {i["kind"] for i in items}


def test_the_next_scheduled_meeting_ends_the_deadlines_window(data):
    agenda_data.meeting(data.world, datetime(2024, 3, 6, 1, 0, tzinfo=UTC), "scheduled")
    doc = snapshot(data)
    assert doc["window"]["until"] == "2024-03-06T01:00:00+00:00"
    # Due at the end of 6 March, after the next meeting has started: not this agenda's.
    assert str(data.handoffs["fresh"].id) not in {i["id"] for i in doc["sections"]["deadlines"]}


def test_statistics_summarise_the_pokja(data):
    figures = snapshot(data)["statistics"]
    assert figures["cases_total"] == 6
    assert figures["cases_by_stage"]["recommended"] == 2
    assert figures["cases_by_stage"]["received"] == 4
    assert (figures["handoffs_pending"], figures["handoffs_overdue"]) == (2, 1)
    assert figures["recommendations_overdue"] == 2
    assert figures["follow_up_rate"] == 0.0


def test_stored_visibility_facts_answer_as_the_sql_predicate_does(data):
    doc = snapshot(data)
    world = data.world
    readers = [*world.liaisons.values(), world.viewer, world.secretary, world.coordinator]
    assert set(doc["cases"]) == {str(case.id) for case in data.cases.values()}
    for case in data.cases.values():
        facts = doc["cases"][str(case.id)]["full_access_agency_ids"]
        for reader in readers:
            expected = can_see_full(db.session, reader, case) and reader.role != "viewer"
            assert sees_in_full(reader, facts) == expected, (reader.role, case.title)


def test_an_item_whose_case_has_no_stored_facts_shows_no_text():
    from pokja.meetings.agenda.reading import present_item

    item = {"object": "decision", "id": "x", "case_id": "missing", "text": {"text": "Rahasia"}}
    shown = present_item(item, {}, lambda _ids: True)
    assert shown["redacted"] is True
    assert "text" not in shown
