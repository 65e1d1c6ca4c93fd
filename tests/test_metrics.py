"""/metrics: requests by route template, the outbox, who may read it (DESIGN §9)."""

from __future__ import annotations

import ipaddress
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from pokja.extensions import db
from pokja.models import OutboxMessage, WebhookSubscription
from tests.conftest import make_test_app


def _value(text: str, line_start: str) -> float:
    [line] = [line for line in text.splitlines() if line.startswith(line_start + " ")]
    return float(line.rsplit(" ", 1)[1])


def test_requests_are_counted_by_route_template_and_status(client, headers_for, world):
    headers = headers_for(world.coordinator)
    series = (
        'pokja_http_requests_total{method="GET",route="/api/v1/cases/<uuid:case_id>",status="404"}'
    )
    before = client.get("/metrics").get_data(as_text=True)
    start = _value(before, series) if series in before else 0.0
    for _ in range(3):
        assert client.get(f"/api/v1/cases/{uuid.uuid4()}", headers=headers).status_code == 404
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert _value(text, series) == start + 3
    assert 'pokja_http_request_duration_seconds_bucket{le="0.005",method="GET",' in text
    # Unknown paths share one series: a scanner cannot blow up the metrics' cardinality.
    probe = uuid.uuid4().hex
    client.get(f"/nothing/{probe}")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'route="unmatched",status="404"' in text
    assert probe not in text


def test_outbox_backlog_and_dead_deliveries(client, world):
    subscription = WebhookSubscription(
        pokja_id=world.pokja.id,
        agency_id=world.agencies["BKDPSDM"].id,
        url="https://example.org/hook",
        events=["handoff.received"],
        description="",
        secret="whsec_x",
    )
    db.session.add(subscription)
    db.session.flush()
    old = datetime.now(UTC) - timedelta(hours=2)
    for status in ("pending", "pending", "dead", "delivered"):
        db.session.add(
            OutboxMessage(
                pokja_id=world.pokja.id,
                agency_id=subscription.agency_id,
                subscription_id=subscription.id,
                event_type="handoff.received",
                payload={},
                status=status,
                next_attempt_at=old if status == "pending" else None,
                created_at=old,
            )
        )
    db.session.commit()
    text = client.get("/metrics").get_data(as_text=True)
    assert _value(text, 'pokja_outbox_messages{status="pending"}') == 2
    assert _value(text, 'pokja_outbox_messages{status="dead"}') == 1
    assert _value(text, "pokja_outbox_oldest_pending_seconds") >= 7200
    assert _value(text, "pokja_database_up") == 1
    assert "pokja_db_pool_connections_in_use" in text


def test_only_local_unproxied_requests_by_default(client):
    assert client.get("/metrics").status_code == 200
    remote = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert remote.status_code == 403
    assert remote.mimetype == "application/problem+json"
    proxied = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert proxied.status_code == 403


@pytest.fixture
def token_app(database_url):
    return make_test_app(
        database_url,
        POKJA_METRICS_TOKEN="metrics-secret-0123456789",
        POKJA_METRICS_ALLOW=[ipaddress.ip_network("10.0.0.0/8")],
    )


def test_a_token_or_an_allowed_network(token_app):
    client = token_app.test_client()
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", environ_base=outside).status_code == 403
    wrong = {"Authorization": "Bearer metrics-secret-wrong"}
    assert client.get("/metrics", environ_base=outside, headers=wrong).status_code == 403
    right = {"Authorization": "Bearer metrics-secret-0123456789"}
    assert client.get("/metrics", environ_base=outside, headers=right).status_code == 200
    # 127.0.0.1 is no longer allowed; 10.x is.
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
