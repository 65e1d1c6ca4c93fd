"""An access token is verified once per process (pokja.extensions.JWTManager), and what that
memory must never change: expiry, revocation and forgeries are refused exactly as before."""

from __future__ import annotations

import time
from datetime import timedelta

import flask_jwt_extended
import pytest
from flask_jwt_extended import create_access_token, decode_token

from pokja.directory import accounts
from pokja.extensions import db
from tests.test_auth import TOKEN_CLAIMS, assert_problem, bearer, session_of


@pytest.fixture
def verifications(monkeypatch):
    """How many times a token's signature and claims are really verified."""
    calls: list[str] = []
    verify = flask_jwt_extended.JWTManager._decode_jwt_from_config

    def counting(self, encoded_token, *args, **kwargs):
        calls.append(encoded_token)
        return verify(self, encoded_token, *args, **kwargs)

    monkeypatch.setattr(flask_jwt_extended.JWTManager, "_decode_jwt_from_config", counting)
    return calls


def test_a_token_sent_again_is_not_verified_again(client, world, tokens_for, verifications):
    token = tokens_for(world.coordinator).access_token
    for _ in range(3):
        assert client.get("/api/v1/auth/me", headers=bearer(token)).status_code == 200
    assert verifications.count(token) == 1


def test_a_remembered_token_is_refused_once_it_expires(client, world, tokens_for):
    claims = decode_token(tokens_for(world.coordinator).access_token)
    short_lived = create_access_token(
        identity=claims["sub"],
        additional_claims={k: claims[k] for k in TOKEN_CLAIMS},
        expires_delta=timedelta(seconds=1),
    )
    assert client.get("/api/v1/auth/me", headers=bearer(short_lived)).status_code == 200
    time.sleep(1.1)
    assert_problem(client.get("/api/v1/auth/me", headers=bearer(short_lived)), 401, "token_expired")


def test_a_remembered_token_is_refused_at_once_when_its_session_is_revoked(
    client, world, tokens_for
):
    token = tokens_for(world.coordinator).access_token
    assert client.get("/api/v1/auth/me", headers=bearer(token)).status_code == 200
    accounts.revoke_session(db.session, session_of(token).id, "logout")
    db.session.commit()
    assert_problem(client.get("/api/v1/auth/me", headers=bearer(token)), 401, "token_revoked")


def test_a_forgery_of_a_remembered_token_is_still_refused(client, world, tokens_for):
    token = tokens_for(world.coordinator).access_token
    assert client.get("/api/v1/auth/me", headers=bearer(token)).status_code == 200
    header, payload, signature = token.split(".")
    flipped = "A" if signature[5] != "A" else "B"
    forged = f"{header}.{payload}.{signature[:5]}{flipped}{signature[6:]}"
    assert_problem(client.get("/api/v1/auth/me", headers=bearer(forged)), 401, "invalid_token")


def test_a_token_sent_again_has_its_header_parsed_once(client, world, tokens_for, monkeypatch):
    import jwt

    parsed: list[str] = []
    parse = jwt.get_unverified_header

    def counting(token):
        parsed.append(token)
        return parse(token)

    monkeypatch.setattr(jwt, "get_unverified_header", counting)
    token = tokens_for(world.coordinator).access_token
    assert client.get("/api/v1/auth/me", headers=bearer(token)).status_code == 200
    assert token in parsed  # verified, and its header read, the first time
    parsed.clear()
    for _ in range(2):
        assert client.get("/api/v1/auth/me", headers=bearer(token)).status_code == 200
    assert parsed == []
