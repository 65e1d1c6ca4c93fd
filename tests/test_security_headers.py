"""Security headers on every response (pokja.api.headers): a request to every registered route,
answered however it is (200, 404, 405, 422...), carries them."""

from __future__ import annotations

import base64
import hashlib
import re
import uuid

import pytest

ASSETS = "swagger_ui_asset"


def _sample(app):
    """One request per route: its URL with made-up ids, and a method it serves."""
    for rule in app.url_map.iter_rules():
        url = rule.rule
        for argument in rule.arguments:
            value = "swagger-ui.css" if rule.endpoint == ASSETS else str(uuid.uuid4())
            url = re.sub(rf"<[^>]*{argument}>", value, url)
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        yield rule.endpoint, ("GET" if "GET" in methods else methods[0]), url


def test_every_route_sends_the_security_headers(app, world, client, headers_for):
    headers = headers_for(world.coordinator)
    sample = list(_sample(app))
    assert len(sample) >= 40
    for endpoint, method, url in sample:
        for auth in (headers, {}):
            response = client.open(url, method=method, headers=auth)
            where = f"{method} {url} ({response.status_code})"
            assert response.headers["X-Content-Type-Options"] == "nosniff", where
            assert response.headers["Referrer-Policy"] == "no-referrer", where
            assert response.headers["X-Frame-Options"] == "DENY", where
            assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], where
            assert "Strict-Transport-Security" not in response.headers, where
            if endpoint != ASSETS:
                assert response.headers["Cache-Control"] == "no-store", where


def test_tokens_are_never_cached(world, client):
    response = client.post(
        "/api/v1/auth/login",
        json={"username": world.coordinator.username, "password": "correct horse battery"},
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    refreshed = client.post(
        "/api/v1/auth/refresh", json={"refresh_token": response.get_json()["refresh_token"]}
    )
    assert refreshed.status_code == 200
    assert refreshed.headers["Cache-Control"] == "no-store"


def test_swagger_ui_runs_under_a_policy_that_names_its_inline_script(client):
    page = client.get("/docs")
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    (script,) = re.findall(r"<script>(.*?)</script>", page.get_data(as_text=True), re.S)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "default-src 'none'" in policy
    assert page.headers["X-Frame-Options"] == "DENY"


def test_the_assets_keep_their_own_caching(client):
    asset = client.get("/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200
    assert "max-age=86400" in asset.headers["Cache-Control"]
    assert asset.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("seconds", [0, 31536000])
def test_hsts_is_sent_only_when_configured(app, client, monkeypatch, seconds):
    monkeypatch.setitem(app.config, "POKJA_HSTS_SECONDS", seconds)
    response = client.get("/healthz")
    if seconds:
        assert response.headers["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains"
        )
    else:
        assert "Strict-Transport-Security" not in response.headers
