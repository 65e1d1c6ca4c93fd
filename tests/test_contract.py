"""The contract's derived parts (pokja.api.contract): operationIds named for clients, and a
query parameter no schema of the operation declares refused with a 400 naming it."""

from __future__ import annotations

import uuid

import pytest

from pokja.api.contract import operation_id
from tests.factories import assert_problem, new_case


@pytest.mark.parametrize(
    ("view", "method", "is_class", "paginated", "expected"),
    [
        ("Cases", "get", True, True, "listCases"),
        ("Cases", "post", True, False, "createCase"),
        ("CaseById", "get", True, False, "getCase"),
        ("CaseById", "patch", True, False, "updateCase"),
        ("WebhookById", "delete", True, False, "deleteWebhook"),
        ("AcceptHandoff", "post", True, False, "acceptHandoff"),
        ("Agencies", "post", True, False, "createAgency"),
        ("PokjaSettingsView", "get", True, False, "getPokjaSettings"),
        ("AuthorityRules", "put", True, False, "replaceAuthorityRules"),
        ("MeetingAgenda", "get", True, False, "getMeetingAgenda"),
        ("rotate_secret", "post", False, False, "rotateSecret"),
        ("login", "post", False, False, "login"),
    ],
)
def test_operation_ids_are_derived_from_the_view(view, method, is_class, paginated, expected):
    assert operation_id(view, method, is_class=is_class, paginated=paginated) == expected


def test_an_unknown_query_parameter_is_a_400_naming_it(world, client, headers_for):
    new_case(world)
    headers = headers_for(world.coordinator)
    response = client.get("/api/v1/cases?search=budi&stage=received&bogus=1", headers=headers)
    body = assert_problem(response, 400, "unknown_parameter")
    assert set(body["errors"]) == {"bogus", "search"}
    assert "bogus" in body["detail"]
    assert "search" in body["detail"]


def test_a_head_request_is_held_to_its_get_parameters(world, client, headers_for):
    headers = headers_for(world.coordinator)
    assert client.head("/api/v1/cases?search=budi", headers=headers).status_code == 400
    assert client.head("/api/v1/cases?stage=received", headers=headers).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/cases?stage=received&sort=registered_at&limit=5&count=true",
        "/api/v1/handoffs?direction=incoming&status=pending",
        "/api/v1/code-lists",
    ],
)
def test_declared_query_parameters_are_accepted(world, client, headers_for, url):
    assert client.get(url, headers=headers_for(world.coordinator)).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/cases/{id}?expand=subjects",
        "/api/v1/auth/me?verbose=1",
        "/healthz?probe=1",
        "/api/v1/code-lists?lang=en",
    ],
)
def test_an_operation_without_query_parameters_refuses_any(world, client, headers_for, url):
    case = new_case(world)
    response = client.get(url.format(id=case.id), headers=headers_for(world.coordinator))
    body = assert_problem(response, 400, "unknown_parameter")
    assert len(body["errors"]) == 1


def test_a_write_with_an_unknown_query_parameter_writes_nothing(world, client, headers_for):
    from tests.factories import case_body, row_counts

    headers = headers_for(world.liaisons["BAWASLU"])
    before = row_counts()
    response = client.post("/api/v1/cases?dry_run=1", json=case_body(), headers=headers)
    assert_problem(response, 400, "unknown_parameter")
    assert row_counts() == before


def test_the_docs_and_the_spec_take_no_notice_of_query_strings(client):
    assert client.get("/openapi.json?v=1").status_code == 200
    assert client.get(f"/docs?x={uuid.uuid4()}").status_code == 200
