"""Idempotency-Key on POST (DESIGN §9): replay, reuse, in-flight, failures, expiry, purge.

The decorator is exercised on a throw-away blueprint whose POST registers a real case (register
number, event), so that "never a duplicate" is checked on real work. The concurrency tests with
several connections are in ``test_idempotency_postgres.py``.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import marshmallow as ma
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask.views import MethodView
from flask_jwt_extended import current_user

from pokja.api.base import ETAG_HEADER, Blueprint, Schema, etag_of
from pokja.api.idempotency import idempotent
from pokja.audit import idempotency
from pokja.cases.registration import create_case
from pokja.errors import Conflict
from pokja.extensions import db
from pokja.models import Case, Event, IdempotencyKey, User
from pokja.models.base import utcnow
from tests.conftest import make_test_app
from tests.factories import case_data

PATH = "/api/v1/probe/cases"


class ProbeSchema(Schema):
    title = ma.fields.String(required=True)
    source = ma.fields.String(load_default="report")
    fail_after_commit = ma.fields.Boolean(load_default=False)
    hold = ma.fields.Boolean(load_default=False)


class ProbeCaseSchema(ma.Schema):
    id = ma.fields.UUID()
    register_number = ma.fields.String()


def probe_blueprint(gate: threading.Event | None = None) -> Blueprint:
    """A POST that registers a case, shaped like the real endpoints. ``hold`` makes it wait on
    ``gate`` after its marker is committed and before its work: a request in flight."""
    blp = Blueprint("idempotency_probe", __name__, url_prefix="/api/v1/probe")

    @blp.route("/cases")
    class ProbeCases(MethodView):
        @blp.auth_required()
        @idempotent
        @blp.arguments(ProbeSchema)
        @blp.response(201, ProbeCaseSchema, headers=ETAG_HEADER)
        def post(self, data: dict[str, Any]) -> Any:
            """Register a case (test route)."""
            if data["hold"] and gate is not None:
                gate.wait(timeout=20)
            payload = case_data(title=data["title"], source=data["source"])
            case = create_case(db.session, current_user, payload)
            db.session.commit()
            if data["fail_after_commit"]:
                raise Conflict("Failed after saving the case.", code="probe_failure")
            return case, 201, {"ETag": etag_of(case), "Location": f"/api/v1/cases/{case.id}"}

    @blp.route("/notes")
    class ProbeNotes(MethodView):
        @blp.auth_required()
        @idempotent
        @blp.arguments(ProbeSchema)
        @blp.response(200, ProbeSchema)
        def post(self, data: dict[str, Any]) -> Any:
            """Echo the body without writing anything (test route)."""
            return data

    return blp


@pytest.fixture(scope="module")
def probe_app(app: Flask, database_url: str) -> Iterator[Flask]:
    """An app with the probe routes, on the suite's (migrated) database."""
    probe = make_test_app(database_url)
    probe.extensions["pokja_api"].register_blueprint(probe_blueprint())
    yield probe
    with probe.app_context():
        db.engine.dispose()


@pytest.fixture
def probe(probe_app: Flask) -> FlaskClient:
    return probe_app.test_client()


@pytest.fixture
def liaison(world: Any) -> User:
    return world.liaisons["BAWASLU"]


@pytest.fixture
def post(
    probe: FlaskClient, liaison: User, headers_for: Callable[..., dict[str, str]]
) -> Callable[..., Any]:
    def send(body: dict[str, Any], key: str | None, user: User | None = None, path: str = PATH):
        headers = headers_for(user or liaison)
        if key is not None:
            headers["Idempotency-Key"] = key
        return probe.post(path, json=body, headers=headers)

    return send


def count_cases(title: str) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Case).where(Case.title == title)
    )


def key_row(user: User, key: str) -> IdempotencyKey | None:
    return db.session.scalar(
        sa.select(IdempotencyKey)
        .where(IdempotencyKey.user_id == user.id, IdempotencyKey.key == key)
        .execution_options(populate_existing=True)
    )


def start_marker(user: User, key: str, body: dict[str, Any], **kwargs: Any) -> Any:
    """What a first request does before its handler runs: insert and commit the marker."""
    outcome = idempotency.begin(
        db.session,
        user_id=user.id,
        key=key,
        method="POST",
        path=PATH,
        request_hash=idempotency.fingerprint(json.dumps(body).encode()),
        **kwargs,
    )
    db.session.commit()
    return outcome


# --- replay ----------------------------------------------------------------------------------


def test_without_key_every_post_does_the_work(post: Callable[..., Any]) -> None:
    body = {"title": "Tanpa kunci"}
    assert post(body, None).status_code == 201
    assert post(body, None).status_code == 201
    assert count_cases("Tanpa kunci") == 2


def test_retry_with_same_key_and_body_replays_first_response(
    post: Callable[..., Any], liaison: User
) -> None:
    body = {"title": "Camat hadir di deklarasi"}
    first = post(body, "key-1")
    retry = post(body, "key-1")

    assert first.status_code == retry.status_code == 201
    assert retry.get_json() == first.get_json()
    assert retry.headers["ETag"] == first.headers["ETag"]
    assert retry.headers["Location"] == first.headers["Location"]
    assert retry.headers["Content-Type"] == first.headers["Content-Type"]
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert count_cases("Camat hadir di deklarasi") == 1
    created = db.session.scalars(
        sa.select(Event).where(Event.type == "case.created", Event.actor_user_id == liaison.id)
    ).all()
    assert len(created) == 1
    row = key_row(liaison, "key-1")
    assert row is not None
    assert row.completed
    assert row.response_status == 201


def test_retry_with_reordered_json_is_the_same_body(
    probe: FlaskClient, liaison: User, headers_for: Callable[..., dict[str, str]]
) -> None:
    headers = {
        **headers_for(liaison),
        "Idempotency-Key": "key-json",
        "Content-Type": "application/json",
    }
    first = probe.post(PATH, data='{"title": "Urutan", "source": "finding"}', headers=headers)
    retry = probe.post(PATH, data='{"source":"finding","title":"Urutan"}', headers=headers)
    assert retry.status_code == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.get_json() == first.get_json()
    assert count_cases("Urutan") == 1


def test_quoted_key_is_the_same_key(post: Callable[..., Any]) -> None:
    body = {"title": "Kunci berkutip"}
    post(body, '"key-quoted"')
    retry = post(body, "key-quoted")
    assert retry.headers.get("Idempotent-Replayed") == "true"
    assert count_cases("Kunci berkutip") == 1


def test_handler_without_writes_is_replayed_too(post: Callable[..., Any]) -> None:
    body = {"title": "Catatan"}
    first = post(body, "key-notes", path="/api/v1/probe/notes")
    retry = post(body, "key-notes", path="/api/v1/probe/notes")
    assert first.status_code == retry.status_code == 200
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.get_json() == first.get_json()


# --- reuse and scope -------------------------------------------------------------------------


def test_same_key_with_another_body_is_422(post: Callable[..., Any]) -> None:
    post({"title": "Pertama"}, "key-2")
    response = post({"title": "Kedua"}, "key-2")
    assert response.status_code == 422
    assert response.get_json()["code"] == "idempotency_key_reused"
    assert response.mimetype == "application/problem+json"
    assert count_cases("Kedua") == 0


def test_same_key_on_another_path_is_422(post: Callable[..., Any]) -> None:
    body = {"title": "Jalur lain"}
    post(body, "key-3")
    response = post(body, "key-3", path="/api/v1/probe/notes")
    assert response.status_code == 422
    assert response.get_json()["code"] == "idempotency_key_reused"


def test_keys_are_per_user(post: Callable[..., Any], world: Any) -> None:
    body = {"title": "Dua pengguna"}
    assert post(body, "key-4").status_code == 201
    other = post(body, "key-4", user=world.coordinator)
    assert other.status_code == 201
    assert "Idempotent-Replayed" not in other.headers
    assert count_cases("Dua pengguna") == 2


@pytest.mark.parametrize("key", ["", '""', "x" * 256, "kunci\u00e9", "a\tb"])
def test_malformed_key_is_422_and_does_nothing(post: Callable[..., Any], key: str) -> None:
    response = post({"title": "Kunci rusak"}, key)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.get_json()["errors"]
    assert count_cases("Kunci rusak") == 0


# --- in flight -------------------------------------------------------------------------------


def test_retry_while_first_request_in_flight_is_409(
    post: Callable[..., Any], liaison: User
) -> None:
    body = {"title": "Sedang diproses"}
    assert isinstance(start_marker(liaison, "key-5", body), idempotency.Started)

    response = post(body, "key-5")

    assert response.status_code == 409
    assert response.get_json()["code"] == "idempotency_in_flight"
    assert count_cases("Sedang diproses") == 0
    row = key_row(liaison, "key-5")
    assert row is not None
    assert not row.completed


def test_abandoned_marker_is_taken_over(post: Callable[..., Any], liaison: User) -> None:
    body = {"title": "Proses mati"}
    dead = start_marker(liaison, "key-6", body, now=utcnow() - timedelta(minutes=10))

    response = post(body, "key-6")

    assert response.status_code == 201
    assert count_cases("Proses mati") == 1
    row = key_row(liaison, "key-6")
    assert row is not None
    assert row.id != dead.id
    assert row.response_status == 201


def test_request_whose_key_was_taken_over_cannot_commit(world: Any, liaison: User) -> None:
    body = {"title": "Dipagari"}
    dead = start_marker(liaison, "key-7", body, now=utcnow() - timedelta(minutes=10))
    taker = start_marker(liaison, "key-7", body)
    assert isinstance(taker, idempotency.Started)
    assert taker.id != dead.id

    with idempotency.claim_on_commit(db.session(), dead):
        create_case(db.session, liaison, case_data(title="Dipagari"))
        with pytest.raises(idempotency.IdempotencyInFlight):
            db.session.commit()
    db.session.rollback()

    assert count_cases("Dipagari") == 0
    assert not idempotency.work_committed(db.session, taker)


# --- failures --------------------------------------------------------------------------------


def test_validation_failure_leaves_key_free(post: Callable[..., Any], liaison: User) -> None:
    refused = post({"titel": "Salah ketik"}, "key-8")
    assert refused.status_code == 422
    assert key_row(liaison, "key-8") is None

    response = post({"title": "Salah ketik"}, "key-8")
    assert response.status_code == 201


def test_domain_refusal_is_not_stored(post: Callable[..., Any], liaison: User) -> None:
    body = {"title": "Sumber salah", "source": "rumor"}
    first = post(body, "key-9")
    retry = post(body, "key-9")
    assert first.status_code == retry.status_code == 422
    assert "Idempotent-Replayed" not in retry.headers  # ran again: nothing was saved
    assert key_row(liaison, "key-9") is None


def test_failure_after_commit_is_stored_and_replayed(
    post: Callable[..., Any], liaison: User
) -> None:
    body = {"title": "Gagal setelah simpan", "fail_after_commit": True}
    first = post(body, "key-10")
    retry = post(body, "key-10")

    assert first.status_code == retry.status_code == 409
    assert first.get_json()["code"] == "probe_failure"
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.get_json() == first.get_json()
    assert retry.mimetype == "application/problem+json"
    assert count_cases("Gagal setelah simpan") == 1


# --- expiry ----------------------------------------------------------------------------------


def age_key(user: User, key: str, age: timedelta) -> None:
    db.session.execute(
        sa.update(IdempotencyKey)
        .where(IdempotencyKey.user_id == user.id, IdempotencyKey.key == key)
        .values(created_at=utcnow() - age)
    )
    db.session.commit()


def test_expired_key_is_ignored(post: Callable[..., Any], liaison: User) -> None:
    body = {"title": "Kunci kedaluwarsa"}
    post(body, "key-11")
    age_key(liaison, "key-11", timedelta(hours=25))

    response = post(body, "key-11")

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response.headers
    assert count_cases("Kunci kedaluwarsa") == 2


def test_key_younger_than_a_day_is_kept(post: Callable[..., Any], liaison: User) -> None:
    body = {"title": "Kunci 23 jam"}
    post(body, "key-12")
    age_key(liaison, "key-12", timedelta(hours=23))
    assert post(body, "key-12").headers.get("Idempotent-Replayed") == "true"


def test_purge_command_deletes_keys_older_than_a_day(
    app: Flask, post: Callable[..., Any], liaison: User
) -> None:
    post({"title": "Lama"}, "key-old")
    post({"title": "Baru"}, "key-new")
    age_key(liaison, "key-old", timedelta(hours=25))

    result = app.test_cli_runner().invoke(args=["purge-idempotency-keys"])

    assert result.exit_code == 0, result.output
    assert "deleted 1 idempotency keys" in result.output
    assert key_row(liaison, "key-old") is None
    assert key_row(liaison, "key-new") is not None


def test_purge_refuses_to_keep_keys_less_than_a_day(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["purge-idempotency-keys", "--older-than-hours", "1"]
    )
    assert result.exit_code != 0
    with pytest.raises(ValueError, match="at least"):
        idempotency.purge(db.session, older_than=timedelta(hours=1))


# --- documentation ---------------------------------------------------------------------------


def test_openapi_documents_header_and_conflict(probe_app: Flask) -> None:
    operation = probe_app.extensions["pokja_api"].spec.to_dict()["paths"][PATH]["post"]
    header = next(p for p in operation["parameters"] if p["name"] == "Idempotency-Key")
    assert header["in"] == "header"
    assert header["required"] is False
    assert {"409", "422", "201"} <= set(operation["responses"])
    assert "requestBody" in operation


def test_fingerprint_ignores_json_layout_but_not_content() -> None:
    assert idempotency.fingerprint(b'{"a": 1, "b": [1, 2]}') == idempotency.fingerprint(
        b'{"b":[1,2],"a":1}'
    )
    assert idempotency.fingerprint(b'{"a": 1}') != idempotency.fingerprint(b'{"a": 2}')
    assert idempotency.fingerprint(b"{}", b"x=1") != idempotency.fingerprint(b"{}")


def test_unused_uuid_keys_do_not_collide(post: Callable[..., Any]) -> None:
    body = {"title": "Kunci UUID"}
    assert post(body, str(uuid.uuid4())).status_code == 201
    assert post(body, str(uuid.uuid4())).status_code == 201
    assert count_cases("Kunci UUID") == 2
