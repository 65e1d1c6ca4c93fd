"""Every error is an RFC 9457 problem+json document with a stable code, never an HTML page."""

from __future__ import annotations

import json
import logging
import uuid

import pytest
import sqlalchemy as sa

from pokja.extensions import db
from pokja.models import Pokja
from tests.conftest import make_test_app

POKJAS = "/api/v1/pokjas"
PROBLEM_FIELDS = {"type", "title", "status", "detail", "code"}


def assert_problem(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert not response.get_data(as_text=True).lstrip().startswith("<")
    body = response.get_json()
    assert body.keys() >= PROBLEM_FIELDS
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"tag:pokja,2026:problem:{code}"
    assert body["request_id"] == response.headers["X-Request-ID"]
    return body


def pokja_body(**fields):
    body = {
        "name": f"Pokja {uuid.uuid4().hex[:8]}",
        "region_code": "17.01",
        "region_name": "Kabupaten Bengkulu Selatan",
        "level": "kabupaten",
    }
    body.update(fields)
    return body


def pokja_named(name):
    return db.session.scalar(sa.select(Pokja).where(Pokja.name == name))


@pytest.fixture
def admin(make_user, headers_for):
    return headers_for(make_user("admin"))


@pytest.mark.parametrize("path", ["/api/v1/nope", "/nope", "/api/v1/users/not-a-uuid", "/static/x"])
def test_an_unknown_route_is_a_404_problem_even_for_browsers(client, admin, path):
    response = client.get(path, headers={**admin, "Accept": "text/html"})

    assert_problem(response, 404, "not_found")


def test_a_wrong_method_is_405_with_an_allow_header(client, admin):
    response = client.delete(POKJAS, headers=admin)

    assert_problem(response, 405, "method_not_allowed")
    allowed = {method.strip() for method in response.headers["Allow"].split(",")}
    assert {"GET", "POST"} <= allowed
    assert "DELETE" not in allowed


def test_a_wrong_method_on_login_is_405_allowing_only_post(client):
    response = client.get("/api/v1/auth/login")

    assert_problem(response, 405, "method_not_allowed")
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"POST", "OPTIONS"}


@pytest.mark.parametrize("raw", ['{"name": ', "{bad json}", '{"name": "x",}'])
def test_malformed_json_is_a_400_that_says_so_and_stores_nothing(client, admin, raw):
    response = client.post(POKJAS, data=raw, content_type="application/json", headers=admin)

    body = assert_problem(response, 400, "bad_request")
    assert body["detail"] == "The request body is not valid JSON."
    assert "errors" not in body
    assert pokja_named("x") is None


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
def test_a_body_that_is_not_json_is_415_and_stores_nothing(client, admin, content_type):
    body = pokja_body()
    raw = json.dumps(body)

    response = client.post(POKJAS, data=raw, content_type=content_type, headers=admin)

    assert_problem(response, 415, "unsupported_media_type")
    assert pokja_named(body["name"]) is None


def test_a_body_larger_than_max_content_length_is_413_and_stores_nothing(
    app, client, admin, monkeypatch
):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    small = pokja_body()
    large = pokja_body(region_name="x" * 180, padding="y" * 2000)

    too_large = client.post(POKJAS, json=large, headers=admin)
    fits = client.post(POKJAS, json=small, headers=admin)

    assert_problem(too_large, 413, "payload_too_large")
    assert pokja_named(large["name"]) is None
    assert fits.status_code == 201


def test_an_oversized_login_is_413_not_a_crash_in_the_rate_limiter(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 256)

    response = client.post("/api/v1/auth/login", json={"username": "a" * 400, "password": "x"})

    assert_problem(response, 413, "payload_too_large")


def test_validation_errors_are_422_with_messages_per_field(client, admin):
    body = pokja_body(level="desa", timezone="Europe/Paris", surprise=1)
    del body["region_code"]

    response = client.post(POKJAS, json=body, headers=admin)

    problem = assert_problem(response, 422, "validation_error")
    assert set(problem["errors"]) == {"level", "timezone", "surprise", "region_code"}
    assert problem["errors"]["region_code"] == ["Missing data for required field."]
    assert problem["errors"]["surprise"] == ["Unknown field."]
    assert all(isinstance(m, list) and m for m in problem["errors"].values())
    assert pokja_named(body["name"]) is None


def test_query_parameter_errors_are_merged_into_the_same_errors_map(client, admin):
    response = client.get(POKJAS, query_string={"limit": "many", "count": "perhaps"}, headers=admin)

    problem = assert_problem(response, 422, "validation_error")
    assert set(problem["errors"]) == {"limit", "count"}


def test_a_supplied_request_id_is_echoed_in_the_header_and_the_problem(client):
    response = client.get("/api/v1/nope", headers={"X-Request-ID": "trace-4711"})

    body = assert_problem(response, 404, "not_found")
    assert body["request_id"] == "trace-4711"


@pytest.fixture
def failing_client(database_url):
    """A fresh app (routes cannot be added once an app has served) with a route that breaks."""
    app = make_test_app(database_url, PROPAGATE_EXCEPTIONS=False)

    @app.get("/api/v1/boom")
    def boom():
        raise RuntimeError("database password is hunter2")

    yield app.test_client()
    with app.app_context():
        db.engine.dispose()


def test_an_unexpected_exception_is_a_500_problem_without_internals_and_is_logged(
    failing_client, caplog
):
    with caplog.at_level(logging.ERROR, logger="pokja.errors"):
        response = failing_client.get("/api/v1/boom", headers={"X-Request-ID": "trace-500"})

    body = assert_problem(response, 500, "internal_error")
    text = response.get_data(as_text=True)
    assert "hunter2" not in text
    assert "RuntimeError" not in text
    assert "Traceback" not in text
    assert body["request_id"] == "trace-500"
    [record] = [r for r in caplog.records if r.name == "pokja.errors"]
    assert record.levelno == logging.ERROR
    assert "trace-500" in record.getMessage()
    assert "/api/v1/boom" in record.getMessage()
    assert isinstance(record.exc_info[1], RuntimeError)


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("get", "/api/v1/users", {}, 401),
        ("post", "/api/v1/auth/login", {"json": {"username": "nobody", "password": "x"}}, 401),
        ("post", "/api/v1/auth/login", {"json": {}}, 422),
        ("post", "/api/v1/auth/refresh", {"json": {"refresh_token": "x"}}, 401),
        ("put", "/api/v1/pokjas", {}, 405),
        ("get", "/api/v1/pokjas/not-a-uuid", {}, 404),
        ("patch", "/api/v1/auth/me", {"json": {}}, 405),
    ],
)
def test_every_error_has_type_title_status_detail_and_code(client, method, path, kwargs, status):
    response = getattr(client, method)(path, **kwargs)

    body = response.get_json()
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert body.keys() >= PROBLEM_FIELDS
    assert body["status"] == status
    assert all(
        isinstance(body[field], str) and body[field] for field in PROBLEM_FIELDS - {"status"}
    )
