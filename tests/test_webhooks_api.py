"""The webhook subscription API: who manages what, validation, secrets, deliveries, retry."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from pokja.extensions import db
from pokja.models import Event, OutboxMessage, WebhookSubscription
from pokja.notify.outbox import notify

URL = "http://127.0.0.1:9/hooks/pokja"  # the API never calls it; no worker runs here
BODY = {"url": URL, "events": ["handoff.received", "deadline.passed"], "description": "SIMPEG"}


def create(client, headers_for, user, **body):
    return client.post("/api/v1/webhooks", json={**BODY, **body}, headers=headers_for(user))


def test_a_liaison_subscribes_its_own_agency_and_sees_the_secret_once(world, client, headers_for):
    liaison = world.liaisons["BKDPSDM"]
    response = create(client, headers_for, liaison)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["agency_id"] == str(world.agencies["BKDPSDM"].id)
    assert created["events"] == ["deadline.passed", "handoff.received"]
    assert created["secret"].startswith("whsec_")
    assert created["secret_hint"] == f"{created['secret'][:6]}…{created['secret'][-4:]}"
    assert response.headers["ETag"] == '"1"'
    stored = db.session.get(WebhookSubscription, uuid.UUID(created["id"]))
    assert stored.secret == created["secret"]

    read = client.get(f"/api/v1/webhooks/{created['id']}", headers=headers_for(liaison))
    assert read.status_code == 200
    assert "secret" not in read.get_json()
    assert read.get_json()["secret_hint"] == created["secret_hint"]
    listed = client.get("/api/v1/webhooks", headers=headers_for(liaison)).get_json()
    assert [item["id"] for item in listed["items"]] == [created["id"]]
    assert "secret" not in listed["items"][0]
    assert created["secret"] not in str(
        db.session.scalars(sa.select(Event.data).where(Event.pokja_id == world.pokja.id)).all()
    )


def test_a_liaison_cannot_subscribe_another_agency(world, client, headers_for):
    response = create(
        client,
        headers_for,
        world.liaisons["BKDPSDM"],
        agency_id=str(world.agencies["INSPEKTORAT"].id),
    )
    assert response.status_code == 403


def test_a_coordinator_subscribes_any_agency_of_its_pokja_only(world, client, headers_for):
    kejari = str(world.agencies["KEJARI"].id)
    response = create(client, headers_for, world.coordinator, agency_id=kejari)
    assert response.status_code == 201
    assert response.get_json()["agency_id"] == kejari
    foreign = create(client, headers_for, world.other_coordinator, agency_id=kejari)
    assert foreign.status_code == 422
    assert foreign.get_json()["code"] == "unknown_agency"


def test_the_coordinator_lists_the_pokja_and_a_liaison_its_agency(world, client, headers_for):
    for kind in ("BKDPSDM", "TNI"):
        assert create(client, headers_for, world.liaisons[kind]).status_code == 201
    everything = client.get("/api/v1/webhooks", headers=headers_for(world.coordinator))
    assert len(everything.get_json()["items"]) == 2
    tni = client.get("/api/v1/webhooks", headers=headers_for(world.liaisons["TNI"]))
    assert [i["agency_id"] for i in tni.get_json()["items"]] == [str(world.agencies["TNI"].id)]
    mine = client.get(
        f"/api/v1/webhooks?agency_id={world.agencies['TNI'].id}&active=true",
        headers=headers_for(world.coordinator),
    )
    assert len(mine.get_json()["items"]) == 1


def test_url_and_events_are_validated(world, client, headers_for):
    liaison = world.liaisons["BKDPSDM"]
    cases = [
        ({"url": "ftp://files.example/x"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"events": []}, "events"),
        ({"events": ["handoff.exploded"]}, "events"),
    ]
    for body, field in cases:
        response = create(client, headers_for, liaison, **body)
        assert response.status_code == 422, body
        assert field in response.get_json()["errors"], body
    missing = client.post("/api/v1/webhooks", json={"url": URL}, headers=headers_for(liaison))
    assert missing.status_code == 422


def test_patch_needs_the_current_etag(world, client, headers_for):
    liaison = world.liaisons["BKDPSDM"]
    created = create(client, headers_for, liaison).get_json()
    url = f"/api/v1/webhooks/{created['id']}"
    assert client.patch(url, json={"active": False}, headers=headers_for(liaison)).status_code == (
        428
    )
    stale = headers_for(liaison, **{"If-Match": '"7"'})
    assert client.patch(url, json={"active": False}, headers=stale).status_code == 412
    current = headers_for(liaison, **{"If-Match": '"1"'})
    response = client.patch(url, json={"active": False, "events": ["case.shared"]}, headers=current)
    assert response.status_code == 200
    assert (response.get_json()["active"], response.get_json()["events"]) == (
        False,
        ["case.shared"],
    )
    assert response.headers["ETag"] == '"2"'
    bad = client.patch(
        url,
        json={"url": "javascript:alert(1)"},
        headers=headers_for(liaison, **{"If-Match": '"2"'}),
    )
    assert bad.status_code == 422


def test_a_paused_subscription_gets_nothing(world, client, headers_for):
    liaison = world.liaisons["BKDPSDM"]
    created = create(client, headers_for, liaison).get_json()
    client.patch(
        f"/api/v1/webhooks/{created['id']}",
        json={"active": False},
        headers=headers_for(liaison, **{"If-Match": '"1"'}),
    )
    queued = notify(
        db.session,
        pokja_id=world.pokja.id,
        agency_id=world.agencies["BKDPSDM"].id,
        event_type="handoff.received",
        payload={},
    )
    assert queued == 0


def test_another_agency_does_not_find_the_subscription(world, client, headers_for):
    created = create(client, headers_for, world.liaisons["BKDPSDM"]).get_json()
    for user in (world.liaisons["TNI"], world.other_coordinator):
        response = client.get(f"/api/v1/webhooks/{created['id']}", headers=headers_for(user))
        assert response.status_code == 404


def test_rotating_the_secret_shows_the_new_one_once(world, client, headers_for):
    liaison = world.liaisons["BKDPSDM"]
    created = create(client, headers_for, liaison).get_json()
    response = client.post(
        f"/api/v1/webhooks/{created['id']}/rotate-secret", headers=headers_for(liaison)
    )
    assert response.status_code == 200
    assert response.get_json()["secret"] != created["secret"]
    assert (
        db.session.get(WebhookSubscription, uuid.UUID(created["id"])).secret
        == response.get_json()["secret"]
    )


def _queue(world, n, status="pending"):
    for i in range(n):
        notify(
            db.session,
            pokja_id=world.pokja.id,
            agency_id=world.agencies["BKDPSDM"].id,
            event_type="handoff.received",
            payload={"i": i},
        )
    db.session.flush()
    if status == "dead":
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.pokja_id == world.pokja.id)
            .values(status="dead", next_attempt_at=None, attempts=8, last_error="HTTP 500")
        )
    db.session.commit()


def test_deliveries_are_listed_newest_first_page_by_page(world, client, headers_for):
    liaison = world.liaisons["BKDPSDM"]
    created = create(client, headers_for, liaison).get_json()
    _queue(world, 3)
    url = f"/api/v1/webhooks/{created['id']}/deliveries"
    first = client.get(f"{url}?limit=2", headers=headers_for(liaison))
    assert first.status_code == 200
    page = first.get_json()
    assert len(page["items"]) == 2
    assert page["items"][0]["status"] == "pending"
    assert page["items"][0]["attempts"] == 0
    assert 'rel="next"' in first.headers["Link"]
    rest = client.get(f"{url}?limit=2&cursor={page['next_cursor']}", headers=headers_for(liaison))
    assert len(rest.get_json()["items"]) == 1
    assert rest.get_json()["next_cursor"] is None
    seen = [i["payload"]["i"] for i in page["items"] + rest.get_json()["items"]]
    assert sorted(seen) == [0, 1, 2]
    dead = client.get(f"{url}?status=dead", headers=headers_for(liaison))
    assert dead.get_json()["items"] == []


def test_only_a_dead_delivery_is_retried(world, client, headers_for):
    liaison = world.liaisons["BKDPSDM"]
    create(client, headers_for, liaison)
    _queue(world, 1)
    message = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.pokja_id == world.pokja.id)
    )
    retry = f"/api/v1/webhooks/deliveries/{message.id}/retry"
    response = client.post(retry, headers=headers_for(liaison))
    assert response.status_code == 409
    assert response.get_json()["code"] == "delivery_not_dead"

    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message.id)
        .values(status="dead", next_attempt_at=None, attempts=8)
    )
    db.session.commit()
    response = client.post(retry, headers=headers_for(liaison))
    assert response.status_code == 200
    body = response.get_json()
    assert (body["id"], body["status"], body["attempts"]) == (str(message.id), "pending", 0)
    assert body["next_attempt_at"] is not None
    types = db.session.scalars(sa.select(Event.type).where(Event.pokja_id == world.pokja.id))
    assert "webhook.delivery_retried" in set(types)


def test_deleting_a_subscription_removes_its_deliveries(world, client, headers_for):
    liaison = world.liaisons["BKDPSDM"]
    created = create(client, headers_for, liaison).get_json()
    _queue(world, 2)
    response = client.delete(f"/api/v1/webhooks/{created['id']}", headers=headers_for(liaison))
    assert response.status_code == 204
    assert db.session.get(WebhookSubscription, uuid.UUID(created["id"])) is None
    left = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.subscription_id == uuid.UUID(created["id"]))
    ).all()
    assert left == []
    again = client.get(f"/api/v1/webhooks/{created['id']}", headers=headers_for(liaison))
    assert again.status_code == 404
