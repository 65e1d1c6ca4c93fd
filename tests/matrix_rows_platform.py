"""Authorization matrix rows for the platform: health, docs, auth, Pokjas, agencies, users."""

from __future__ import annotations

from tests.conftest import PASSWORD
from tests.matrix import Call, Row, etag, expect, unique

ALL_200 = expect(200, 200, 200, 200, 200, 200, 200)


def _refresh(world, client, headers_for, caller):
    """Refresh presents the caller's own refresh token, not an access token."""
    from pokja.api import tokens
    from pokja.extensions import db
    from tests.matrix import caller_user

    user = caller_user(world, caller)
    token = "not-a-token"
    if user is not None:
        token = tokens.start_session(db.session, user).refresh_token
        db.session.commit()
    return Call("POST", "/api/v1/auth/refresh", {"refresh_token": token}, authenticated=False)


# fmt: off
ROWS = [
    #                                                  anon admin coord sec viewer other liaison
    Row("GET", "/healthz", lambda w, c, h, u: Call("GET", "/healthz"), ALL_200),
    Row("GET", "/readyz", lambda w, c, h, u: Call("GET", "/readyz"), ALL_200),
    Row("GET", "/openapi.json", lambda w, c, h, u: Call("GET", "/openapi.json"), ALL_200),
    Row("GET", "/docs", lambda w, c, h, u: Call("GET", "/docs"), ALL_200),
    Row("GET", "/docs/assets/<path:filename>",
        lambda w, c, h, u: Call("GET", "/docs/assets/swagger-ui.css"), ALL_200),
    Row("POST", "/api/v1/auth/login",
        lambda w, c, h, u: Call("POST", "/api/v1/auth/login",
                                {"username": w.liaisons["KEJARI"].username,
                                 "password": PASSWORD}),
        ALL_200),
    Row("POST", "/api/v1/auth/refresh", _refresh,
        expect(401, 200, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/auth/logout", lambda w, c, h, u: Call("POST", "/api/v1/auth/logout"),
        expect(401, 204, 204, 204, 204, 204, 204)),
    Row("GET", "/api/v1/auth/me", lambda w, c, h, u: Call("GET", "/api/v1/auth/me"),
        expect(401, 200, 200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/pokjas", lambda w, c, h, u: Call("GET", "/api/v1/pokjas"),
        expect(401, 200, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/pokjas",
        lambda w, c, h, u: Call("POST", "/api/v1/pokjas", {
            "name": unique("Pokja Kota Bengkulu"), "region_code": "17.71",
            "region_name": "Kota Bengkulu", "level": "kota"}),
        expect(401, 201, 403, 403, 403, 403, 403)),
    Row("GET", "/api/v1/pokjas/<uuid:pokja_id>",
        lambda w, c, h, u: Call("GET", f"/api/v1/pokjas/{w.pokja.id}"),
        expect(401, 200, 200, 200, 200, 404, 200)),
    Row("PATCH", "/api/v1/pokjas/<uuid:pokja_id>",
        lambda w, c, h, u: Call("PATCH", f"/api/v1/pokjas/{w.pokja.id}",
                                {"region_name": "Kab. BS"},
                                etag(c, h, w, f"/api/v1/pokjas/{w.pokja.id}")),
        expect(401, 200, 200, 403, 403, 404, 403)),
    Row("GET", "/api/v1/agencies", lambda w, c, h, u: Call("GET", "/api/v1/agencies"),
        expect(401, 200, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/agencies",
        lambda w, c, h, u: Call("POST", "/api/v1/agencies", {
            "pokja_id": str(w.pokja.id), "kind": "BKN", "name": unique("BKN Regional VII")}),
        expect(401, 201, 201, 403, 403, 422, 403)),
    Row("GET", "/api/v1/agencies/<uuid:agency_id>",
        lambda w, c, h, u: Call("GET", f"/api/v1/agencies/{w.agencies['TNI'].id}"),
        expect(401, 200, 200, 200, 200, 404, 200)),
    Row("PATCH", "/api/v1/agencies/<uuid:agency_id>",
        lambda w, c, h, u: Call("PATCH", f"/api/v1/agencies/{w.agencies['TNI'].id}",
                                {"name": unique("Kodim 0408")},
                                etag(c, h, w, f"/api/v1/agencies/{w.agencies['TNI'].id}")),
        expect(401, 200, 200, 403, 403, 404, 403)),
    Row("GET", "/api/v1/users", lambda w, c, h, u: Call("GET", "/api/v1/users"),
        expect(401, 200, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/users",
        lambda w, c, h, u: Call("POST", "/api/v1/users", {
            "username": unique("kejari"), "display_name": "Fajar", "password": "s3cret-pass",
            "role": "liaison", "pokja_id": str(w.pokja.id),
            "agency_id": str(w.agencies["KEJARI"].id)}),
        expect(401, 201, 201, 403, 403, 422, 403)),
    # A liaison sees only themselves: the KEJARI liaison reads their own record.
    Row("GET", "/api/v1/users/<uuid:user_id>",
        lambda w, c, h, u: Call("GET", f"/api/v1/users/{w.liaisons['KEJARI'].id}"),
        expect(401, 200, 200, 404, 404, 404, 404, kejari=200)),
    # ... and may change their own display name.
    Row("PATCH", "/api/v1/users/<uuid:user_id>",
        lambda w, c, h, u: Call("PATCH", f"/api/v1/users/{w.liaisons['KEJARI'].id}",
                                {"display_name": "Fajar Nugroho"},
                                etag(c, h, w, f"/api/v1/users/{w.liaisons['KEJARI'].id}")),
        expect(401, 200, 200, 404, 404, 404, 404, kejari=200)),
]
# fmt: on
