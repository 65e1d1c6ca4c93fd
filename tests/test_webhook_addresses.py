"""Webhook URLs are checked at subscription and at delivery (issue 9), and a delivery
connects to the address that was checked: the name is resolved once (no DNS rebinding).
Names are resolved by pokja.notify.addresses.resolve, which these tests patch."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from pokja.extensions import db
from pokja.models import WebhookSubscription
from pokja.notify import addresses, sending
from pokja.notify.delivery import DeliverySettings, run_once
from tests.test_webhook_delivery import (  # noqa: F401 - the receiver fixture
    SETTINGS,
    outbox,
    receiver,
    started_handoff,
    subscribe,
)

WEBHOOKS = "/api/v1/webhooks"
PUBLIC = "93.184.215.14"


@pytest.fixture
def resolver(monkeypatch):
    """``names[host]``: what a name resolves to, one list per lookup (the last repeats)."""
    names: dict[str, list[list[str]]] = {}
    lookups: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        lookups.append(host)
        if host in names:
            answers = names[host]
            return answers.pop(0) if len(answers) > 1 else answers[0]
        try:  # a literal address resolves to itself
            addresses.non_public(host)
        except ValueError:
            raise OSError(f"[Errno -2] Name or service not known: {host}") from None
        return [host]

    monkeypatch.setattr(addresses, "resolve", resolve)
    return names, lookups


@pytest.fixture
def private_refused(app, monkeypatch):
    monkeypatch.setitem(app.config, "POKJA_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "false")


def _subscribe(client, headers, url):
    return client.post(WEBHOOKS, json={"url": url, "events": ["handoff.received"]}, headers=headers)


def _count():
    return db.session.scalar(sa.select(sa.func.count()).select_from(WebhookSubscription))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",  # loopback
        "http://[::1]/hook",
        "http://10.1.2.3/hook",  # private
        "https://192.168.1.10/hook",
        "http://169.254.169.254/latest/meta-data",  # link-local (cloud metadata)
        "http://100.64.0.1/hook",  # shared address space
        "http://0.0.0.0/hook",  # unspecified
        "http://240.0.0.1/hook",  # reserved
        "http://intranet.example.test/hook",  # a name resolving to a private address
    ],
)
def test_a_non_public_url_is_422_at_subscription_and_nothing_is_written(
    world, client, headers_for, resolver, private_refused, url
):
    names, _ = resolver
    names["intranet.example.test"] = [["10.9.8.7"]]
    before = _count()

    response = _subscribe(client, headers_for(world.liaisons["BKDPSDM"]), url)

    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    assert body["code"] == "url_not_public"
    assert "url" in body["errors"]
    assert _count() == before


def test_a_name_with_one_private_address_among_public_ones_is_refused(
    world, client, headers_for, resolver, private_refused
):
    names, _ = resolver
    names["mixed.example.test"] = [[PUBLIC, "127.0.0.1"]]
    response = _subscribe(
        client, headers_for(world.liaisons["BKDPSDM"]), "https://mixed.example.test/h"
    )
    assert response.status_code == 422


def test_public_and_not_yet_resolvable_urls_are_accepted(
    world, client, headers_for, resolver, private_refused
):
    names, _ = resolver
    names["hooks.example.test"] = [[PUBLIC]]
    headers = headers_for(world.liaisons["BKDPSDM"])
    assert _subscribe(client, headers, "https://hooks.example.test/pokja").status_code == 201
    # Checked again at delivery, before any connection.
    assert _subscribe(client, headers, "https://later.example.test/pokja").status_code == 201


def test_changing_the_url_to_a_private_one_is_422(
    world, client, headers_for, resolver, private_refused
):
    names, _ = resolver
    names["hooks.example.test"] = [[PUBLIC]]
    headers = headers_for(world.liaisons["BKDPSDM"])
    created = _subscribe(client, headers, "https://hooks.example.test/pokja")
    url = f"{WEBHOOKS}/{created.get_json()['id']}"
    response = client.patch(
        url,
        json={"url": "http://127.0.0.1/admin"},
        headers={**headers, "If-Match": created.headers["ETag"]},
    )
    assert response.status_code == 422
    assert response.get_json()["code"] == "url_not_public"
    assert client.get(url, headers=headers).get_json()["url"] == "https://hooks.example.test/pokja"


def test_private_urls_are_accepted_when_the_config_allows_them(
    app, world, client, headers_for, resolver, monkeypatch
):
    monkeypatch.setitem(app.config, "POKJA_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true")
    response = _subscribe(client, headers_for(world.liaisons["BKDPSDM"]), "http://10.1.2.3/h")
    assert response.status_code == 201


def test_delivery_connects_to_the_checked_address_with_the_name_as_host(
    world,
    receiver,  # noqa: F811 - the fixture imported above
    resolver,
):
    names, lookups = resolver
    names["hooks.example.test"] = [["127.0.0.1"]]
    url = f"http://hooks.example.test:{receiver.port}{receiver.path}"
    subscribe(world, "BKDPSDM", url, ["handoff.received"])
    started_handoff(world)
    lookups.clear()

    assert run_once(db.session, settings=SETTINGS).delivered == 1

    headers, _ = receiver.requests[0]
    assert headers["Host"] == f"hooks.example.test:{receiver.port}"
    assert lookups == ["hooks.example.test"]  # resolved once, for the check


def test_a_rebinding_name_is_not_resolved_again_after_the_check(world, resolver, monkeypatch):
    """The name answers a public address to the check and loopback afterwards: the delivery
    connects to the public one it checked and never asks again."""
    names, lookups = resolver
    connected: list[tuple[str, int]] = []

    def create_connection(address, timeout=None, *args):
        connected.append(address)
        raise ConnectionRefusedError("refused (test)")

    monkeypatch.setattr(sending.socket, "create_connection", create_connection)
    subscribe(world, "BKDPSDM", "http://rebind.example.test/hook", ["handoff.received"])
    started_handoff(world)
    names["rebind.example.test"] = [[PUBLIC], ["127.0.0.1"]]
    lookups.clear()

    run_once(db.session, settings=DeliverySettings(timeout=1.0))

    assert connected == [(PUBLIC, 80)]
    assert lookups == ["rebind.example.test"]
    assert "refused (test)" in outbox(world)[0].last_error


def test_a_name_that_turned_private_is_refused_at_delivery(world, resolver):
    names, _ = resolver
    names["turned.example.test"] = [["10.0.0.8"]]
    subscribe(world, "BKDPSDM", "http://turned.example.test/hook", ["handoff.received"])
    started_handoff(world)
    run_once(db.session, settings=DeliverySettings(timeout=1.0))
    assert "non-public address (10.0.0.8)" in outbox(world)[0].last_error


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("::ffff:127.0.0.1", True),
        ("fe80::1%eth0", True),
        ("fc00::1", True),
        ("224.0.0.1", True),
        (PUBLIC, False),
        ("2606:2800:220:1::1", False),
    ],
)
def test_non_public_addresses(address, refused):
    assert addresses.non_public(address) is refused


def test_https_is_pinned_too_with_the_name_for_sni_and_the_certificate(monkeypatch):
    target = addresses.Target("https", "hooks.example.test", 443, PUBLIC, "/h")
    conn = sending.connection(target, 1.0)
    sock = object()
    calls: list[object] = []
    monkeypatch.setattr(
        sending.socket, "create_connection", lambda address, timeout: calls.append(address) or sock
    )
    monkeypatch.setattr(
        conn.tls, "wrap_socket", lambda s, server_hostname: calls.append((s, server_hostname))
    )

    conn.connect()

    assert calls == [(PUBLIC, 443), (sock, "hooks.example.test")]
    assert conn.tls.check_hostname
