"""Who may call what: every route the app registers × every kind of caller.

Each row names a route, how to build a request to it against the `world` fixture (a Pokja
with its six agencies and a user per role, plus a second Pokja), and the status each caller
must get. A route without a row fails `test_every_registered_route_has_a_row`, so no endpoint
can be added without deciding who may use it.

Callers: anon (no token), admin, coord (the Pokja's coordinator), sec (secretary), bawaslu and
tni (liaisons of those agencies), viewer, other (the second Pokja's coordinator: everything of
the first Pokja is 404 for them).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from pokja.extensions import db
from tests.conftest import PASSWORD, World

CALLERS = ("anon", "admin", "coord", "sec", "bawaslu", "tni", "viewer", "other")


def caller_user(world: World, caller: str):
    return {
        "anon": None,
        "admin": world.admin,
        "coord": world.coordinator,
        "sec": world.secretary,
        "bawaslu": world.liaisons["BAWASLU"],
        "tni": world.liaisons["TNI"],
        "viewer": world.viewer,
        "other": world.other_coordinator,
    }[caller]


@dataclass
class Call:
    method: str
    url: str
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Row:
    method: str
    rule: str
    build: Callable[[World, Any, Any], Call]
    expected: dict[str, int]


def expect(*statuses: int) -> dict[str, int]:
    assert len(statuses) == len(CALLERS)
    return dict(zip(CALLERS, statuses, strict=True))


def _etag(client, headers_for, world: World, url: str) -> dict[str, str]:
    """The current ETag, read as the admin, for PATCH rows."""
    return {"If-Match": client.get(url, headers=headers_for(world.admin)).headers["ETag"]}


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


# fmt: off
ROWS = [
    #                                         anon admin coord sec bawaslu tni viewer other
    Row("GET", "/healthz", lambda w, c, h: Call("GET", "/healthz"),
        expect(200, 200, 200, 200, 200, 200, 200, 200)),
    Row("GET", "/readyz", lambda w, c, h: Call("GET", "/readyz"),
        expect(200, 200, 200, 200, 200, 200, 200, 200)),
    Row("GET", "/openapi.json", lambda w, c, h: Call("GET", "/openapi.json"),
        expect(200, 200, 200, 200, 200, 200, 200, 200)),
    Row("GET", "/docs", lambda w, c, h: Call("GET", "/docs"),
        expect(200, 200, 200, 200, 200, 200, 200, 200)),
    Row("GET", "/docs/assets/<path:filename>",
        lambda w, c, h: Call("GET", "/docs/assets/swagger-ui.css"),
        expect(200, 200, 200, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/auth/login",
        lambda w, c, h: Call("POST", "/api/v1/auth/login",
                             {"username": w.liaisons["KEJARI"].username, "password": PASSWORD}),
        expect(200, 200, 200, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/auth/refresh", None,  # built in the test: needs the caller's token
        expect(401, 200, 200, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/auth/logout", lambda w, c, h: Call("POST", "/api/v1/auth/logout"),
        expect(401, 204, 204, 204, 204, 204, 204, 204)),
    Row("GET", "/api/v1/auth/me", lambda w, c, h: Call("GET", "/api/v1/auth/me"),
        expect(401, 200, 200, 200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/pokjas", lambda w, c, h: Call("GET", "/api/v1/pokjas"),
        expect(401, 200, 200, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/pokjas",
        lambda w, c, h: Call("POST", "/api/v1/pokjas", {
            "name": _unique("Pokja Kota Bengkulu"), "region_code": "17.71",
            "region_name": "Kota Bengkulu", "level": "kota"}),
        expect(401, 201, 403, 403, 403, 403, 403, 403)),
    Row("GET", "/api/v1/pokjas/<uuid:pokja_id>",
        lambda w, c, h: Call("GET", f"/api/v1/pokjas/{w.pokja.id}"),
        expect(401, 200, 200, 200, 200, 200, 200, 404)),
    Row("PATCH", "/api/v1/pokjas/<uuid:pokja_id>",
        lambda w, c, h: Call("PATCH", f"/api/v1/pokjas/{w.pokja.id}", {"region_name": "Kab. BS"},
                             _etag(c, h, w, f"/api/v1/pokjas/{w.pokja.id}")),
        expect(401, 200, 200, 403, 403, 403, 403, 404)),
    Row("GET", "/api/v1/agencies", lambda w, c, h: Call("GET", "/api/v1/agencies"),
        expect(401, 200, 200, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/agencies",
        lambda w, c, h: Call("POST", "/api/v1/agencies", {
            "pokja_id": str(w.pokja.id), "kind": "BKN", "name": _unique("BKN Regional VII")}),
        expect(401, 201, 201, 403, 403, 403, 403, 422)),
    Row("GET", "/api/v1/agencies/<uuid:agency_id>",
        lambda w, c, h: Call("GET", f"/api/v1/agencies/{w.agencies['TNI'].id}"),
        expect(401, 200, 200, 200, 200, 200, 200, 404)),
    Row("PATCH", "/api/v1/agencies/<uuid:agency_id>",
        lambda w, c, h: Call("PATCH", f"/api/v1/agencies/{w.agencies['TNI'].id}",
                             {"name": _unique("Kodim 0408")},
                             _etag(c, h, w, f"/api/v1/agencies/{w.agencies['TNI'].id}")),
        expect(401, 200, 200, 403, 403, 403, 403, 404)),
    Row("GET", "/api/v1/users", lambda w, c, h: Call("GET", "/api/v1/users"),
        expect(401, 200, 200, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/users",
        lambda w, c, h: Call("POST", "/api/v1/users", {
            "username": _unique("kejari"), "display_name": "Fajar", "password": "s3cret-pass",
            "role": "liaison", "pokja_id": str(w.pokja.id),
            "agency_id": str(w.agencies["KEJARI"].id)}),
        expect(401, 201, 201, 403, 403, 403, 403, 422)),
    Row("GET", "/api/v1/users/<uuid:user_id>",
        lambda w, c, h: Call("GET", f"/api/v1/users/{w.liaisons['KEJARI'].id}"),
        expect(401, 200, 200, 404, 404, 404, 404, 404)),
    Row("PATCH", "/api/v1/users/<uuid:user_id>",
        lambda w, c, h: Call("PATCH", f"/api/v1/users/{w.liaisons['KEJARI'].id}",
                             {"display_name": "Fajar Nugroho"},
                             _etag(c, h, w, f"/api/v1/users/{w.liaisons['KEJARI'].id}")),
        expect(401, 200, 200, 404, 404, 404, 404, 404)),
]
# fmt: on


def _build(row: Row, world: World, client, headers_for, tokens_for, caller: str) -> Call:
    if row.rule == "/api/v1/auth/refresh":
        user = caller_user(world, caller)
        token = tokens_for(user).refresh_token if user else "not-a-token"
        return Call("POST", "/api/v1/auth/refresh", {"refresh_token": token})
    return row.build(world, client, headers_for)


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.method} {r.rule}")
def test_authorization_matrix(row, caller, world, client, headers_for, tokens_for):
    call = _build(row, world, client, headers_for, tokens_for, caller)
    user = caller_user(world, caller)
    headers = dict(call.headers)
    if user is not None and row.rule != "/api/v1/auth/refresh":
        headers.update(headers_for(user))
    response = client.open(call.url, method=call.method, json=call.json, headers=headers)
    assert response.status_code == row.expected[caller], response.get_data(as_text=True)
    if response.status_code >= 400:
        assert response.mimetype == "application/problem+json"
    db.session.expire_all()


def test_every_registered_route_has_a_row(app):
    registered = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = {(row.method, row.rule) for row in ROWS}
    assert registered - covered == set(), "routes without a row in the authorization matrix"
    assert covered - registered == set(), "rows for routes that do not exist"
