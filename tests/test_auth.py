"""Authentication through the HTTP API: login, rate limits, refresh rotation, logout, bad tokens."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import timedelta

import jwt as pyjwt
import pytest
import sqlalchemy as sa
from flask_jwt_extended import create_access_token, create_refresh_token, decode_token

from pokja.directory import accounts
from pokja.extensions import db
from pokja.models import AuthSession, RefreshToken, User
from tests.conftest import PASSWORD

LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
ME = "/api/v1/auth/me"
TOKEN_CLAIMS = ("sid", "role", "pokja_id", "agency_id")


def assert_problem(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"].endswith(":" + code)
    assert body["title"]
    assert body["detail"]
    return body


def login(client, username, password=PASSWORD, **kwargs):
    return client.post(LOGIN, json={"username": username, "password": password}, **kwargs)


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def refresh(client, refresh_token):
    return client.post(REFRESH, json={"refresh_token": refresh_token})


def session_of(token):
    db.session.expire_all()
    return db.session.get(AuthSession, uuid.UUID(decode_token(token, allow_expired=True)["sid"]))


def sessions_of(user):
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(AuthSession).where(AuthSession.user_id == user.id)
    )


def without_request_id(body):
    return {key: value for key, value in body.items() if key != "request_id"}


# --- login ------------------------------------------------------------------------------------


def test_login_returns_a_bearer_token_pair_that_expires_in_fifteen_minutes(client, world):
    user = world.liaisons["TNI"]

    response = login(client, user.username)

    assert response.status_code == 200
    body = response.get_json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    access = decode_token(body["access_token"])
    assert access["type"] == "access"
    assert access["sub"] == str(user.id)
    assert access["exp"] - access["iat"] == 900
    assert decode_token(body["refresh_token"])["type"] == "refresh"
    assert client.get(ME, headers=bearer(body["access_token"])).status_code == 200
    auth_session = session_of(body["access_token"])
    assert auth_session.user_id == user.id
    assert auth_session.revoked_at is None
    assert db.session.get(User, user.id).last_login_at is not None


def test_wrong_username_and_wrong_password_give_the_same_401(client, world):
    user = world.liaisons["TNI"]

    wrong_password = login(client, user.username, "not the password")
    wrong_username = login(client, "nobody-by-this-name")

    body = assert_problem(wrong_password, 401, "invalid_credentials")
    assert without_request_id(body) == without_request_id(wrong_username.get_json())
    assert wrong_username.status_code == 401
    assert wrong_username.mimetype == wrong_password.mimetype
    assert wrong_password.headers["WWW-Authenticate"] == "Bearer"
    assert wrong_username.headers["WWW-Authenticate"] == "Bearer"
    assert sessions_of(user) == 0


def test_deactivated_user_cannot_log_in_and_is_told_nothing_more(client, world):
    user = world.liaisons["TNI"]
    reference = login(client, user.username, "not the password").get_json()
    db.session.get(User, user.id).active = False
    db.session.commit()

    response = login(client, user.username)

    body = assert_problem(response, 401, "invalid_credentials")
    assert without_request_id(body) == without_request_id(reference)
    assert sessions_of(user) == 0


def test_user_of_a_deactivated_pokja_cannot_log_in(client, world):
    world.pokja.active = False
    db.session.commit()

    assert_problem(login(client, world.coordinator.username), 401, "invalid_credentials")


def test_administrator_without_a_pokja_can_log_in(client, world):
    response = login(client, world.admin.username)

    assert response.status_code == 200
    assert decode_token(response.get_json()["access_token"])["role"] == "admin"


def test_login_without_a_password_is_422_with_the_field_named(client, world):
    response = client.post(LOGIN, json={"username": world.admin.username})

    body = assert_problem(response, 422, "validation_error")
    assert body["errors"] == {"password": ["Missing data for required field."]}


# --- rate limits ------------------------------------------------------------------------------


def test_login_is_rate_limited_per_username_across_clients(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "POKJA_LOGIN_LIMIT_PER_USERNAME", "3/minute")
    target = world.liaisons["TNI"]

    for _ in range(3):
        assert login(client, target.username, "guess").status_code == 401
    limited = login(client, target.username)  # even the right password
    from_elsewhere = login(client, target.username, environ_base={"REMOTE_ADDR": "10.9.9.9"})
    other_user = login(client, world.liaisons["POLRI"].username)

    body = assert_problem(limited, 429, "rate_limited")
    assert int(limited.headers["Retry-After"]) > 0
    assert "access_token" not in body
    assert_problem(from_elsewhere, 429, "rate_limited")
    assert other_user.status_code == 200
    assert sessions_of(target) == 0


def test_login_is_rate_limited_per_client_across_usernames(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "POKJA_LOGIN_LIMIT_PER_CLIENT", "2/minute")

    assert login(client, world.liaisons["TNI"].username).status_code == 200
    assert login(client, world.liaisons["POLRI"].username, "guess").status_code == 401
    limited = login(client, world.liaisons["KEJARI"].username)
    other_client = login(
        client, world.liaisons["KEJARI"].username, environ_base={"REMOTE_ADDR": "10.9.9.9"}
    )

    assert_problem(limited, 429, "rate_limited")
    assert int(limited.headers["Retry-After"]) > 0
    assert other_client.status_code == 200


# --- refresh rotation -------------------------------------------------------------------------


def test_refresh_rotates_the_pair_and_the_new_pair_works(client, world):
    user = world.liaisons["TNI"]
    first = login(client, user.username).get_json()

    response = refresh(client, first["refresh_token"])

    assert response.status_code == 200
    second = response.get_json()
    assert second["token_type"] == "Bearer"
    assert second["expires_in"] == 900
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert client.get(ME, headers=bearer(second["access_token"])).json["id"] == str(user.id)
    assert refresh(client, second["refresh_token"]).status_code == 200
    used = db.session.get(RefreshToken, decode_token(first["refresh_token"])["jti"])
    assert used.used_at is not None


def test_reusing_a_rotated_refresh_token_revokes_the_whole_family(client, world):
    user = world.liaisons["TNI"]
    first = login(client, user.username).get_json()
    second = refresh(client, first["refresh_token"]).get_json()
    other_login = login(client, user.username).get_json()

    reused = refresh(client, first["refresh_token"])

    assert_problem(reused, 401, "token_reused")
    assert reused.headers["WWW-Authenticate"] == "Bearer"
    assert_problem(client.get(ME, headers=bearer(second["access_token"])), 401, "token_revoked")
    assert_problem(client.get(ME, headers=bearer(first["access_token"])), 401, "token_revoked")
    assert_problem(refresh(client, second["refresh_token"]), 401, "token_revoked")
    family = session_of(first["access_token"])
    assert family.revoked_at is not None
    assert family.revoked_reason == "refresh_reuse"
    # Another login of the same user is another family and keeps working.
    assert client.get(ME, headers=bearer(other_login["access_token"])).status_code == 200
    assert session_of(other_login["access_token"]).revoked_at is None


def test_an_access_token_sent_to_refresh_is_refused_and_revokes_nothing(client, world):
    pair = login(client, world.liaisons["TNI"].username).get_json()

    response = refresh(client, pair["access_token"])

    assert_problem(response, 401, "invalid_token")
    assert client.get(ME, headers=bearer(pair["access_token"])).status_code == 200
    assert session_of(pair["access_token"]).revoked_at is None


def test_a_refresh_token_used_as_an_access_token_is_refused(client, world):
    pair = login(client, world.liaisons["TNI"].username).get_json()

    assert_problem(client.get(ME, headers=bearer(pair["refresh_token"])), 401, "invalid_token")
    assert_problem(client.post(LOGOUT, headers=bearer(pair["refresh_token"])), 401, "invalid_token")
    assert session_of(pair["access_token"]).revoked_at is None


def test_an_expired_refresh_token_is_refused(client, world):
    user = world.liaisons["TNI"]
    pair = login(client, user.username).get_json()
    claims = decode_token(pair["refresh_token"])
    expired = create_refresh_token(
        identity=str(user.id),
        additional_claims={**{k: claims[k] for k in TOKEN_CLAIMS}, "jti": claims["jti"]},
        expires_delta=timedelta(seconds=-1),
    )

    assert_problem(refresh(client, expired), 401, "token_expired")
    assert db.session.get(RefreshToken, claims["jti"]).used_at is None


@pytest.mark.parametrize("garbage", ["not-a-jwt", "a.b.c", "x" * 300])
def test_a_malformed_refresh_token_is_refused_with_401(client, garbage):
    assert_problem(refresh(client, garbage), 401, "invalid_token")


# --- logout and me ----------------------------------------------------------------------------


def test_logout_revokes_the_access_token_and_its_refresh_token(client, world):
    user = world.liaisons["TNI"]
    pair = login(client, user.username).get_json()
    other_login = login(client, user.username).get_json()

    response = client.post(LOGOUT, headers=bearer(pair["access_token"]))

    assert response.status_code == 204
    assert response.get_data() == b""
    assert_problem(client.get(ME, headers=bearer(pair["access_token"])), 401, "token_revoked")
    assert_problem(refresh(client, pair["refresh_token"]), 401, "token_revoked")
    assert session_of(pair["access_token"]).revoked_reason == "logout"
    assert client.get(ME, headers=bearer(other_login["access_token"])).status_code == 200


def test_logout_without_a_token_is_401(client):
    assert_problem(client.post(LOGOUT), 401, "unauthorized")


def test_me_returns_role_agency_and_pokja_and_never_the_password(client, world, headers_for):
    user = world.liaisons["KEJARI"]

    response = client.get(ME, headers=headers_for(user))

    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == str(user.id)
    assert body["username"] == user.username
    assert body["role"] == "liaison"
    assert body["agency"] == {
        "id": str(world.agencies["KEJARI"].id),
        "kind": "KEJARI",
        "name": world.agencies["KEJARI"].name,
    }
    assert body["pokja"] == {
        "id": str(world.pokja.id),
        "name": world.pokja.name,
        "timezone": "Asia/Jakarta",
    }
    assert "password" not in body
    assert "password_hash" not in body


def test_me_for_an_administrator_has_no_pokja_or_agency(client, world, headers_for):
    body = client.get(ME, headers=headers_for(world.admin)).get_json()

    assert body["role"] == "admin"
    assert body["pokja"] is None
    assert body["agency"] is None


def test_deactivating_a_user_stops_their_existing_tokens_at_once(client, world, headers_for):
    target = world.liaisons["TNI"]
    pair = login(client, target.username).get_json()
    assert client.get(ME, headers=bearer(pair["access_token"])).status_code == 200
    coordinator = headers_for(world.coordinator)
    etag = client.get(f"/api/v1/users/{target.id}", headers=coordinator).headers["ETag"]

    response = client.patch(
        f"/api/v1/users/{target.id}",
        json={"active": False},
        headers={**coordinator, "If-Match": etag},
    )

    assert response.status_code == 200
    assert response.get_json()["active"] is False
    assert_problem(client.get(ME, headers=bearer(pair["access_token"])), 401, "token_revoked")
    assert_problem(refresh(client, pair["refresh_token"]), 401, "token_revoked")
    assert_problem(login(client, target.username), 401, "invalid_credentials")
    assert db.session.get(User, target.id).active is False
    assert session_of(pair["access_token"]).revoked_reason == "deactivated"


def test_a_role_change_takes_effect_on_the_existing_token_at_once(client, world, headers_for):
    coordinator = world.coordinator
    pair = login(client, coordinator.username).get_json()
    new_user = {
        "username": f"new-{uuid.uuid4().hex[:8]}",
        "display_name": "New",
        "password": "s3cret-pass",
        "role": "viewer",
    }
    demoted = client.patch(
        f"/api/v1/users/{coordinator.id}",
        json={"role": "liaison"},
        headers={**headers_for(world.admin), "If-Match": '"1"'},
    )

    response = client.post("/api/v1/users", json=new_user, headers=bearer(pair["access_token"]))

    assert demoted.status_code == 200
    assert_problem(response, 403, "forbidden")
    assert client.get(ME, headers=bearer(pair["access_token"])).json["role"] == "liaison"
    assert db.session.scalar(sa.select(User).where(User.username == new_user["username"])) is None


# --- bad tokens -------------------------------------------------------------------------------


def _b64(data: dict) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(segment: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def _revoked(token, world):
    accounts.revoke_session(db.session, session_of(token).id, "logout")
    db.session.commit()
    return token


def _expired(token, world):
    claims = decode_token(token)
    return create_access_token(
        identity=claims["sub"],
        additional_claims={k: claims[k] for k in TOKEN_CLAIMS},
        expires_delta=timedelta(seconds=-1),
    )


def _tampered_signature(token, world):
    header, payload, signature = token.split(".")
    middle = len(signature) // 2
    flipped = "A" if signature[middle] != "A" else "B"
    return f"{header}.{payload}.{signature[:middle]}{flipped}{signature[middle + 1 :]}"


def _tampered_payload(token, world):
    # The classic escalation: keep the signature, claim to be the administrator.
    header, payload, signature = token.split(".")
    claims = {**_unb64(payload), "sub": str(world.admin.id), "role": "admin", "pokja_id": None}
    return f"{header}.{_b64(claims)}.{signature}"


def _alg_none(token, world):
    claims = _unb64(token.split(".")[1])
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."


def _other_key(token, world):
    claims = _unb64(token.split(".")[1])
    return pyjwt.encode(claims, "another-secret-that-is-long-enough-for-hs256", algorithm="HS256")


def _garbage(token, world):
    return "not-a-jwt"


BAD_ACCESS_TOKENS = [
    (_revoked, "token_revoked"),
    (_expired, "token_expired"),
    (_tampered_signature, "invalid_token"),
    (_tampered_payload, "invalid_token"),
    (_alg_none, "invalid_token"),
    (_other_key, "invalid_token"),
    (_garbage, "invalid_token"),
]


def test_a_bad_access_token_is_refused_with_a_401_problem(client, world, tokens_for):
    for forge, code in BAD_ACCESS_TOKENS:
        token = forge(tokens_for(world.liaisons["TNI"]).access_token, world)

        for response in (
            client.get(ME, headers=bearer(token)),
            client.get("/api/v1/users", headers=bearer(token)),
        ):
            assert response.status_code == 401, forge.__name__
            body = assert_problem(response, 401, code)
            assert response.headers["WWW-Authenticate"] == "Bearer"
            assert "username" not in body
            assert "items" not in body


def test_a_forged_refresh_token_is_refused_and_mints_nothing(client, world, tokens_for):
    pair = tokens_for(world.liaisons["TNI"])
    claims = decode_token(pair.refresh_token)

    for forge in (_tampered_signature, _tampered_payload, _alg_none, _other_key):
        response = refresh(client, forge(pair.refresh_token, world))

        assert response.status_code == 401, forge.__name__
        assert_problem(response, 401, "invalid_token")
    assert db.session.get(RefreshToken, claims["jti"]).used_at is None
    minted = sa.select(sa.func.count()).where(RefreshToken.session_id == uuid.UUID(claims["sid"]))
    assert db.session.scalar(minted) == 1
    assert refresh(client, pair.refresh_token).status_code == 200


@pytest.mark.parametrize(
    ("authorization", "code"),
    [
        (None, "unauthorized"),
        ("", "unauthorized"),
        ("Basic dXNlcjpwYXNz", "unauthorized"),
        ("Token abc", "unauthorized"),
        ("Bearer", "invalid_token"),
        ("Bearer ", "invalid_token"),
        ("Bearer a b", "invalid_token"),
    ],
)
def test_a_missing_or_malformed_authorization_header_is_401(client, authorization, code):
    headers = {} if authorization is None else {"Authorization": authorization}

    response = client.get(ME, headers=headers)

    assert_problem(response, 401, code)
    assert response.headers["WWW-Authenticate"] == "Bearer"
