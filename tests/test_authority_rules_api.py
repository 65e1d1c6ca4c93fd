"""The Pokja's authority rules through the HTTP API: everyone reads, the coordinator replaces."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from pokja.access.rules import DEFAULT_RULES, check_rules
from pokja.errors import RuleViolation
from pokja.extensions import db
from pokja.models import AuthorityRule, Event
from tests.test_handoffs_api import assert_problem, body, committed_case, snapshot

RULES = "/api/v1/authority-rules"


def stored_rules(pokja):
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(
            AuthorityRule.subject_type, AuthorityRule.category, AuthorityRule.agency_kind
        ).where(AuthorityRule.pokja_id == pokja.id)
    )
    return {tuple(row) for row in rows}


def replaced_event(world):
    return db.session.scalar(
        sa.select(Event).where(
            Event.pokja_id == world.pokja.id, Event.type == "authority_rules.replaced"
        )
    )


def as_dicts(rules):
    return [{"subject_type": s, "category": c, "agency_kind": k} for s, c, k in rules]


DEFAULTS = as_dicts(DEFAULT_RULES)
# The defaults, plus: a TNI member's case may also go to Polri's Propam (a Pokja's choice).
EDITED = [*DEFAULTS, {"subject_type": "tni", "category": None, "agency_kind": "POLRI"}]


def read(client, headers, **query):
    response = client.get(RULES, query_string=query, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def put(client, headers, rules, etag, **query):
    return client.put(
        RULES, query_string=query, json={"rules": rules}, headers={**headers, "If-Match": etag}
    )


def test_everyone_in_the_pokja_reads_its_rules(client, world, headers_for):
    for user in (world.viewer, world.secretary, world.liaisons["TNI"], world.coordinator):
        response = read(client, headers_for(user))
        rule_set = response.get_json()
        assert rule_set["pokja_id"] == str(world.pokja.id)
        assert rule_set["rules"][0] == {
            "subject_type": None,
            "category": None,
            "agency_kind": "BAWASLU",
        }
        assert sorted(map(str, rule_set["rules"])) == sorted(map(str, DEFAULTS))
        assert response.headers["ETag"].startswith('"')


def test_administrators_name_the_pokja_and_others_only_their_own(client, world, headers_for):
    assert_problem(client.get(RULES, headers=headers_for(world.admin)), 422, "validation_error")
    response = read(client, headers_for(world.admin), pokja_id=world.pokja.id)
    assert response.get_json()["pokja_id"] == str(world.pokja.id)
    read(client, headers_for(world.coordinator), pokja_id=world.pokja.id)
    foreign = client.get(
        RULES, query_string={"pokja_id": world.pokja.id}, headers=headers_for(world.other_liaison)
    )
    assert_problem(foreign, 404, "not_found")
    assert client.get(RULES).status_code == 401


def test_the_coordinator_replaces_the_rule_set_and_it_is_recorded(client, world, headers_for):
    headers = headers_for(world.coordinator)
    etag = read(client, headers).headers["ETag"]
    response = put(client, headers, EDITED, etag)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["ETag"] != etag
    assert sorted(map(str, response.get_json()["rules"])) == sorted(map(str, EDITED))
    assert read(client, headers).headers["ETag"] == response.headers["ETag"]
    assert stored_rules(world.pokja) == {
        (r["subject_type"], r["category"], r["agency_kind"]) for r in EDITED
    }
    event = replaced_event(world)
    assert event.pokja_id == world.pokja.id
    assert event.case_id is None
    assert event.actor_user_id == world.coordinator.id
    assert sorted(map(str, event.data["before"])) == sorted(map(str, DEFAULTS))
    assert sorted(map(str, event.data["after"])) == sorted(map(str, EDITED))
    # The other Pokja's rules are untouched.
    assert stored_rules(world.other_pokja) == set(DEFAULT_RULES)


def test_the_new_rules_govern_the_next_handoff(client, world, headers_for):
    case = committed_case(world, subjects=[{"name": "Serda Anton", "subject_type": "tni"}])
    bawaslu = headers_for(world.liaisons["BAWASLU"])
    url = f"/api/v1/cases/{case.id}/handoffs"
    assert_problem(
        client.post(url, json=body(world, "POLRI"), headers=bawaslu), 422, "authority_not_permitted"
    )
    headers = headers_for(world.coordinator)
    assert put(client, headers, EDITED, read(client, headers).headers["ETag"]).status_code == 200
    assert client.post(url, json=body(world, "POLRI"), headers=bawaslu).status_code == 201


def test_an_administrator_replaces_a_named_pokjas_rules(client, world, headers_for):
    headers = headers_for(world.admin)
    etag = read(client, headers, pokja_id=world.pokja.id).headers["ETag"]
    response = put(client, headers, EDITED, etag, pokja_id=world.pokja.id)
    assert response.status_code == 200, response.get_data(as_text=True)
    event = replaced_event(world)
    assert event.actor_user_id == world.admin.id


def test_an_identical_rule_set_changes_nothing(client, world, headers_for):
    headers = headers_for(world.coordinator)
    etag = read(client, headers).headers["ETag"]
    before = snapshot()
    response = put(client, headers, list(reversed(DEFAULTS)), etag)
    assert response.status_code == 200
    assert response.headers["ETag"] == etag
    assert snapshot() == before


@pytest.mark.parametrize(
    ("rules", "code", "field"),
    [
        ([], "bawaslu_rule_required", "rules"),
        (DEFAULTS[1:], "bawaslu_rule_required", "rules"),
        ([*DEFAULTS, DEFAULTS[3]], "validation_error", f"rules.{len(DEFAULTS)}"),
        (
            [*DEFAULTS, {"subject_type": "soldier", "category": None, "agency_kind": "TNI"}],
            "validation_error",
            "rules",
        ),
        (
            [*DEFAULTS, {"subject_type": None, "category": "gossip", "agency_kind": "TNI"}],
            "validation_error",
            "rules",
        ),
        (
            [*DEFAULTS, {"subject_type": "pns", "category": None, "agency_kind": "KASN"}],
            "validation_error",
            "rules",
        ),
        ([*DEFAULTS, {"subject_type": "pns"}], "validation_error", "rules"),
        ([*DEFAULTS, {"agency_kind": "TNI", "extra": 1}], "validation_error", "rules"),
        ("BAWASLU", "validation_error", "rules"),
        (None, "validation_error", "rules"),
    ],
)
def test_an_invalid_rule_set_is_refused_and_writes_nothing(
    client, world, headers_for, rules, code, field
):
    headers = headers_for(world.coordinator)
    etag = read(client, headers).headers["ETag"]
    before = snapshot()
    response = put(client, headers, rules, etag)
    problem = assert_problem(response, 422, code)
    assert field in problem["errors"]
    assert snapshot() == before
    assert stored_rules(world.pokja) == set(DEFAULT_RULES)


def test_a_put_without_or_with_a_stale_etag_writes_nothing(client, world, headers_for):
    headers = headers_for(world.coordinator)
    etag = read(client, headers).headers["ETag"]
    assert put(client, headers, EDITED, etag).status_code == 200
    before = snapshot()
    # A second coordinator's edit, based on what they read before the first one changed it.
    assert_problem(put(client, headers, DEFAULTS, etag), 412, "precondition_failed")
    response = client.put(RULES, json={"rules": DEFAULTS}, headers=headers)
    assert_problem(response, 428, "precondition_required")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("secretary", 403),
        ("viewer", 403),
        ("BAWASLU", 403),
        ("TNI", 403),
        ("other_coordinator", 404),
    ],
)
def test_only_the_coordinator_or_an_administrator_replaces_rules(
    client, world, headers_for, caller, status
):
    etag = read(client, headers_for(world.coordinator)).headers["ETag"]
    user = world.liaisons.get(caller) or getattr(world, caller)
    before = snapshot()
    response = put(client, headers_for(user), EDITED, etag, pokja_id=world.pokja.id)
    assert_problem(response, status)
    assert snapshot() == before


def test_rules_are_checked_all_at_once_in_the_domain(world):
    with pytest.raises(RuleViolation) as error:
        check_rules(
            [
                {"subject_type": "alien", "category": None, "agency_kind": "BAWASLU"},
                {"subject_type": None, "category": None, "agency_kind": "PPK"},
                {"subject_type": None, "category": None, "agency_kind": "PPK"},
            ]
        )
    assert set(error.value.extra["errors"]) == {"rules.0", "rules.1", "rules.2"}
