"""Decisions outlive their meeting: due for their owner agency in /deadlines, the case's
deadlines block and the reminders; told by webhook; their text follows the case's visibility."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pokja.extensions import db
from pokja.notify.reminders import produce_deadline_reminders
from pokja.time import clock
from tests.factories import assert_problem, new_case, outbox, subscribe
from tests.test_meetings_api import DURING, JAKARTA, decide, in_progress


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: DURING.astimezone(UTC))


@pytest.fixture
def sec(world, headers_for):
    return headers_for(world.secretary)


@pytest.fixture
def decision(world, client, sec, frozen):
    """A decision on a case held by Bawaslu, owned by BKDPSDM, due Wednesday 20 March 2024."""
    subscribe(world, "BKDPSDM", "decision.assigned", "deadline.approaching", "deadline.passed")
    case = new_case(world)
    meeting = in_progress(client, sec, world)
    body = {
        "text": "BKDPSDM melaporkan sanksi Sdr. Ahmad.",
        "owner_agency_id": str(world.agencies["BKDPSDM"].id),
        "due_on": "2024-03-20",
        "case_id": str(case.id),
    }
    return case, decide(client, sec, meeting["id"], body)


def test_the_owner_agency_is_told_it_was_assigned(world, decision):
    _, taken = decision
    [message] = outbox("decision.assigned")
    assert message.agency_id == world.agencies["BKDPSDM"].id
    assert message.payload["decision_id"] == taken["id"]
    assert "text" not in message.payload  # thin payloads: no decision text


def test_an_open_decision_is_in_its_cases_deadlines_block(world, client, sec, decision):
    case, taken = decision
    body = client.get(f"/api/v1/cases/{case.id}", headers=sec).get_json()
    [clock_view] = [d for d in body["deadlines"] if d["clock"] == "meeting_decision"]
    assert clock_view["decision_id"] == taken["id"]
    assert clock_view["due_at"].startswith("2024-03-20T23:59:59")
    assert clock_view["owner_agency_id"] == str(world.agencies["BKDPSDM"].id)
    assert clock_view["days_left"] == 7
    assert clock_view["started_at"] == taken["created_at"]  # the instant, read back as text
    listed = client.get("/api/v1/cases", headers=sec).get_json()["items"]
    [row] = [c for c in listed if c["id"] == str(case.id)]
    assert any(d["clock"] == "meeting_decision" for d in row["deadlines"])


def test_reminders_go_to_the_owner_agency_when_due_and_when_passed(world, decision):
    _, taken = decision
    # Tuesday 19 March, 09.00 WIB: due within one working day.
    produce_deadline_reminders(db.session, now=datetime(2024, 3, 19, 9, tzinfo=JAKARTA))
    [approaching] = outbox("deadline.approaching")
    assert (approaching.payload["kind"], approaching.payload["item_id"]) == (
        "decision",
        taken["id"],
    )
    # Thursday 21 March: the day has passed.
    produce_deadline_reminders(db.session, now=datetime(2024, 3, 21, 9, tzinfo=JAKARTA))
    [passed] = outbox("deadline.passed")
    assert passed.agency_id == world.agencies["BKDPSDM"].id
    assert passed.payload["decision_id"] == taken["id"]


def test_overdue_filter_and_owner_filter(world, client, sec, decision, monkeypatch):
    _, taken = decision
    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 3, 21, 9, tzinfo=UTC))
    late = client.get("/api/v1/decisions?overdue=true", headers=sec).get_json()["items"]
    assert [(d["id"], d["overdue"]) for d in late] == [(taken["id"], True)]
    tni = world.agencies["TNI"].id
    assert client.get(f"/api/v1/decisions?owner_agency_id={tni}", headers=sec).get_json() == {
        "items": [],
        "next_cursor": None,
    }


def test_a_liaison_who_does_not_see_the_case_reads_no_text(world, client, headers_for, decision):
    _, taken = decision
    tni = headers_for(world.liaisons["TNI"])
    seen = client.get(f"/api/v1/decisions/{taken['id']}", headers=tni).get_json()
    assert (seen["redacted"], seen["text"]) == (True, None)
    assert seen["register_number"] is not None
    owner = headers_for(world.liaisons["BKDPSDM"])
    assert client.get(f"/api/v1/decisions/{taken['id']}", headers=owner).get_json()["text"]


def test_another_agencys_liaison_cannot_mark_it_done(world, client, headers_for, decision):
    _, taken = decision
    url = f"/api/v1/decisions/{taken['id']}"
    tni = headers_for(world.liaisons["TNI"])
    etag = client.get(url, headers=tni).headers["ETag"]
    response = client.patch(url, json={"status": "done"}, headers={**tni, "If-Match": etag})
    assert_problem(response, 403)
    sec = headers_for(world.secretary)
    assert_problem(client.patch(url, json={"status": "done"}, headers=sec), 428)
    done = client.patch(url, json={"status": "done"}, headers={**sec, "If-Match": etag})
    assert done.status_code == 200
    again = client.patch(
        url, json={"status": "done"}, headers={**sec, "If-Match": done.headers["ETag"]}
    )
    assert_problem(again, 409, "decision_done")


def test_a_decision_due_before_the_meeting_is_refused(world, client, sec, frozen):
    meeting = in_progress(client, sec, world)
    body = {"text": "x", "owner_agency_id": str(world.agencies["TNI"].id), "due_on": "2024-03-01"}
    response = client.post(f"/api/v1/meetings/{meeting['id']}/decisions", json=body, headers=sec)
    assert "due_on" in assert_problem(response, 422, "due_in_past")["errors"]
    both = {**body, "due_on": "2024-03-20", "due_in_working_days": 3}
    response = client.post(f"/api/v1/meetings/{meeting['id']}/decisions", json=both, headers=sec)
    assert_problem(response, 422)


def test_the_lists_page_by_cursor(world, client, sec, frozen):
    meeting = in_progress(client, sec, world)
    owner = str(world.agencies["TNI"].id)
    made = [
        decide(
            client, sec, meeting["id"], {"text": f"D{i}", "owner_agency_id": owner, "due_on": day}
        )
        for i, day in enumerate(("2024-03-22", "2024-03-20", "2024-03-21"))
    ]
    seen, url = [], "/api/v1/decisions?limit=2"
    while url:
        page = client.get(url, headers=sec).get_json()
        seen += [d["id"] for d in page["items"]]
        url = page["next_cursor"] and f"/api/v1/decisions?limit=2&cursor={page['next_cursor']}"
    assert seen == [made[1]["id"], made[2]["id"], made[0]["id"]]
    first = client.get("/api/v1/meetings?limit=1", headers=sec).get_json()
    assert [m["id"] for m in first["items"]] == [meeting["id"]]
    assert first["next_cursor"] is None
