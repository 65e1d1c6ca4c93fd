"""Clocks from the right moment (DESIGN §6, issue 9): a recommendation's and an escalation
letter's follow-up clock runs from the letter's date (or its recorded receipt), not from when
it is typed in; a case keeps the clock settings it was registered with."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from pokja.cases.editing import change_stage
from pokja.extensions import db
from pokja.time import clock
from tests.factories import new_case

JAKARTA = ZoneInfo("Asia/Jakarta")
# Friday 1 March 2024 + 14 working days (Nyepi on 11 March, cuti bersama on 12 March).
DUE_ON = "2024-03-22"


@pytest.fixture
def case(world):
    case = new_case(world)
    change_stage(db.session, world.liaisons["BAWASLU"], case, "examination")
    db.session.commit()
    return case


def _recommend(client, headers, world, case, **extra):
    body = {
        "addressee_agency_id": str(world.agencies["INSPEKTORAT"].id),
        "number": "045/PP.01.02/K.BE-07/03/2024",
        "date": "2024-03-01",
        "text": "Merekomendasikan penjatuhan sanksi sesuai PP 94/2021.",
        **extra,
    }
    return client.post(f"/api/v1/cases/{case.id}/recommendations", json=body, headers=headers)


def test_a_back_dated_recommendation_recorded_now_is_due_from_its_date_and_overdue(
    world, client, headers_for, case
):
    assert clock.now().year > 2024  # recorded today, long after the letter
    headers = headers_for(world.liaisons["BAWASLU"])
    response = _recommend(client, headers, world, case)
    assert response.status_code == 201, response.get_json()
    rec = response.get_json()

    due = datetime.fromisoformat(rec["follow_up_due_at"]).astimezone(JAKARTA)
    assert due.date().isoformat() == DUE_ON
    assert rec["deadline"]["overdue"] is True

    coordinator = headers_for(world.coordinator)
    listed = client.get("/api/v1/recommendations?overdue=true", headers=coordinator).get_json()
    assert rec["id"] in [item["id"] for item in listed["items"]]
    not_overdue = client.get("/api/v1/recommendations?overdue=false", headers=coordinator)
    assert rec["id"] not in [item["id"] for item in not_overdue.get_json()["items"]]
    due_list = client.get("/api/v1/deadlines?overdue=true", headers=coordinator).get_json()
    assert rec["id"] in [item["item_id"] for item in due_list["items"]]


def test_a_recorded_receipt_starts_the_clock(world, client, headers_for, case):
    headers = headers_for(world.liaisons["BAWASLU"])
    rec = _recommend(client, headers, world, case, received_on="2024-03-04").get_json()
    assert rec["received_on"] == "2024-03-04"
    due = datetime.fromisoformat(rec["follow_up_due_at"]).astimezone(JAKARTA)
    assert due.date().isoformat() == "2024-03-25"  # 14 working days from Monday 4 March


def test_a_receipt_before_the_letter_is_422_and_writes_nothing(world, client, headers_for, case):
    headers = headers_for(world.liaisons["BAWASLU"])
    response = _recommend(client, headers, world, case, received_on="2024-02-28")
    assert response.status_code == 422
    assert "received_on" in response.get_json()["errors"]
    listed = client.get(f"/api/v1/recommendations?case_id={case.id}", headers=headers)
    assert listed.get_json()["items"] == []


def test_an_escalation_letter_runs_from_its_date_or_receipt(world, client, headers_for, case):
    headers = headers_for(world.liaisons["BAWASLU"])
    rec = _recommend(client, headers, world, case).get_json()
    url = f"/api/v1/recommendations/{rec['id']}/escalations"
    letter = {
        "kind": "reminder",
        "letter_number": "050/PP.01.02/K.BE-07/03/2024",
        "date": "2024-03-01",
        "addressee": "Inspektur Daerah",
    }
    dated = client.post(url, json=letter, headers=headers)
    assert dated.status_code == 201, dated.get_json()
    due = datetime.fromisoformat(dated.get_json()["due_at"]).astimezone(JAKARTA)
    assert due.date().isoformat() == DUE_ON
    received = client.post(url, json={**letter, "received_on": "2024-03-04"}, headers=headers)
    assert received.get_json()["received_on"] == "2024-03-04"
    due = datetime.fromisoformat(received.get_json()["due_at"]).astimezone(JAKARTA)
    assert due.date().isoformat() == "2024-03-25"


def _decision(client, headers, case_id):
    body = client.get(f"/api/v1/cases/{case_id}", headers=headers).get_json()
    return next(d for d in body["deadlines"] if d["clock"] == "decision")


def test_a_settings_change_leaves_an_existing_cases_clocks_where_they_were(
    world, client, headers_for, monkeypatch
):
    registered = datetime(2024, 3, 4, 9, 0, tzinfo=JAKARTA)  # Monday
    monkeypatch.setattr(clock, "now", lambda: registered)
    existing = new_case(world)
    db.session.commit()
    coordinator = headers_for(world.coordinator)
    before = _decision(client, coordinator, existing.id)

    url = f"/api/v1/pokjas/{world.pokja.id}/settings"
    etag = client.get(url, headers=coordinator).headers["ETag"]
    body = {"clocks": {"decision": {"pemilu": {"length": 30, "unit": "calendar"}}}}
    changed = client.patch(url, json=body, headers={**coordinator, "If-Match": etag})
    assert changed.status_code == 200, changed.get_json()

    assert _decision(client, coordinator, existing.id)["due_at"] == before["due_at"]
    later = new_case(world)
    db.session.commit()
    assert _decision(client, coordinator, later.id)["due_at"] > before["due_at"]

    # /deadlines agrees: a week and a half later the existing case is overdue by its own
    # clock (7 days), the later one is not (30 days).
    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 3, 14, 9, 0, tzinfo=JAKARTA))
    bawaslu = headers_for(world.liaisons["BAWASLU"])
    overdue = client.get("/api/v1/deadlines?overdue=true", headers=bawaslu).get_json()["items"]
    decisions = {i["case_id"]: i for i in overdue if i["kind"] == "case_decision"}
    assert str(existing.id) in decisions
    assert decisions[str(existing.id)]["due_at"] == before["due_at"]
    assert str(later.id) not in decisions
    pending = client.get(
        "/api/v1/deadlines?overdue=false&within_days=60", headers=bawaslu
    ).get_json()["items"]
    pending_ids = {i["case_id"] for i in pending if i["kind"] == "case_decision"}
    assert str(later.id) in pending_ids
    assert str(existing.id) not in pending_ids
