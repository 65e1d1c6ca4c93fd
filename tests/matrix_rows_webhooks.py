"""Authorization matrix rows for webhooks: the BKDPSDM liaison's subscription is managed by that
liaison and the coordinator; other liaisons don't find it; other roles are refused."""

from __future__ import annotations

import sqlalchemy as sa

from pokja.extensions import db
from pokja.models import OutboxMessage
from pokja.notify.outbox import notify
from pokja.notify.subscriptions import create_subscription
from tests.matrix import Call, Row, etag, expect

URL = "http://127.0.0.1:9/hooks/pokja"  # never called: the matrix runs no worker


def _subscription(world):
    subscription = create_subscription(
        db.session,
        world.liaisons["BKDPSDM"],
        {"url": URL, "events": ["handoff.received"]},
        allow_private=True,
    )
    db.session.commit()
    return subscription


def _dead_delivery(world):
    subscription = _subscription(world)
    notify(
        db.session,
        pokja_id=world.pokja.id,
        agency_id=subscription.agency_id,
        event_type="handoff.received",
        payload={"handoff_id": "x"},
    )
    message = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.subscription_id == subscription.id)
    )
    message.status, message.next_attempt_at, message.attempts = "dead", None, 8
    db.session.commit()
    return message


def _one(method, suffix="", body=None, if_match=False):
    def build(w, c, h, u):
        url = f"/api/v1/webhooks/{_subscription(w).id}{suffix}"
        return Call(method, url, body, etag(c, h, w, url) if if_match else {})

    return build


# Found by the coordinator and the owning agency's liaison; 404 for other liaisons and for
# another Pokja; 403 for roles that never manage webhooks.
def _owned(status):
    return expect(401, 403, status, 403, 403, 404, 404, bkdpsdm=status)


# fmt: off
ROWS = [
    Row("GET", "/api/v1/webhooks", lambda w, c, h, u: Call("GET", "/api/v1/webhooks"),
        expect(401, 403, 200, 403, 403, 200, 200)),
    Row("POST", "/api/v1/webhooks",
        lambda w, c, h, u: Call("POST", "/api/v1/webhooks", {
            "agency_id": str(w.agencies["BKDPSDM"].id), "url": URL,
            "events": ["handoff.received"]}),
        expect(401, 403, 201, 403, 403, 422, 403, bkdpsdm=201)),
    Row("GET", "/api/v1/webhooks/<uuid:webhook_id>", _one("GET"), _owned(200)),
    Row("PATCH", "/api/v1/webhooks/<uuid:webhook_id>",
        _one("PATCH", body={"active": False}, if_match=True), _owned(200)),
    Row("DELETE", "/api/v1/webhooks/<uuid:webhook_id>", _one("DELETE"), _owned(204)),
    Row("POST", "/api/v1/webhooks/<uuid:webhook_id>/rotate-secret",
        _one("POST", "/rotate-secret"), _owned(200)),
    Row("GET", "/api/v1/webhooks/<uuid:webhook_id>/deliveries",
        _one("GET", "/deliveries"), _owned(200)),
    Row("POST", "/api/v1/webhooks/deliveries/<uuid:delivery_id>/retry",
        lambda w, c, h, u: Call(
            "POST", f"/api/v1/webhooks/deliveries/{_dead_delivery(w).id}/retry"),
        _owned(200)),
]
# fmt: on
