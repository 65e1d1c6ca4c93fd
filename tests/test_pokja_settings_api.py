"""A Pokja's calendar and deadline settings over HTTP (DESIGN §6, §9)."""

from __future__ import annotations

from pokja.extensions import db
from pokja.models import Event, Handoff, PokjaDay
from tests.factories import hand_off, new_case

POKJAS = "/api/v1/pokjas"
DAYS = [
    {"day": "2024-02-14", "kind": "off", "note": "Hari pemungutan suara"},
    {"day": "2024-03-11", "kind": "working", "note": ""},
]


def _get(client, headers, url):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response


def test_coordinator_replaces_the_declared_days(world, client, headers_for):
    url = f"{POKJAS}/{world.pokja.id}/calendar"
    headers = headers_for(world.coordinator)
    etag = _get(client, headers, url).headers["ETag"]
    response = client.put(url, json={"days": DAYS}, headers={**headers, "If-Match": etag})
    assert response.status_code == 200, response.get_json()
    assert [d["day"] for d in response.get_json()["days"]] == ["2024-02-14", "2024-03-11"]
    assert response.headers["ETag"] != etag
    assert db.session.query(PokjaDay).filter_by(pokja_id=world.pokja.id).count() == 2
    event = db.session.query(Event).filter_by(type="pokja.calendar_changed").one()
    assert len(event.data["after"]["days"]) == 2
    # A liaison reads them back.
    body = _get(client, headers_for(world.liaisons["TNI"]), url).get_json()
    assert body["days"][0] == DAYS[0]


def test_replacing_the_days_needs_a_current_etag(world, client, headers_for):
    url = f"{POKJAS}/{world.pokja.id}/calendar"
    headers = headers_for(world.coordinator)
    assert client.put(url, json={"days": DAYS}, headers=headers).status_code == 428
    stale = {**headers, "If-Match": '"999"'}
    assert client.put(url, json={"days": DAYS}, headers=stale).status_code == 412


def test_a_day_listed_twice_is_refused(world, client, headers_for):
    url = f"{POKJAS}/{world.pokja.id}/calendar"
    headers = headers_for(world.coordinator)
    etag = _get(client, headers, url).headers["ETag"]
    days = [DAYS[0], {**DAYS[0], "kind": "working"}]
    response = client.put(url, json={"days": days}, headers={**headers, "If-Match": etag})
    assert response.status_code == 422
    assert response.get_json()["code"] == "duplicate_day"


def test_calendar_lists_a_years_public_holidays_on_request(world, client, headers_for):
    url = f"{POKJAS}/{world.pokja.id}/calendar?year=2024"
    body = _get(client, headers_for(world.viewer), url).get_json()
    holidays = {h["day"]: h["name"] for h in body["public_holidays"]}
    assert "2024-08-17" in holidays  # Hari Kemerdekaan
    assert holidays["2024-08-17"]
    assert body["time_zone"] == "Asia/Jakarta"


def test_settings_show_the_defaults(world, client, headers_for):
    body = _get(
        client, headers_for(world.liaisons["KEJARI"]), f"{POKJAS}/{world.pokja.id}/settings"
    )
    body = body.get_json()
    assert body["clocks"]["decision"]["pemilu"] == {
        "length": 7,
        "unit": "calendar",
        "follows": None,
        "default": True,
    }
    assert body["clocks"]["decision_extension"]["pilkada"]["follows"] == "decision"
    assert body["violation_tracks"]["party_membership"]["track"] == "dismissal"
    assert body["violation_tracks"]["social_media"] == {
        "track": "ethics",
        "level": "moral",
        "default": True,
    }


def _patch(client, headers, url, body):
    etag = _get(client, headers, url).headers["ETag"]
    return client.patch(url, json=body, headers={**headers, "If-Match": etag})


def test_coordinator_overrides_a_clock_and_a_track_then_restores_them(world, client, headers_for):
    url = f"{POKJAS}/{world.pokja.id}/settings"
    headers = headers_for(world.coordinator)
    body = {
        "clocks": {"decision": {"pilkada": {"length": 5, "unit": "calendar"}}},
        "violation_tracks": {"social_media": {"track": "discipline", "level": "light"}},
    }
    response = _patch(client, headers, url, body)
    assert response.status_code == 200, response.get_json()
    settings = response.get_json()
    assert settings["clocks"]["decision"]["pilkada"]["length"] == 5
    assert settings["clocks"]["decision"]["pilkada"]["default"] is False
    assert settings["violation_tracks"]["social_media"]["default"] is False
    assert db.session.query(Event).filter_by(type="pokja.settings_changed").count() == 1
    restore = {
        "clocks": {"decision": {"pilkada": None}},
        "violation_tracks": {"social_media": None},
    }
    settings = _patch(client, headers, url, restore).get_json()
    assert settings["clocks"]["decision"]["pilkada"]["default"] is True
    assert settings["violation_tracks"]["social_media"]["default"] is True
    db.session.expire_all()
    assert world.pokja.clock_overrides == {}


def test_invalid_settings_are_422_with_fields(world, client, headers_for):
    url = f"{POKJAS}/{world.pokja.id}/settings"
    headers = headers_for(world.coordinator)
    response = _patch(client, headers, url, {"clocks": {"decision": {"pemilu": {"length": 0}}}})
    assert response.status_code == 422
    response = _patch(client, headers, url, {"register_format": "{year}"})
    assert response.status_code == 422
    assert "register_format" in response.get_json()["errors"]
    response = _patch(client, headers, url, {"violation_tracks": {"nope": None}})
    assert response.status_code == 422


def test_register_format_is_set_through_settings(world, client, headers_for):
    url = f"{POKJAS}/{world.pokja.id}/settings"
    fmt = "{seq:03d}/{kind}/{year}"
    response = _patch(client, headers_for(world.coordinator), url, {"register_format": fmt})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["register_format"] == fmt


def test_a_settings_change_applies_only_to_cases_registered_afterwards(world, client, headers_for):
    """DESIGN §6: a case's clock settings are fixed when it is registered; stored deadlines
    never move, and a later handoff of the same case keeps the old clock too."""
    case = new_case(world)
    before = hand_off(world, case, "BKDPSDM")
    db.session.commit()
    due = before.due_on
    url = f"{POKJAS}/{world.pokja.id}/settings"
    body = {"clocks": {"handoff_acceptance": {"pemilu": {"length": 10, "unit": "working"}}}}
    assert _patch(client, headers_for(world.coordinator), url, body).status_code == 200
    shown = _get(client, headers_for(world.coordinator), f"/api/v1/handoffs/{before.id}")
    assert shown.get_json()["due_on"] == due.isoformat()
    db.session.expire_all()
    assert db.session.get(Handoff, before.id).due_on == due
    response = client.post(
        f"/api/v1/handoffs/{before.id}/withdraw",
        json={"reason": "Salah alamat"},
        headers=headers_for(world.liaisons["BAWASLU"]),
    )
    assert response.status_code == 200, response.get_json()
    again = hand_off(world, db.session.get(type(case), case.id), "INSPEKTORAT")
    assert again.due_on == due
    later = hand_off(world, new_case(world), "INSPEKTORAT")
    assert later.due_on > due


def test_another_pokja_and_non_coordinators(world, client, headers_for):
    url = f"{POKJAS}/{world.pokja.id}/settings"
    assert client.get(url, headers=headers_for(world.other_coordinator)).status_code == 404
    response = client.patch(
        url, json={}, headers={**headers_for(world.secretary), "If-Match": '"1"'}
    )
    assert response.status_code == 403
