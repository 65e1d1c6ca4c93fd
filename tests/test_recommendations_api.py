"""Recommendations over HTTP: issue, read with derived deadlines, follow-up, escalations."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from pokja.cases.editing import change_stage
from pokja.extensions import db
from pokja.models import Recommendation, Sanction, Subject
from pokja.time import clock
from tests.factories import assert_problem, new_case

JAKARTA = ZoneInfo("Asia/Jakarta")
ISSUED = datetime(2024, 3, 1, 10, 0, tzinfo=JAKARTA)
DUE = datetime(2024, 3, 22, 23, 59, 59, 999999, tzinfo=JAKARTA)


@pytest.fixture
def frozen(monkeypatch):
    def freeze(moment: datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment)

    freeze(ISSUED)
    return freeze


@pytest.fixture
def case(world):
    case = new_case(world)
    change_stage(db.session, world.liaisons["BAWASLU"], case, "examination")
    db.session.commit()
    return case


@pytest.fixture
def issued(world, client, headers_for, case, frozen):
    body = {
        "addressee_agency_id": str(world.agencies["INSPEKTORAT"].id),
        "number": "045/PP.01.02/K.BE-07/03/2024",
        "date": "2024-03-01",
        "text": "Merekomendasikan penjatuhan sanksi sesuai PP 94/2021.",
    }
    response = client.post(
        f"/api/v1/cases/{case.id}/recommendations",
        json=body,
        headers=headers_for(world.liaisons["BAWASLU"]),
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _get(client, headers, rec_id):
    response = client.get(f"/api/v1/recommendations/{rec_id}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_issue_returns_deadline_and_moves_case(world, client, headers_for, case, issued):
    assert datetime.fromisoformat(issued["follow_up_due_at"]) == DUE
    assert issued["deadline"] == {
        "due_at": issued["follow_up_due_at"],
        "unit": "working",
        "days_left": 14,
        "overdue": False,
    }
    assert issued["status"] == "issued"
    assert issued["case_register_number"] == case.register_number
    response = client.get(f"/api/v1/cases/{case.id}", headers=headers_for(world.coordinator))
    assert response.get_json()["stage"] == "recommended"


def test_overdue_flips_exactly_at_the_deadline(world, client, headers_for, issued, frozen):
    frozen(DUE - timedelta(microseconds=1))
    # Logged in three weeks after the issue: the first login would have expired by then.
    headers = headers_for(world.coordinator)
    body = _get(client, headers, issued["id"])
    assert (body["overdue"], body["days_left"]) == (False, 0)
    listed = client.get("/api/v1/recommendations?overdue=true", headers=headers).get_json()
    assert listed["items"] == []
    frozen(DUE)
    assert _get(client, headers, issued["id"])["overdue"] is True
    listed = client.get("/api/v1/recommendations?overdue=true", headers=headers).get_json()
    assert [item["id"] for item in listed["items"]] == [issued["id"]]


def test_list_filters(world, client, headers_for, issued):
    headers = headers_for(world.liaisons["INSPEKTORAT"])
    addressee = world.agencies["INSPEKTORAT"].id
    for query, expected in (
        (f"addressee_id={addressee}", 1),
        (f"addressee_id={world.agencies['KEJARI'].id}", 0),
        ("status=issued", 1),
        ("status=rejected", 0),
        ("due_before=2024-03-23T00:00:00%2B07:00", 1),
        ("due_before=2024-03-22T00:00:00%2B07:00", 0),
    ):
        items = client.get(f"/api/v1/recommendations?{query}", headers=headers).get_json()["items"]
        assert len(items) == expected, query
    other = client.get("/api/v1/recommendations", headers=headers_for(world.liaisons["KEJARI"]))
    assert other.get_json()["items"] == []


def test_addressee_follows_up_with_sanctions(world, client, headers_for, case, issued, frozen):
    subject_id = db.session.scalar(sa.select(Subject.id).where(Subject.case_id == case.id))
    frozen(datetime(2024, 3, 27, 9, 0, tzinfo=JAKARTA))
    body = {
        "outcome": "followed_up",
        "sanctions": [
            {
                "subject_id": str(subject_id),
                "level": "moderate",
                "kind": "allowance_cut_6m",
                "decree_number": "800/112/BKPSDM/2024",
                "decree_date": "2024-03-26",
            }
        ],
    }
    response = client.post(
        f"/api/v1/recommendations/{issued['id']}/follow-up",
        json=body,
        headers=headers_for(world.liaisons["INSPEKTORAT"]),
    )
    assert response.status_code == 200, response.get_json()
    done = response.get_json()
    assert done["status"] == "followed_up"
    assert (done["on_time"], done["late_working_days"]) == (False, 3)
    assert done["overdue"] is False
    assert done["days_left"] is None
    assert done["sanctions"][0]["kind"] == "allowance_cut_6m"
    listed = client.get(
        f"/api/v1/cases/{case.id}/sanctions", headers=headers_for(world.coordinator)
    ).get_json()["items"]
    assert [s["kind"] for s in listed] == ["allowance_cut_6m"]
    again = client.post(
        f"/api/v1/recommendations/{issued['id']}/follow-up",
        json={"outcome": "rejected", "reasons": "x"},
        headers=headers_for(world.coordinator),
    )
    assert_problem(again, 409, "recommendation_closed")


def test_a_sanction_that_does_not_fit_is_422_and_writes_nothing(
    world, client, headers_for, case, issued
):
    subject_id = db.session.scalar(sa.select(Subject.id).where(Subject.case_id == case.id))
    body = {
        "outcome": "followed_up",
        "sanctions": [
            {"subject_id": str(subject_id), "level": "severe", "kind": "tni_heavy_detention"}
        ],
    }
    response = client.post(
        f"/api/v1/recommendations/{issued['id']}/follow-up",
        json=body,
        headers=headers_for(world.coordinator),
    )
    problem = assert_problem(response, 422, "invalid_sanction")
    assert "honourable_dismissal" in problem["errors"]["sanctions.0.kind"][0]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Sanction)) == 0
    assert db.session.scalar(sa.select(Recommendation.status)) == "issued"


@pytest.mark.parametrize(("caller", "status"), [("BAWASLU", 403), ("KEJARI", 404)])
def test_others_cannot_follow_up(world, client, headers_for, issued, caller, status):
    response = client.post(
        f"/api/v1/recommendations/{issued['id']}/follow-up",
        json={"outcome": "rejected", "reasons": "x"},
        headers=headers_for(world.liaisons[caller]),
    )
    assert_problem(response, status)


def test_escalations_have_their_own_deadline_and_appear_in_history(
    world, client, headers_for, case, issued, frozen
):
    frozen(datetime(2024, 3, 25, 9, 0, tzinfo=JAKARTA))
    body = {
        "kind": "request_data_block",
        "letter_number": "031/PP.01.02/K.BE-07/03/2024",
        "date": "2024-03-25",
        "addressee": "Kepala Badan Kepegawaian Negara",
    }
    url = f"/api/v1/recommendations/{issued['id']}/escalations"
    response = client.post(url, json=body, headers=headers_for(world.liaisons["BAWASLU"]))
    assert response.status_code == 201, response.get_json()
    escalation = response.get_json()
    assert datetime.fromisoformat(escalation["due_at"]) == datetime(
        2024, 4, 17, 23, 59, 59, 999999, tzinfo=JAKARTA
    )
    assert escalation["deadline"]["days_left"] == 14
    assert escalation["overdue"] is False
    headers = headers_for(world.coordinator)
    listed = client.get(url, headers=headers).get_json()["items"]
    assert [e["id"] for e in listed] == [escalation["id"]]
    rec = _get(client, headers, issued["id"])
    assert [e["id"] for e in rec["escalations"]] == [escalation["id"]]
    assert rec["overdue"] is True  # 25 March is after the 22 March deadline
    history = client.get(f"/api/v1/cases/{case.id}/history?limit=200", headers=headers)
    types = [event["type"] for event in history.get_json()["items"]]
    assert "recommendation.issued" in types
    assert "recommendation.escalated" in types


def test_pilkada_case_gets_the_pilkada_clock(world, client, headers_for, frozen):
    world.pokja.clock_overrides = {
        "recommendation_follow_up": {"pilkada": {"length": 5, "unit": "calendar"}}
    }
    db.session.commit()
    case = new_case(world, election="pilkada-2024", election_kind="pilkada")
    change_stage(db.session, world.liaisons["BAWASLU"], case, "examination")
    db.session.commit()
    body = {
        "addressee_agency_id": str(world.agencies["INSPEKTORAT"].id),
        "number": "1/2024",
        "date": "2024-03-01",
        "text": "Rekomendasi",
    }
    response = client.post(
        f"/api/v1/cases/{case.id}/recommendations",
        json=body,
        headers=headers_for(world.coordinator),
    )
    assert response.status_code == 201, response.get_json()
    deadline = response.get_json()["deadline"]
    assert datetime.fromisoformat(deadline["due_at"]) == datetime(
        2024, 3, 6, 23, 59, 59, 999999, tzinfo=JAKARTA
    )
    assert (deadline["unit"], deadline["days_left"]) == ("calendar", 5)


def test_issue_on_a_received_case_is_a_conflict(world, client, headers_for):
    case = new_case(world)
    body = {
        "addressee_agency_id": str(world.agencies["INSPEKTORAT"].id),
        "number": "1/2024",
        "date": "2024-03-01",
        "text": "Rekomendasi",
    }
    response = client.post(
        f"/api/v1/cases/{case.id}/recommendations",
        json=body,
        headers=headers_for(world.coordinator),
    )
    assert_problem(response, 409, "invalid_transition")
