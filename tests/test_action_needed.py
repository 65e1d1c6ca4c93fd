"""Action needed (DESIGN §8): on fixed data, an agency sees what it must act on — incoming
handoffs, recommendations it receives or acts for, escalation letters it chases, declined
handoffs needing a new route — each with its deadline, days left and the action's link."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

import pokja.time.clock
from pokja.extensions import db
from pokja.handoffs.lifecycle import accept_handoff, decline_handoff, start_handoff
from pokja.models import Escalation, Recommendation, User
from pokja.time import sources
from pokja.time.catalogue import Clock
from pokja.time.scope import Due
from tests.factories import assert_problem, hand_off, new_case

URL = "/api/v1/action-needed"
NOW = datetime(2024, 4, 2, 3, tzinfo=UTC)  # Tuesday, 10:00 in Jakarta


def end_of(day: date) -> datetime:
    """23:59:59.999999 in Jakarta."""
    return datetime(day.year, day.month, day.day, 16, 59, 59, 999999, tzinfo=UTC)


def recommendation(world, case, addressee_id, due: date, issuer: str = "BAWASLU"):
    rec = Recommendation(
        pokja_id=world.pokja.id,
        case_id=case.id,
        issuing_agency_id=world.agencies[issuer].id,
        addressee_agency_id=addressee_id,
        number=f"REC-{due.isoformat()}-{addressee_id.hex[:4]}",
        date=date(2024, 3, 1),
        text="Merekomendasikan sanksi.",
        issued_at=datetime(2024, 3, 1, 3, tzinfo=UTC),
        follow_up_due_at=end_of(due),
        due_unit="working",
    )
    db.session.add(rec)
    db.session.flush()
    return rec


@pytest.fixture
def fixed(world, make_agency, monkeypatch):
    monkeypatch.setattr(pokja.time.clock, "now", lambda: NOW)
    ppk = make_agency(world.pokja, "PPK")
    bkd = world.liaisons["BKDPSDM"]
    ids = {}
    late = hand_off(world, new_case(world), "BKDPSDM")
    late.due_on = date(2024, 4, 1)
    soon = hand_off(world, new_case(world), "BKDPSDM")
    soon.due_on = date(2024, 4, 4)
    hand_off(world, new_case(world), "INSPEKTORAT").due_on = date(2024, 4, 3)  # not BKDPSDM's
    ids["late"], ids["soon"] = late.id, soon.id
    # Declined twice: one case waits for a new route, the other was sent on again.
    for name in ("waiting", "resent"):
        case = new_case(world)
        first = hand_off(world, case, "BKDPSDM")
        accept_handoff(db.session, bkd, first)
        first.created_at = first.decided_at = NOW - timedelta(days=3)
        sent = hand_off(world, case, "INSPEKTORAT", actor=bkd, purpose="examination")
        sent.created_at = NOW - timedelta(days=2)
        decline_handoff(
            db.session,
            world.liaisons["INSPEKTORAT"],
            sent,
            {"decline_reason": "incomplete_file", "decline_text": "Berkas kurang"},
        )
        sent.decided_at = NOW - timedelta(days=1)
        ids[name] = sent.id
        if name == "resent":
            hand_off(world, case, "INSPEKTORAT", actor=bkd, purpose="examination")
    case = new_case(world)
    ids["for_ppk"] = recommendation(world, case, ppk.id, date(2024, 4, 5)).id
    ids["overdue"] = recommendation(world, case, world.agencies["BKDPSDM"].id, date(2024, 3, 29)).id
    recommendation(world, case, world.agencies["BKDPSDM"].id, date(2024, 4, 30))  # not yet
    recommendation(world, case, world.agencies["INSPEKTORAT"].id, date(2024, 4, 5))  # not ours
    chased = recommendation(
        world, case, world.agencies["INSPEKTORAT"].id, date(2024, 5, 1), issuer="BKDPSDM"
    )
    escalation = Escalation(
        pokja_id=world.pokja.id,
        recommendation_id=chased.id,
        case_id=case.id,
        kind="reminder",
        letter_number="ESC-1",
        date=date(2024, 3, 27),
        addressee="Inspektur",
        due_at=end_of(date(2024, 4, 3)),
        due_unit="working",
    )
    db.session.add(escalation)
    db.session.commit()
    ids["escalation"], ids["chased"] = escalation.id, chased.id
    return ids


def items(client, headers, **query) -> list[dict]:
    response = client.get(URL, query_string=query, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["items"]


def test_an_agency_sees_what_it_must_act_on_oldest_deadline_first(
    world, client, headers_for, fixed
):
    got = items(client, headers_for(world.liaisons["BKDPSDM"]))
    assert [(i["kind"], i["item_id"]) for i in got] == [
        ("recommendation", str(fixed["overdue"])),
        ("handoff", str(fixed["late"])),
        ("escalation", str(fixed["escalation"])),
        ("handoff", str(fixed["soon"])),
        ("recommendation", str(fixed["for_ppk"])),
        ("declined_handoff", str(fixed["waiting"])),
    ]
    by_id = {i["item_id"]: i for i in got}
    late, soon = by_id[str(fixed["late"])], by_id[str(fixed["soon"])]
    assert (late["overdue"], late["days_left"], late["due_on"]) == (True, -1, "2024-04-01")
    assert (soon["overdue"], soon["days_left"]) == (False, 2)
    assert late["action"] == {
        "method": "POST",
        "href": f"/api/v1/handoffs/{fixed['late']}/accept",
        "action": "accept",
    }
    ppk = by_id[str(fixed["for_ppk"])]
    assert (ppk["days_left"], ppk["unit"]) == (3, "working")
    assert ppk["action"]["href"] == f"/api/v1/recommendations/{fixed['for_ppk']}/follow-up"
    overdue = by_id[str(fixed["overdue"])]
    assert overdue["overdue"] is True
    assert overdue["days_left"] == -2  # Friday 29 March: Good Friday, then Monday and today
    escalation = by_id[str(fixed["escalation"])]
    assert escalation["action"]["href"] == f"/api/v1/recommendations/{fixed['chased']}/escalations"
    declined = by_id[str(fixed["waiting"])]
    assert declined["due_at"] is None
    assert declined["decline_reason"] == "incomplete_file"
    assert declined["action"]["method"] == "POST"
    assert declined["action"]["href"].endswith("/handoffs")


def test_a_coordinator_picks_the_agency_and_others_cannot(world, client, headers_for, fixed):
    mine = items(client, headers_for(world.liaisons["BKDPSDM"]))
    bkd_id = str(world.agencies["BKDPSDM"].id)
    assert items(client, headers_for(world.coordinator), agency_id=bkd_id) == mine
    response = client.get(
        URL, query_string={"agency_id": bkd_id}, headers=headers_for(world.liaisons["TNI"])
    )
    assert_problem(response, 403)
    response = client.get(
        URL,
        query_string={"agency_id": str(world.other_agency.id)},
        headers=headers_for(world.coordinator),
    )
    assert_problem(response, 404)
    # Inspektorat's own: the two handoffs pending to it and the recommendation due on 5 April
    # (not the one due on 1 May); none of BKDPSDM's.
    inspektorat = items(client, headers_for(world.liaisons["INSPEKTORAT"]))
    assert sorted(i["kind"] for i in inspektorat) == ["handoff", "handoff", "recommendation"]
    assert not {i["item_id"] for i in inspektorat} & {i["item_id"] for i in mine}


def test_every_deadline_source_is_read(world, client, headers_for, fixed, monkeypatch):
    """A source added to the one list (meeting decisions, later) shows up without a change
    here, linked to its case."""
    case_id = fixed["late"]

    def meeting_decisions(session, scope):
        return [
            Due(
                kind="meeting_decision",
                item_id=case_id,
                pokja_id=world.pokja.id,
                case_id=case_id,
                register_number="X",
                clock=Clock.DECISION,
                due_at=end_of(date(2024, 4, 8)),
                unit="calendar",
                agency_id=scope.agency_id,
                acting_agency_ids=(scope.agency_id,),
            )
        ]

    monkeypatch.setattr(sources, "SOURCES", [*sources.SOURCES, meeting_decisions])
    got = items(client, headers_for(world.liaisons["BKDPSDM"]))
    decision = next(i for i in got if i["kind"] == "meeting_decision")
    assert decision["days_left"] == 6
    assert decision["action"] == {
        "method": "GET",
        "href": f"/api/v1/cases/{case_id}",
        "action": "read",
    }


def test_statements_do_not_grow_with_the_data(world, client, headers_for, count_queries):
    headers = headers_for(world.liaisons["BKDPSDM"])
    bawaslu_id = world.liaisons["BAWASLU"].id
    to = world.agencies["BKDPSDM"].id
    counts = []
    for n in (1, 5):
        actor = db.session.get(User, bawaslu_id)
        for _ in range(n):
            start_handoff(
                db.session,
                actor,
                new_case(world, actor),
                {"to_agency_id": to, "purpose": "follow_up", "reason": "PNS"},
            )
        db.session.commit()
        with count_queries() as statements:
            assert client.get(URL, headers=headers).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
