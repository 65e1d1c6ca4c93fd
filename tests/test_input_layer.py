"""The one input layer (pokja.api.inputs): every class of bad input is a 4xx problem+json with
per-field errors, and nothing is written. The NUL test is generated from the argument schemas
of every registered route, so that a new endpoint is covered the day it is added."""

from __future__ import annotations

import base64
import io
import json
import uuid
from datetime import date
from typing import Any

import marshmallow as ma
import pytest
import sqlalchemy as sa
from marshmallow import fields

from pokja.api.inputs import Schema, nested_deeper_than
from pokja.extensions import db
from tests.factories import assert_problem, case_body

CASES = "/api/v1/cases"
NUL = "a\x00b"


def all_rows() -> dict[str, int]:
    """Rows in every table: what a refused request must leave unchanged."""
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def _schema(parameter: dict[str, Any]) -> ma.Schema:
    schema = parameter["schema"]
    return schema() if isinstance(schema, type) else schema


def _nul(field: fields.Field) -> Any:
    return NUL if isinstance(field, fields.String) else None


def _far_future(field: fields.Field) -> Any:
    if isinstance(field, fields.DateTime):
        return "9999-12-31T23:59:59+00:00"
    if isinstance(field, fields.Date):
        return "9999-12-31"
    return None


def _bad_values(field: fields.Field, leaf) -> list[tuple[list[Any], Any]]:
    """(path below the field, value of the field) pairs, one per leaf the field holds for
    which ``leaf`` gives a bad value."""
    if isinstance(field, fields.List):
        return [([0, *path], [value]) for path, value in _bad_values(field.inner, leaf)]
    if isinstance(field, fields.Nested):
        nested = field.schema
        found = [
            ([key, *path], {key: value})
            for key, path, value in _schema_leaves(nested, leaf)  # type: ignore[arg-type]
        ]
        if field.many:
            return [([0, *path], [value]) for path, value in found]
        return found
    value = leaf(field)
    return [] if value is None else [([], value)]


def _schema_leaves(schema: ma.Schema, leaf):
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        for path, value in _bad_values(field, leaf):
            yield field.data_key or name, path, value


def bad_requests(app, leaf) -> list[tuple[str, str, str, str, Any, list[Any]]]:
    """(method, url, location, name, value, error path) for every leaf field (as ``leaf``
    picks them) of every argument schema (JSON body, query, form) of every route."""
    requests = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        view_class = getattr(view, "view_class", None)
        url = rule.rule
        for argument in rule.arguments:
            url = url.replace(f"<uuid:{argument}>", str(uuid.uuid4()))
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            func = getattr(view_class, method.lower(), None) if view_class else view
            apidoc = getattr(func, "_apidoc", {})
            for parameter in (apidoc.get("arguments") or {}).get("parameters", []):
                location = parameter["in"]
                if location not in {"json", "query", "form"}:
                    continue
                for name, path, value in _schema_leaves(_schema(parameter), leaf):
                    if location != "json" and path:
                        continue  # query and form values are flat
                    requests.append((method, url, location, name, value, [name, *path]))
    return requests


def _send(client, method, url, location, name, value, headers):
    if location == "json":
        return client.open(url, method=method, json={name: value}, headers=headers)
    if location == "query":
        return client.open(url, method=method, query_string={name: value}, headers=headers)
    return client.open(url, method=method, data={name: value}, headers=headers)


def _dig(errors: Any, path: list[Any]) -> Any:
    for key in path:
        assert isinstance(errors, dict), (errors, path)
        errors = errors.get(str(key), errors.get(key))  # type: ignore[arg-type]
        assert errors is not None, path
    return errors


def _refused_everywhere(app, world, client, headers_for, leaf, message, minimum):
    requests = bad_requests(app, leaf)
    assert len(requests) >= minimum  # every schema of every route, not a sample
    callers = [
        headers_for(user)
        for user in (world.coordinator, world.admin, world.liaisons["BAWASLU"], world.secretary)
    ]
    before = all_rows()
    for method, url, location, name, value, path in requests:
        for headers in callers:
            response = _send(client, method, url, location, name, value, headers)
            if response.status_code not in (401, 403):
                break
        where = f"{method} {url} {location} {'.'.join(map(str, path))}"
        assert response.status_code in (400, 422), (where, response.get_data(as_text=True))
        assert response.mimetype == "application/problem+json", where
        messages = _dig(response.get_json()["errors"], path)
        assert message in json.dumps(messages), (where, messages)
    assert all_rows() == before


def test_nul_in_every_string_field_of_every_schema_is_refused(app, world, client, headers_for):
    _refused_everywhere(
        app, world, client, headers_for, _nul, "Must not contain NUL characters.", 100
    )


def test_a_year_9999_in_every_date_field_of_every_schema_is_refused(
    app, world, client, headers_for
):
    _refused_everywhere(
        app, world, client, headers_for, _far_future, "between the years 1900 and 2100", 10
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "Judul\x01", "control characters"),
        ("title", "Judul\tdengan tab", "control characters"),
        ("title", "Dua\nbaris", "control characters"),
        ("title", "\x7f", "control characters"),
        ("title", "\x85", "control characters"),
        ("summary", "\x1b[31m", "control characters other than newline and tab"),
    ],
)
def test_control_characters_are_refused_per_field(
    world, client, headers_for, field, value, message
):
    headers = headers_for(world.liaisons["BAWASLU"])
    before = all_rows()
    response = client.post(CASES, json=case_body(**{field: value}), headers=headers)
    body = assert_problem(response, 422)
    assert message in body["errors"][field][0]
    assert all_rows() == before


def test_free_text_keeps_newlines_and_tabs(world, client, headers_for):
    response = client.post(
        CASES,
        json=case_body(summary="Baris satu\n\tBaris dua\r\n"),
        headers=headers_for(world.liaisons["BAWASLU"]),
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["summary"] == "Baris satu\n\tBaris dua\r\n"


def test_a_lone_surrogate_is_refused(world, client, headers_for):
    raw = json.dumps(case_body(title="X")).replace('"X"', '"\\ud800"')
    headers = headers_for(world.liaisons["BAWASLU"])
    before = all_rows()
    response = client.post(CASES, data=raw, content_type="application/json", headers=headers)
    body = assert_problem(response, 422)
    assert "title" in body["errors"]
    assert all_rows() == before


def test_a_string_without_a_bound_of_its_own_gets_the_default_one():
    class Free(Schema):
        note = fields.String()
        line = fields.String(validate=ma.validate.Length(max=50))

    assert Free().validate({"note": "x" * 10_000}) == {}
    assert "note" in Free().validate({"note": "x" * 10_001})
    assert Free().validate({"note": "two\nlines"}) == {}  # long enough to be free text
    assert "line" in Free().validate({"line": "two\nlines"})


def test_the_checks_are_added_once_however_often_a_schema_is_made():
    class Once(Schema):
        note = fields.String()

    for _ in range(3):
        Once()
    assert len(Once().fields["note"].validators) == 2
    assert Once._declared_fields["note"].validators == []


def test_an_integer_without_a_range_is_held_to_32_bits():
    class Counted(Schema):
        n = fields.Integer()

    assert Counted().validate({"n": 2**31 - 1}) == {}
    assert "n" in Counted().validate({"n": 2**31})
    assert "n" in Counted().validate({"n": -(2**63)})


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"discovered_on": "9999-12-31"}, "discovered_on"),
        ({"occurred_on": "0001-01-01", "discovered_on": None}, "occurred_on"),
        ({"occurred_on": "0123-05-01", "discovered_on": None}, "occurred_on"),
        ({"occurred_on": "1899-12-31", "discovered_on": None}, "occurred_on"),
    ],
)
def test_dates_outside_the_calendar_are_refused(world, client, headers_for, changes, field):
    headers = headers_for(world.liaisons["BAWASLU"])
    before = all_rows()
    response = client.post(CASES, json=case_body(**changes), headers=headers)
    body = assert_problem(response, 422)
    assert "between the years 1900 and 2100" in body["errors"][field][0]
    assert all_rows() == before


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_query_dates_outside_the_calendar_are_refused(world, client, headers_for, day):
    response = client.get(
        f"{CASES}?registered_from={day}&registered_to={day}",
        headers=headers_for(world.coordinator),
    )
    body = assert_problem(response, 422)
    assert set(body["errors"]) == {"registered_from", "registered_to"}


@pytest.mark.parametrize(
    "query",
    [
        "cases?registered_from=2024-01-01%00",
        "cases?limit=5%00",
        "cases?count=1%00",
        "recommendations?due_before=2000-01-01T00:00:00Z%00",
        "recommendations?due_before=2000-01-01T00:00:00Z%01",
    ],
)
def test_a_control_character_in_a_parsed_value_is_refused(world, client, headers_for, query):
    # Python's ISO parser drops what follows a NUL in a date-time: the string is checked first.
    response = client.get(f"/api/v1/{query}", headers=headers_for(world.coordinator))
    body = assert_problem(response, 422)
    assert set(body["errors"]) == {query.split("?")[1].split("=")[0]}


def test_the_calendar_range_is_configurable(app, world, client, headers_for, monkeypatch):
    monkeypatch.setitem(app.config, "POKJA_MIN_YEAR", 2020)
    response = client.get(
        f"{CASES}?registered_from=2019-12-31", headers=headers_for(world.coordinator)
    )
    body = assert_problem(response, 422)
    assert "between the years 2020 and 2100" in body["errors"]["registered_from"][0]
    assert (
        client.get(
            f"{CASES}?registered_from={date(2020, 1, 1)}", headers=headers_for(world.coordinator)
        ).status_code
        == 200
    )


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    ("url", "template", "auth"),
    [
        (CASES, '{"title": DEEP, "location": {}}', True),
        (CASES, '{"location": DEEP}', True),
        ("/api/v1/auth/login", '{"username": DEEP, "password": "x"}', False),
    ],
)
def test_json_nested_thousands_deep_is_a_400_before_parsing(
    world, client, headers_for, url, template, auth
):
    headers = headers_for(world.liaisons["BAWASLU"]) if auth else {}
    before = all_rows()
    response = client.post(
        url,
        data=template.replace("DEEP", _deep(50_000)),
        content_type="application/json",
        headers=headers,
    )
    body = assert_problem(response, 400, "nested_too_deep")
    assert body["errors"] == {"body": ["Nested deeper than 32 levels."]}
    assert all_rows() == before


def test_nesting_within_the_limit_reaches_the_schema(world, client, headers_for):
    response = client.post(
        CASES,
        data='{"title": ' + _deep(31) + "}",
        content_type="application/json",
        headers=headers_for(world.liaisons["BAWASLU"]),
    )
    body = assert_problem(response, 422)
    assert body["errors"]["title"] == ["Not a valid string."]


def test_the_depth_count_ignores_brackets_inside_strings():
    assert not nested_deeper_than(b'{"a": "[[[[[[[[", "b": "\\"[[[["}', 2)
    assert nested_deeper_than(b'{"a": [{"b": []}]}', 3)
    assert not nested_deeper_than(b'{"a": [{"b": []}]}', 4)
    assert not nested_deeper_than(b"]]]]]][[", 3)  # unbalanced: left to the parser


def test_a_recursion_error_anywhere_is_a_400_not_a_500(world, client, headers_for, monkeypatch):
    from pokja.cases import read_model

    def recurse(*_args: Any, **_kwargs: Any) -> Any:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(read_model, "case_list", recurse)
    response = client.get(CASES, headers=headers_for(world.coordinator))
    assert_problem(response, 400, "invalid_json")


def _cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("url", "values"),
    [
        ("/api/v1/users", ["a\u0000b", str(uuid.uuid4())]),
        ("/api/v1/agencies", ["\u0001", str(uuid.uuid4())]),
        (CASES, ["0001-01-01T00:00:00+07:00", str(uuid.uuid4())]),
        (CASES, ["9999-12-31T23:59:59-12:00", str(uuid.uuid4())]),
        ("/api/v1/users", [True, str(uuid.uuid4())]),
        ("/api/v1/handoffs", [[[[["x"]]]], str(uuid.uuid4())]),
    ],
)
def test_a_cursor_that_decodes_to_bad_values_is_a_400(world, client, headers_for, url, values):
    response = client.get(
        url, query_string={"cursor": _cursor(values)}, headers=headers_for(world.coordinator)
    )
    body = assert_problem(response, 400, "invalid_cursor")
    assert body["errors"] == {"cursor": ["The cursor is not valid."]}


def test_a_cursor_nested_thousands_deep_is_a_400(world, client, headers_for):
    # Deeper than Python's recursion limit, shorter than the default string bound.
    cursor = base64.urlsafe_b64encode(_deep(3000).encode()).decode()
    response = client.get(
        CASES, query_string={"cursor": cursor}, headers=headers_for(world.coordinator)
    )
    assert_problem(response, 400, "invalid_cursor")


def _chunked(client, url, body: bytes, headers):
    return client.post(
        url,
        input_stream=io.BytesIO(body),
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked", **headers},
        # What gunicorn and werkzeug's server say of a body they de-chunk themselves.
        environ_overrides={"wsgi.input_terminated": True},
    )


def test_a_chunked_body_over_the_size_limit_is_a_413(app, world, client, headers_for, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)
    headers = headers_for(world.liaisons["BAWASLU"])
    body = json.dumps(case_body(summary="x" * 5000)).encode()
    before = all_rows()
    response = _chunked(client, CASES, body, headers)
    problem = assert_problem(response, 413, "payload_too_large")
    assert problem["errors"] == {"body": ["The request body is larger than 4096 bytes."]}
    assert all_rows() == before
    # A chunked body under the limit is read in full.
    small = json.dumps(case_body()).encode()
    assert _chunked(client, CASES, small, headers).status_code == 201


def test_a_chunked_body_over_the_limit_is_a_413_from_a_real_server(app, monkeypatch):
    import http.client
    import threading

    from werkzeug.serving import make_server

    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        body = json.dumps({"username": "x" * 2000, "password": "y"}).encode()
        chunks = (body[i : i + 256] for i in range(0, len(body), 256))
        connection.request(
            "POST",
            "/api/v1/auth/login",
            body=chunks,
            headers={"Content-Type": "application/json"},
            encode_chunked=True,
        )
        response = connection.getresponse()
        assert response.status == 413
        assert response.getheader("Content-Type") == "application/problem+json"
        assert json.loads(response.read())["code"] == "payload_too_large"
        connection.close()
    finally:
        server.shutdown()
        thread.join(5)
