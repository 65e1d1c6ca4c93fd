"""The caller of a request: read as plain columns with its token's check
(pokja.directory.accounts) and, for the reads that present cases, with its Pokja's facts
(pokja.api.security, pokja.cases.facts) in the same statement."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from flask_jwt_extended import decode_token

from pokja.cases import facts
from pokja.directory import accounts
from pokja.extensions import db
from pokja.models import Agency
from tests.factories import new_case


def test_the_facts_read_with_the_caller_are_the_whole_pokjas(world, tokens_for):
    """The caller's statement has the caller's agency in its FROM as well: the Pokja's
    agencies must still be all six, not the caller's one."""
    liaison = world.liaisons["KEJARI"]
    claims = decode_token(tokens_for(liaison).access_token)
    statement = facts.caller_with_context(db.session)
    row = accounts.load_token_caller(db.session, claims["sub"], claims["sid"], statement)
    assert row.caller_agency_kind == "KEJARI"
    with_caller = facts.PokjaContext.of(row.pokja_id, row)
    alone = facts.pokja_context(db.session, world.pokja.id)
    assert with_caller == alone
    agencies = facts.PokjaFacts.load(db.session, world.pokja.id).agencies
    assert {agency["kind"] for agency in agencies.values()} == set(world.agencies)


def test_a_list_shows_an_agency_renamed_the_request_before(world, client, headers_for):
    new_case(world)
    bawaslu_id, name = world.agencies["BAWASLU"].id, world.agencies["BAWASLU"].name
    coordinator, tni = headers_for(world.coordinator), headers_for(world.liaisons["TNI"])
    db.session.commit()
    before = client.get("/api/v1/cases", headers=coordinator)
    assert before.status_code == 200
    assert before.json["items"][0]["authority"]["holder"]["name"] == name

    # The coordinator's own agency: the one its authentication puts in the session.
    bawaslu = client.get(f"/api/v1/agencies/{bawaslu_id}", headers=coordinator)
    renamed = client.patch(
        f"/api/v1/agencies/{bawaslu_id}",
        json={"name": "Bawaslu Kabupaten (baru)"},
        headers={**coordinator, "If-Match": bawaslu.headers["ETag"]},
    )
    assert renamed.status_code == 200, renamed.json

    after = client.get("/api/v1/cases", headers=coordinator)
    assert after.json["items"][0]["authority"]["holder"]["name"] == "Bawaslu Kabupaten (baru)"
    case_id = after.json["items"][0]["id"]
    one = client.get(f"/api/v1/cases/{case_id}", headers=tni)
    assert one.json["authority"]["holder"]["name"] == "Bawaslu Kabupaten (baru)"


def test_facts_read_along_are_forgotten_when_the_transaction_ends(world, count_queries):
    pokja_id, timezone = world.pokja.id, world.pokja.timezone
    stale = facts.PokjaContext(pokja_id, "Asia/Jayapura", None, (), (), ())
    facts.remember_context(db.session, stale)
    assert facts.pokja_context(db.session, pokja_id) == stale
    db.session.commit()
    with count_queries() as statements:
        fresh = facts.pokja_context(db.session, pokja_id)
    assert len(statements) == 1
    assert fresh.timezone == timezone != "Asia/Jayapura"
    assert len(fresh.agencies) > 2


def test_facts_of_another_pokja_are_not_taken_for_the_callers(world):
    other = facts.PokjaContext(world.other_pokja.id, "Asia/Jayapura", None, (), (), ())
    facts.remember_context(db.session, other)
    assert facts.pokja_context(db.session, world.pokja.id).id == world.pokja.id


def test_the_callers_agency_is_in_the_session_as_stored(world, tokens_for):
    liaison, polri = world.liaisons["POLRI"], world.agencies["POLRI"]
    claims = decode_token(tokens_for(liaison).access_token)
    expected = (liaison.id, "liaison", polri.id, polri.pokja_id, polri.valid_from, polri.version)
    db.session.commit()
    db.session.expunge_all()
    caller = accounts.load_token_user(db.session, claims["sub"], claims["sid"])
    assert caller is not None
    assert sa.inspect(caller).transient
    agency = db.session.get(Agency, expected[2])
    assert agency is caller.agency
    # Complete from the one read: a later SELECT of it would fill only what is missing.
    assert sa.inspect(agency).unloaded == {"pokja"}  # the relationship: lazy="raise"
    assert agency.kind == "POLRI"
    seen = (caller.id, caller.role, agency.id, agency.pokja_id, agency.valid_from, agency.version)
    assert seen == expected


def test_me_is_the_stored_user_whatever_its_name(world, make_user, client, headers_for):
    """A service token's caller is told apart by its id (the token's), not by its name."""
    odd = make_user("viewer", world.pokja, username="service-token:looks-like-one")
    headers, user_id = headers_for(odd), str(odd.id)
    response = client.get("/api/v1/auth/me", headers=headers)
    assert response.status_code == 200, response.json
    assert response.json["id"] == user_id
    assert response.json["created_at"] is not None


def test_a_token_of_an_unknown_session_has_no_caller(world):
    unknown = str(uuid.uuid4())
    assert accounts.load_token_user(db.session, str(world.coordinator.id), unknown) is None
    assert accounts.load_token_user(db.session, "not-a-uuid", unknown) is None
