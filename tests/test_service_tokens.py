"""Service tokens: read-only, revocable at once, hashed at rest (DESIGN §9)."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from pokja.extensions import db
from pokja.models import Event, ServiceToken
from pokja.time import clock
from tests.factories import new_case


def _create(client, headers_for, world, **body):
    response = client.post(
        "/api/v1/service-tokens",
        json={"name": "Dasbor provinsi", **body},
        headers=headers_for(world.coordinator),
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_the_secret_is_shown_once_and_stored_hashed(client, headers_for, world):
    created = _create(client, headers_for, world)
    secret = created["token"]
    assert secret.startswith("pst_")
    assert len(secret) > 40
    stored = db.session.get(ServiceToken, uuid.UUID(created["id"]))
    assert stored.secret_hash != secret
    assert secret not in stored.secret_hash
    read = client.get(
        f"/api/v1/service-tokens/{created['id']}", headers=headers_for(world.coordinator)
    )
    assert read.status_code == 200
    assert "token" not in read.get_json()
    listed = client.get("/api/v1/service-tokens", headers=headers_for(world.coordinator))
    assert [t["id"] for t in listed.get_json()["items"]] == [created["id"]]
    assert secret not in listed.get_data(as_text=True)
    types = db.session.scalars(sa.select(Event.type).where(Event.pokja_id == world.pokja.id))
    assert "service_token.created" in list(types)


def test_a_service_token_reads_what_a_viewer_reads(client, headers_for, world):
    case = new_case(world)
    db.session.commit()
    token = _create(client, headers_for, world)["token"]
    me = client.get("/api/v1/auth/me", headers=_bearer(token))
    assert me.status_code == 200, me.get_data(as_text=True)
    assert me.get_json()["role"] == "viewer"
    listed = client.get("/api/v1/cases", headers=_bearer(token))
    assert listed.status_code == 200
    [item] = listed.get_json()["items"]
    assert item["id"] == str(case.id)
    assert item["redacted"] is True
    assert "subjects" not in item
    detail = client.get(f"/api/v1/cases/{case.id}", headers=_bearer(token))
    assert detail.status_code == 200
    assert detail.get_json()["redacted"] is True
    # What a viewer may not read, a token may not either.
    assert client.get("/api/v1/service-tokens", headers=_bearer(token)).status_code == 403


def test_a_token_of_one_pokja_sees_nothing_of_another(client, headers_for, world, make_user):
    token = _create(client, headers_for, world)["token"]
    other_case = new_case(world, actor=world.other_liaison)
    db.session.commit()
    response = client.get(f"/api/v1/cases/{other_case.id}", headers=_bearer(token))
    assert response.status_code == 404


def _concrete(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?[a-z_]+>", str(uuid.uuid4()), rule)


def test_every_write_with_a_service_token_is_403(app, client, headers_for, world):
    token = _create(client, headers_for, world)["token"]
    writes = [
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods - {"GET", "HEAD", "OPTIONS"})
    ]
    assert len(writes) > 20
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Event))
    for method, rule in writes:
        response = client.open(_concrete(rule), method=method, json={}, headers=_bearer(token))
        assert response.status_code == 403, (method, rule)
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["code"] == "read_only_token"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == before


def test_a_write_with_a_service_token_is_403_whatever_its_body(client, headers_for, world):
    token = _create(client, headers_for, world)["token"]
    headers = {**_bearer(token), "Content-Type": "text/plain"}
    response = client.post("/api/v1/cases", data="not json", headers=headers)
    assert response.status_code == 403
    assert response.get_json()["request_id"] == response.headers["X-Request-ID"]


def test_a_service_token_reads_the_dashboard_routes_as_the_viewer(client, headers_for, world):
    from tests.matrix_rows_dashboards_read import ROWS

    token = _create(client, headers_for, world)["token"]
    reads = [row for row in ROWS if row.method == "GET"]
    assert len(reads) >= 4
    for row in reads:
        call = row.build(world, client, headers_for, "viewer")
        response = client.get(call.url, headers=_bearer(token))
        assert response.status_code == row.expected["viewer"], row.rule


def test_a_revoked_token_is_refused_at_once(client, headers_for, world):
    created = _create(client, headers_for, world)
    assert client.get("/api/v1/cases", headers=_bearer(created["token"])).status_code == 200
    revoked = client.delete(
        f"/api/v1/service-tokens/{created['id']}", headers=headers_for(world.coordinator)
    )
    assert revoked.status_code == 204
    response = client.get("/api/v1/cases", headers=_bearer(created["token"]))
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"] == "Bearer"
    shown = client.get(
        f"/api/v1/service-tokens/{created['id']}", headers=headers_for(world.coordinator)
    ).get_json()
    assert shown["revoked_at"] is not None


def test_an_expired_token_is_refused(client, headers_for, world, monkeypatch):
    expires = datetime.now(UTC) + timedelta(hours=1)
    token = _create(client, headers_for, world, expires_at=expires.isoformat())["token"]
    assert client.get("/api/v1/cases", headers=_bearer(token)).status_code == 200
    monkeypatch.setattr(clock, "now", lambda: expires + timedelta(seconds=1))
    assert client.get("/api/v1/cases", headers=_bearer(token)).status_code == 401


def test_an_unknown_token_is_401(client):
    response = client.get("/api/v1/cases", headers=_bearer("pst_" + "x" * 43))
    assert response.status_code == 401
    assert response.get_json()["code"] == "token_revoked"


@pytest.mark.parametrize(
    "body", [{"name": ""}, {"name": "x" * 101}, {"name": "a", "expires_at": "2020-01-01T00:00Z"}]
)
def test_bad_input_is_422_and_writes_nothing(client, headers_for, world, body):
    response = client.post(
        "/api/v1/service-tokens", json=body, headers=headers_for(world.coordinator)
    )
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ServiceToken)) == 0


def test_last_used_is_written_at_most_once_a_minute(client, headers_for, world, monkeypatch):
    created = _create(client, headers_for, world)
    token_id = uuid.UUID(created["id"])

    def last_used():
        return db.session.scalar(
            sa.select(ServiceToken.last_used_at).where(ServiceToken.id == token_id)
        )

    assert last_used() is None
    start = datetime.now(UTC)
    monkeypatch.setattr(clock, "now", lambda: start)
    client.get("/api/v1/cases", headers=_bearer(created["token"]))
    assert last_used() == start
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(seconds=30))
    client.get("/api/v1/cases", headers=_bearer(created["token"]))
    assert last_used() == start
    later = start + timedelta(seconds=61)
    monkeypatch.setattr(clock, "now", lambda: later)
    client.get("/api/v1/cases", headers=_bearer(created["token"]))
    assert last_used() == later


def test_authentication_is_one_statement(client, headers_for, world, count_queries):
    token = _create(client, headers_for, world)["token"]
    client.get("/api/v1/auth/me", headers=_bearer(token))  # the first use writes last_used_at
    viewer = headers_for(world.viewer)
    with count_queries() as statements:
        response = client.get("/api/v1/cases", headers=_bearer(token))
    assert response.status_code == 200
    with count_queries() as jwt_statements:
        client.get("/api/v1/cases", headers=viewer)
    # The same budget as an access token's request: one statement authenticates.
    assert len(statements) == len(jwt_statements)
    assert sum("service_tokens" in s for s in statements) == 1
