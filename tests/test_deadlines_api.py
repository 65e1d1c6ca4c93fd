"""``GET /api/v1/deadlines`` and ``POST /api/v1/cases/{id}/extensions`` (DESIGN §6)."""

from __future__ import annotations

from datetime import timedelta

from pokja.extensions import db
from pokja.models import CaseClockExtension, Event
from pokja.models.base import utcnow
from tests.factories import hand_off, new_case

URL = "/api/v1/deadlines"


def _items(client, headers, query=""):
    response = client.get(f"{URL}?within_days=30{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def _scenario(world):
    """An overdue handoff to INSPEKTORAT, a fresh one to BKDPSDM; both cases await decision."""
    late_case, fresh_case = new_case(world), new_case(world)
    late = hand_off(world, late_case, "INSPEKTORAT", due_on=utcnow().date() - timedelta(days=3))
    fresh = hand_off(world, fresh_case, "BKDPSDM")
    db.session.commit()
    return late, fresh


def test_a_liaison_sees_the_handoffs_its_agency_must_answer(world, client, headers_for):
    late, fresh = _scenario(world)
    items = _items(client, headers_for(world.liaisons["INSPEKTORAT"]))
    assert [(i["kind"], i["item_id"]) for i in items] == [("handoff", str(late.id))]
    assert items[0]["overdue"] is True
    assert items[0]["days_left"] < 0
    bkd = _items(client, headers_for(world.liaisons["BKDPSDM"]))
    assert [i["item_id"] for i in bkd] == [str(fresh.id)]
    assert bkd[0]["overdue"] is False
    assert _items(client, headers_for(world.liaisons["TNI"])) == []


def test_the_coordinator_sees_the_whole_pokja_overdue_first(world, client, headers_for):
    late, fresh = _scenario(world)
    items = _items(client, headers_for(world.coordinator))
    kinds = [(i["kind"], i["item_id"]) for i in items]
    assert kinds[0] == ("handoff", str(late.id))
    assert ("handoff", str(fresh.id)) in kinds
    assert {i["kind"] for i in items} == {"handoff", "case_decision"}
    overdue = [i["overdue"] for i in items]
    assert overdue == sorted(overdue, reverse=True)


def test_overdue_filter_runs_in_sql(world, client, headers_for):
    late, _fresh = _scenario(world)
    headers = headers_for(world.coordinator)
    assert [i["item_id"] for i in _items(client, headers, "&overdue=true")] == [str(late.id)]
    not_late = _items(client, headers, "&overdue=false")
    assert str(late.id) not in [i["item_id"] for i in not_late]
    assert all(not i["overdue"] for i in not_late)


def test_bawaslu_sees_case_decision_clocks_and_overdue_ones(world, client, headers_for):
    case = new_case(world)
    old = new_case(world)
    old.registered_at = utcnow() - timedelta(days=20)
    db.session.commit()
    items = _items(client, headers_for(world.liaisons["BAWASLU"]), "&overdue=true")
    assert [(i["kind"], i["case_id"]) for i in items] == [("case_decision", str(old.id))]
    within = _items(client, headers_for(world.liaisons["BAWASLU"]))
    assert str(case.id) in {i["case_id"] for i in within}
    assert _items(client, headers_for(world.liaisons["BAWASLU"]), "&overdue=false")[0][
        "case_id"
    ] == str(case.id)


def test_outside_the_window_nothing_is_listed(world, client, headers_for):
    _scenario(world)
    response = client.get(
        f"{URL}?within_days=0&overdue=false", headers=headers_for(world.liaisons["BKDPSDM"])
    )
    assert response.get_json()["items"] == []


def test_viewers_and_admins_are_refused(world, client, headers_for):
    assert client.get(URL, headers=headers_for(world.viewer)).status_code == 403
    assert client.get(URL, headers=headers_for(world.admin)).status_code == 403


def _extend(client, headers, case, reason="Keterangan tambahan dari pelapor"):
    return client.post(
        f"/api/v1/cases/{case.id}/extensions",
        json={"clock": "decision", "reason": reason},
        headers=headers,
    )


def test_holder_extends_the_decision_clock_once(world, client, headers_for):
    case = new_case(world)
    db.session.commit()
    headers = headers_for(world.liaisons["BAWASLU"])
    before = client.get(f"/api/v1/cases/{case.id}", headers=headers).get_json()
    decision = next(d for d in before["deadlines"] if d["clock"] == "decision")
    assert decision["extension"] is None
    assert decision["unit"] == "calendar"
    response = _extend(client, headers, case)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["extension_clock"] == "decision_extension"
    after = client.get(f"/api/v1/cases/{case.id}", headers=headers).get_json()
    extended = next(d for d in after["deadlines"] if d["clock"] == "decision")
    assert extended["unit"] == "working"
    assert extended["due_at"] > decision["due_at"]
    assert extended["extension"]["reason"] == "Keterangan tambahan dari pelapor"
    assert after["version"] > before["version"]
    assert db.session.query(Event).filter_by(type="case.clock_extended").count() == 1
    again = _extend(client, headers, case)
    assert again.status_code == 409
    assert again.get_json()["code"] == "already_extended"
    assert db.session.query(CaseClockExtension).count() == 1


def test_an_extension_needs_a_known_clock_and_the_holder(world, client, headers_for):
    case = new_case(world)
    db.session.commit()
    response = client.post(
        f"/api/v1/cases/{case.id}/extensions",
        json={"clock": "report_window", "reason": "x"},
        headers=headers_for(world.coordinator),
    )
    assert response.status_code == 422
    assert _extend(client, headers_for(world.liaisons["TNI"]), case).status_code == 403
    assert _extend(client, headers_for(world.other_coordinator), case).status_code == 404


def test_case_lists_show_deadlines_even_redacted(world, client, headers_for):
    case = new_case(world)
    db.session.commit()
    body = client.get("/api/v1/cases", headers=headers_for(world.liaisons["TNI"])).get_json()
    item = next(i for i in body["items"] if i["id"] == str(case.id))
    assert item["redacted"] is True
    assert {d["clock"] for d in item["deadlines"]} >= {"decision", "initial_review"}
