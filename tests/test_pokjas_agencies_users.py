"""Pokjas, agencies and users through the HTTP API: who lists, reads, creates and changes what."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from pokja.extensions import db
from pokja.models import Agency, AuthSession, Pokja, User
from tests.conftest import PASSWORD

POKJAS = "/api/v1/pokjas"
AGENCIES = "/api/v1/agencies"
USERS = "/api/v1/users"


def assert_problem(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    assert body["code"] == code
    return body


def fresh(model, object_id):
    db.session.expire_all()
    return db.session.get(model, object_id)


def ids(response):
    return {item["id"] for item in response.get_json()["items"]}


def all_pages(client, url, headers, limit):
    """Follow next_cursor to the end; also check each page's Link header."""
    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        response = client.get(url, query_string=query, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        assert len(body["items"]) <= limit
        seen.extend(item["id"] for item in body["items"])
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            assert "Link" not in response.headers
            return seen, pages
        link = response.headers["Link"]
        assert link.endswith('>; rel="next"')
        target = urlsplit(link[1 : link.index(">")])
        assert target.path == urlsplit(url).path
        assert parse_qs(target.query)["cursor"] == [cursor]
        assert parse_qs(target.query)["limit"] == [str(limit)]


def new_pokja_body(**fields):
    body = {
        "name": f"Pokja Netralitas {uuid.uuid4().hex[:8]}",
        "region_code": "17.71",
        "region_name": "Kota Bengkulu",
        "level": "kota",
        "timezone": "Asia/Jakarta",
    }
    body.update(fields)
    return body


def new_user_body(agency, **fields):
    body = {
        "username": f"user-{uuid.uuid4().hex[:8]}",
        "display_name": "Kapten Inf. Andi Saputra",
        "password": "s3cret-pass",
        "role": "liaison",
        "agency_id": str(agency.id) if agency else None,
    }
    body.update(fields)
    return body


def user_named(username):
    return db.session.scalar(sa.select(User).where(User.username == username))


def patch(client, url, body, headers, etag):
    return client.patch(url, json=body, headers={**headers, "If-Match": etag})


# --- pagination (on Pokjas, Agencies and Users alike) ------------------------------------------


def test_admin_pages_through_every_pokja_exactly_once(client, world, make_pokja, headers_for):
    for _ in range(3):
        make_pokja()
    admin = headers_for(world.admin)
    expected = {str(i) for i in db.session.scalars(sa.select(Pokja.id))}

    limit = max(2, -(-len(expected) // 4))  # several pages, however many Pokjas exist

    seen, pages = all_pages(client, POKJAS, admin, limit=limit)

    assert len(seen) == len(set(seen))
    assert set(seen) == expected
    assert pages == -(-len(expected) // limit) > 1


def test_pages_are_ordered_by_name(client, world, make_pokja, headers_for):
    for name in ("Pokja Z", "Pokja A", "Pokja M"):
        make_pokja(name=f"{name} {uuid.uuid4().hex[:6]}")

    items = client.get(POKJAS, query_string={"limit": 200}, headers=headers_for(world.admin))

    names = [item["name"] for item in items.get_json()["items"]]
    assert names == sorted(names)


def test_count_true_adds_the_total_and_is_absent_otherwise(client, world, headers_for):
    coordinator = headers_for(world.coordinator)
    in_pokja = db.session.scalar(
        sa.select(sa.func.count()).select_from(User).where(User.pokja_id == world.pokja.id)
    )

    counted = client.get(USERS, query_string={"count": "true", "limit": 2}, headers=coordinator)
    plain = client.get(USERS, query_string={"limit": 2}, headers=coordinator)

    assert counted.get_json()["total"] == in_pokja == 9
    assert len(counted.get_json()["items"]) == 2
    assert "total" not in plain.get_json()


def test_a_coordinator_pages_through_exactly_its_pokjas_users(client, world, headers_for):
    expected = {
        str(i)
        for i in db.session.scalars(sa.select(User.id).where(User.pokja_id == world.pokja.id))
    }

    seen, pages = all_pages(client, USERS, headers_for(world.coordinator), limit=3)

    assert sorted(seen) == sorted(expected)
    assert pages == 3


def test_agencies_page_without_gaps_or_repeats(client, world, headers_for):
    seen, _ = all_pages(client, AGENCIES, headers_for(world.liaisons["TNI"]), limit=4)

    assert sorted(seen) == sorted(str(a.id) for a in world.agencies.values())


def test_a_limit_above_200_or_below_1_is_422(client, world, headers_for):
    admin = headers_for(world.admin)

    for url in (POKJAS, AGENCIES, USERS):
        too_big = client.get(url, query_string={"limit": 201}, headers=admin)
        zero = client.get(url, query_string={"limit": 0}, headers=admin)
        largest = client.get(url, query_string={"limit": 200}, headers=admin)

        assert "limit" in assert_problem(too_big, 422, "validation_error")["errors"], url
        assert "limit" in assert_problem(zero, 422, "validation_error")["errors"], url
        assert largest.status_code == 200, url


def test_the_default_page_size_is_50(client, world, make_agency, headers_for):
    for _ in range(45):
        make_agency(world.pokja, "OTHER")

    body = client.get(AGENCIES, headers=headers_for(world.coordinator)).get_json()

    assert len(body["items"]) == 50
    assert body["next_cursor"] is not None


FORGED_CURSORS = {
    "not base64": "garbage!",
    "null": "bnVsbA",
    "too short": "WyJhIl0",
    "wrong types": "WzEsMl0",
    "bad uuid": "WyJhIiwibm90LWEtdXVpZCJd",
}


def test_a_forged_cursor_is_a_400_problem_not_a_crash(client, world, headers_for):
    admin = headers_for(world.admin)

    for what, cursor in FORGED_CURSORS.items():
        response = client.get(USERS, query_string={"cursor": cursor}, headers=admin)

        assert response.status_code == 400, what
        assert_problem(response, 400, "invalid_cursor")


# A fixed id (no Pokja has it): parametrized ids must be the same in every pytest-xdist worker.
NO_SUCH_POKJA = uuid.UUID("00000000-0000-4000-8000-000000000001")


@pytest.mark.parametrize("url", [POKJAS, AGENCIES, USERS, f"{POKJAS}/{NO_SUCH_POKJA}"])
def test_reading_without_a_token_is_401(client, url):
    assert_problem(client.get(url), 401, "unauthorized")


# --- Pokjas -----------------------------------------------------------------------------------


def test_admin_creates_a_pokja_with_an_etag(client, world, headers_for):
    body = new_pokja_body(timezone="Asia/Makassar")

    response = client.post(POKJAS, json=body, headers=headers_for(world.admin))

    assert response.status_code == 201
    created = response.get_json()
    assert response.headers["ETag"] == '"1"'
    assert created["name"] == body["name"]
    assert created["timezone"] == "Asia/Makassar"
    assert created["locale"] == "id"
    assert created["active"] is True
    assert created["version"] == 1
    stored = fresh(Pokja, uuid.UUID(created["id"]))
    assert (stored.name, stored.level, stored.region_code) == (body["name"], "kota", "17.71")


def test_a_duplicate_pokja_name_is_409_and_stores_nothing(client, world, headers_for):
    body = new_pokja_body(name=world.pokja.name, region_code="99.99")

    response = client.post(POKJAS, json=body, headers=headers_for(world.admin))

    assert_problem(response, 409, "duplicate")
    named = db.session.scalars(sa.select(Pokja).where(Pokja.name == world.pokja.name)).all()
    assert [p.region_code for p in named] == ["17.01"]


def test_only_an_admin_creates_pokjas(client, world, headers_for):
    for user in (world.coordinator, world.secretary, world.viewer):
        body = new_pokja_body()

        response = client.post(POKJAS, json=body, headers=headers_for(user))

        assert response.status_code == 403, user.role
        assert_problem(response, 403, "forbidden")
        assert db.session.scalar(sa.select(Pokja).where(Pokja.name == body["name"])) is None


def test_creating_a_pokja_with_unknown_or_invalid_fields_is_422_and_stores_nothing(
    client, world, headers_for
):
    body = new_pokja_body(level="desa", motto="netral", id=str(uuid.uuid4()))

    response = client.post(POKJAS, json=body, headers=headers_for(world.admin))

    errors = assert_problem(response, 422, "validation_error")["errors"]
    assert set(errors) == {"level", "motto", "id"}
    assert db.session.scalar(sa.select(Pokja).where(Pokja.name == body["name"])) is None


def test_a_non_admin_lists_only_its_own_pokja(client, world, headers_for):
    for user in (world.coordinator, world.viewer, world.other_liaison):
        body = client.get(POKJAS, query_string={"count": "true"}, headers=headers_for(user))

        assert ids(body) == {str(user.pokja_id)}
        assert body.get_json()["total"] == 1


def test_reading_a_pokja_returns_it_with_its_etag(client, world, headers_for):
    response = client.get(f"{POKJAS}/{world.pokja.id}", headers=headers_for(world.viewer))

    assert response.status_code == 200
    assert response.get_json()["id"] == str(world.pokja.id)
    assert response.headers["ETag"] == f'"{world.pokja.version}"'


def test_patching_a_pokja_requires_if_match(client, world, headers_for):
    url = f"{POKJAS}/{world.pokja.id}"
    admin = headers_for(world.admin)

    missing = client.patch(url, json={"region_name": "Changed"}, headers=admin)
    stale = patch(client, url, {"region_name": "Changed"}, admin, '"99"')

    assert_problem(missing, 428, "precondition_required")
    assert_problem(stale, 412, "precondition_failed")
    assert fresh(Pokja, world.pokja.id).region_name == "Kabupaten Bengkulu Selatan"


def test_a_patch_with_the_current_etag_succeeds_and_returns_the_next_one(
    client, world, headers_for
):
    url = f"{POKJAS}/{world.pokja.id}"
    admin = headers_for(world.admin)
    etag = client.get(url, headers=admin).headers["ETag"]

    response = patch(client, url, {"region_name": "Kabupaten Kaur"}, admin, etag)
    replay = patch(client, url, {"region_name": "Kabupaten Seluma"}, admin, etag)

    assert response.status_code == 200
    assert response.get_json()["region_name"] == "Kabupaten Kaur"
    assert response.headers["ETag"] != etag
    assert response.headers["ETag"] == f'"{response.get_json()["version"]}"'
    assert client.get(url, headers=admin).headers["ETag"] == response.headers["ETag"]
    assert_problem(replay, 412, "precondition_failed")
    assert fresh(Pokja, world.pokja.id).region_name == "Kabupaten Kaur"


def test_a_weak_or_wildcard_if_match_is_accepted(client, world, headers_for):
    url = f"{POKJAS}/{world.pokja.id}"
    admin = headers_for(world.admin)
    etag = client.get(url, headers=admin).headers["ETag"]

    assert patch(client, url, {"locale": "en"}, admin, f"W/{etag}").status_code == 200
    assert patch(client, url, {"locale": "id"}, admin, "*").status_code == 200


def test_a_coordinator_renames_its_pokja_but_cannot_deactivate_it(client, world, headers_for):
    url = f"{POKJAS}/{world.pokja.id}"
    coordinator = headers_for(world.coordinator)

    deactivate = patch(client, url, {"active": False}, coordinator, "*")
    rename = patch(client, url, {"region_name": "Kabupaten Kaur"}, coordinator, "*")

    assert_problem(deactivate, 403, "forbidden")
    assert rename.status_code == 200
    stored = fresh(Pokja, world.pokja.id)
    assert stored.active is True
    assert stored.region_name == "Kabupaten Kaur"


def test_an_admin_deactivates_a_pokja_and_its_users_are_locked_out(client, world, headers_for):
    url = f"{POKJAS}/{world.pokja.id}"
    liaison = headers_for(world.liaisons["TNI"])

    response = patch(client, url, {"active": False}, headers_for(world.admin), "*")

    assert response.status_code == 200
    assert response.get_json()["active"] is False
    assert fresh(Pokja, world.pokja.id).active is False
    assert_problem(client.get("/api/v1/auth/me", headers=liaison), 401, "token_revoked")
    login = {"username": world.coordinator.username, "password": PASSWORD}
    assert client.post("/api/v1/auth/login", json=login).status_code == 401


def test_renaming_a_pokja_to_a_taken_name_is_409(client, world, headers_for):
    url = f"{POKJAS}/{world.pokja.id}"

    response = patch(client, url, {"name": world.other_pokja.name}, headers_for(world.admin), "*")

    assert_problem(response, 409, "duplicate")
    assert fresh(Pokja, world.pokja.id).name != world.other_pokja.name


def test_other_roles_cannot_change_a_pokja(client, world, headers_for):
    url = f"{POKJAS}/{world.pokja.id}"

    for user in (world.secretary, world.viewer, world.liaisons["TNI"]):
        response = patch(client, url, {"region_name": "X"}, headers_for(user), "*")

        assert response.status_code == 403, user.role
        assert_problem(response, 403, "forbidden")
    assert fresh(Pokja, world.pokja.id).region_name == "Kabupaten Bengkulu Selatan"


def test_patching_a_pokja_with_an_unknown_field_is_422_and_writes_nothing(
    client, world, headers_for
):
    url = f"{POKJAS}/{world.pokja.id}"

    response = patch(client, url, {"region_name": "X", "version": 7}, headers_for(world.admin), "*")

    assert assert_problem(response, 422, "validation_error")["errors"] == {
        "version": ["Unknown field."]
    }
    stored = fresh(Pokja, world.pokja.id)
    assert (stored.region_name, stored.version) == ("Kabupaten Bengkulu Selatan", 1)


# --- Agencies ---------------------------------------------------------------------------------


def test_members_list_exactly_their_own_pokjas_agencies(client, world, headers_for):
    expected = {str(a.id) for a in world.agencies.values()}

    for user in (world.coordinator, world.secretary, world.viewer, world.liaisons["POLRI"]):
        response = client.get(AGENCIES, headers=headers_for(user))

        assert response.status_code == 200, user.role
        assert ids(response) == expected, user.role


def test_an_admin_filters_agencies_by_pokja_and_kind(client, world, headers_for):
    admin = headers_for(world.admin)

    of_other = client.get(AGENCIES, query_string={"pokja_id": world.other_pokja.id}, headers=admin)
    tni = client.get(
        AGENCIES, query_string={"pokja_id": world.pokja.id, "kind": "TNI"}, headers=admin
    )

    assert ids(of_other) == {str(world.other_agency.id)}
    assert ids(tni) == {str(world.agencies["TNI"].id)}
    assert tni.get_json()["items"][0]["is_member"] is True


def test_a_pokja_id_filter_cannot_widen_a_members_view(client, world, headers_for):
    response = client.get(
        AGENCIES,
        query_string={"pokja_id": world.other_pokja.id, "count": "true"},
        headers=headers_for(world.coordinator),
    )

    assert response.get_json()["items"] == []
    assert response.get_json()["total"] == 0


def test_reading_an_agency_returns_it_with_its_etag(client, world, headers_for):
    agency = world.agencies["KEJARI"]

    response = client.get(f"{AGENCIES}/{agency.id}", headers=headers_for(world.liaisons["TNI"]))

    assert response.status_code == 200
    body = response.get_json()
    assert (body["id"], body["kind"], body["pokja_id"]) == (
        str(agency.id),
        "KEJARI",
        str(world.pokja.id),
    )
    assert response.headers["ETag"] == '"1"'


def test_a_coordinator_adds_an_agency_to_its_own_pokja(client, world, headers_for):
    body = {"kind": "BKN", "name": "Kantor Regional VII BKN", "valid_from": "2024-08-24"}

    response = client.post(AGENCIES, json=body, headers=headers_for(world.coordinator))

    assert response.status_code == 201
    created = response.get_json()
    assert response.headers["ETag"] == '"1"'
    assert created["pokja_id"] == str(world.pokja.id)
    assert created["is_member"] is False
    stored = fresh(Agency, uuid.UUID(created["id"]))
    assert (stored.pokja_id, stored.kind, str(stored.valid_from)) == (
        world.pokja.id,
        "BKN",
        "2024-08-24",
    )


def test_a_coordinator_cannot_add_an_agency_to_another_pokja(client, world, headers_for):
    body = {"kind": "TNI", "name": "Kodim 0425", "pokja_id": str(world.other_pokja.id)}

    response = client.post(AGENCIES, json=body, headers=headers_for(world.coordinator))

    assert "pokja_id" in assert_problem(response, 422, "validation_error")["errors"]
    assert db.session.scalar(sa.select(Agency).where(Agency.name == "Kodim 0425")) is None


def test_an_admin_adds_an_agency_to_any_pokja_but_must_name_it(client, world, headers_for):
    admin = headers_for(world.admin)
    name = f"Polres {uuid.uuid4().hex[:6]}"

    unnamed = client.post(AGENCIES, json={"kind": "POLRI", "name": name}, headers=admin)
    named = client.post(
        AGENCIES,
        json={"kind": "POLRI", "name": name, "pokja_id": str(world.other_pokja.id)},
        headers=admin,
    )

    assert "pokja_id" in assert_problem(unnamed, 422, "validation_error")["errors"]
    assert named.status_code == 201
    stored = db.session.scalars(sa.select(Agency).where(Agency.name == name)).all()
    assert [a.pokja_id for a in stored] == [world.other_pokja.id]


def test_other_roles_cannot_add_agencies(client, world, headers_for):
    for user in (world.secretary, world.viewer, world.liaisons["TNI"]):
        response = client.post(
            AGENCIES, json={"kind": "PPK", "name": "Bupati"}, headers=headers_for(user)
        )

        assert response.status_code == 403, user.role
        assert_problem(response, 403, "forbidden")
    assert (
        db.session.scalar(
            sa.select(Agency).where(Agency.pokja_id == world.pokja.id, Agency.name == "Bupati")
        )
        is None
    )


def test_a_duplicate_agency_name_in_the_pokja_is_409(client, world, headers_for):
    name = world.agencies["TNI"].name

    response = client.post(
        AGENCIES, json={"kind": "TNI", "name": name}, headers=headers_for(world.coordinator)
    )

    assert_problem(response, 409, "duplicate")
    assert len(db.session.scalars(sa.select(Agency).where(Agency.name == name)).all()) == 1


def test_an_agency_with_unknown_fields_or_dates_out_of_order_is_422(client, world, headers_for):
    coordinator = headers_for(world.coordinator)

    unknown = client.post(
        AGENCIES, json={"kind": "KASN", "name": "KASN", "acronym": "K"}, headers=coordinator
    )
    reversed_dates = client.post(
        AGENCIES,
        json={"kind": "KASN", "name": "KASN", "valid_from": "2024-01-01", "valid_to": "2023-01-01"},
        headers=coordinator,
    )

    assert assert_problem(unknown, 422, "validation_error")["errors"] == {
        "acronym": ["Unknown field."]
    }
    assert "valid_to" in assert_problem(reversed_dates, 422, "validation_error")["errors"]
    assert (
        db.session.scalar(
            sa.select(Agency).where(Agency.pokja_id == world.pokja.id, Agency.kind == "KASN")
        )
        is None
    )


def test_patching_an_agency_follows_if_match(client, world, headers_for):
    agency = world.agencies["TNI"]
    url = f"{AGENCIES}/{agency.id}"
    coordinator = headers_for(world.coordinator)

    missing = client.patch(url, json={"name": "Kodim 0408"}, headers=coordinator)
    stale = patch(client, url, {"name": "Kodim 0408"}, coordinator, '"2"')
    ok = patch(client, url, {"name": "Kodim 0408"}, coordinator, '"1"')

    assert_problem(missing, 428, "precondition_required")
    assert_problem(stale, 412, "precondition_failed")
    assert ok.status_code == 200
    assert ok.headers["ETag"] == '"2"'
    assert ok.get_json()["name"] == "Kodim 0408"
    assert fresh(Agency, agency.id).name == "Kodim 0408"


def test_a_coordinator_deactivates_an_agency_and_no_user_can_join_it(client, world, headers_for):
    agency = world.agencies["KEJARI"]
    coordinator = headers_for(world.coordinator)

    response = patch(client, f"{AGENCIES}/{agency.id}", {"active": False}, coordinator, '"1"')
    joining = client.post(USERS, json=new_user_body(agency), headers=coordinator)

    assert response.status_code == 200
    assert response.get_json()["active"] is False
    assert fresh(Agency, agency.id).active is False
    assert "agency_id" in assert_problem(joining, 422, "validation_error")["errors"]


def test_an_agency_end_date_before_its_start_is_refused_on_patch(client, world, headers_for):
    coordinator = headers_for(world.coordinator)
    created = client.post(
        AGENCIES,
        json={"kind": "KASN", "name": "KASN", "valid_from": "2020-01-01"},
        headers=coordinator,
    ).get_json()

    response = patch(
        client, f"{AGENCIES}/{created['id']}", {"valid_to": "2019-12-31"}, coordinator, '"1"'
    )

    assert "valid_to" in assert_problem(response, 422, "validation_error")["errors"]
    assert fresh(Agency, uuid.UUID(created["id"])).valid_to is None


def test_other_roles_cannot_change_agencies(client, world, headers_for):
    agency = world.agencies["TNI"]

    for user in (world.secretary, world.viewer, world.liaisons["TNI"]):
        response = patch(client, f"{AGENCIES}/{agency.id}", {"name": "X"}, headers_for(user), "*")

        assert response.status_code == 403, user.role
        assert_problem(response, 403, "forbidden")
    assert fresh(Agency, agency.id).name == agency.name


# --- Users ------------------------------------------------------------------------------------


def test_anyone_but_coordinators_and_admins_lists_only_themselves(client, world, headers_for):
    for user in (world.secretary, world.viewer, world.liaisons["TNI"]):
        response = client.get(USERS, query_string={"count": "true"}, headers=headers_for(user))

        assert ids(response) == {str(user.id)}, user.role
        assert response.get_json()["total"] == 1, user.role


def test_an_admin_lists_users_of_every_pokja_and_filters_them(
    client, world, make_user, headers_for
):
    admin = headers_for(world.admin)
    second_admin = make_user("admin")

    everyone = client.get(USERS, query_string={"count": "true", "limit": 1}, headers=admin)
    other = client.get(USERS, query_string={"pokja_id": world.other_pokja.id}, headers=admin)
    tni = client.get(USERS, query_string={"agency_id": world.agencies["TNI"].id}, headers=admin)
    peer = client.get(f"{USERS}/{second_admin.id}", headers=admin)

    assert everyone.get_json()["total"] == db.session.scalar(
        sa.select(sa.func.count()).select_from(User)
    )
    assert ids(other) == {str(world.other_coordinator.id), str(world.other_liaison.id)}
    assert ids(tni) == {str(world.liaisons["TNI"].id)}
    assert peer.status_code == 200


def test_a_coordinator_filters_its_users_by_role(client, world, headers_for):
    response = client.get(
        USERS, query_string={"role": "liaison"}, headers=headers_for(world.coordinator)
    )

    assert ids(response) == {str(u.id) for u in world.liaisons.values()}


def test_a_user_list_never_shows_passwords(client, world, headers_for):
    body = client.get(USERS, headers=headers_for(world.admin)).get_data(as_text=True)

    assert "password" not in body
    assert "argon2" not in body


def test_a_coordinator_creates_a_liaison_who_can_then_log_in(client, world, headers_for):
    body = new_user_body(world.agencies["POLRI"])

    response = client.post(USERS, json=body, headers=headers_for(world.coordinator))

    assert response.status_code == 201
    created = response.get_json()
    assert response.headers["ETag"] == '"1"'
    assert "password" not in created
    assert created["pokja_id"] == str(world.pokja.id)
    assert created["agency_id"] == str(world.agencies["POLRI"].id)
    stored = user_named(body["username"])
    assert (stored.role, stored.pokja_id, stored.active) == ("liaison", world.pokja.id, True)
    assert stored.password_hash.startswith("$argon2id$")
    login = {"username": body["username"], "password": "s3cret-pass"}
    assert client.post("/api/v1/auth/login", json=login).status_code == 200


def test_a_coordinator_cannot_create_an_administrator(client, world, headers_for):
    body = new_user_body(None, role="admin")

    response = client.post(USERS, json=body, headers=headers_for(world.coordinator))

    assert_problem(response, 403, "forbidden")
    assert user_named(body["username"]) is None


def test_a_coordinator_cannot_place_a_user_in_another_pokjas_agency(client, world, headers_for):
    body = new_user_body(world.other_agency)

    response = client.post(USERS, json=body, headers=headers_for(world.coordinator))

    assert "agency_id" in assert_problem(response, 422, "validation_error")["errors"]
    assert user_named(body["username"]) is None


def test_a_coordinator_cannot_create_a_user_in_another_pokja(client, world, headers_for):
    body = new_user_body(None, role="viewer", pokja_id=str(world.other_pokja.id))

    response = client.post(USERS, json=body, headers=headers_for(world.coordinator))

    assert "pokja_id" in assert_problem(response, 422, "validation_error")["errors"]
    assert user_named(body["username"]) is None


def test_an_admin_creates_users_in_any_pokja_and_other_admins(client, world, headers_for):
    admin = headers_for(world.admin)
    viewer = new_user_body(None, role="viewer", pokja_id=str(world.other_pokja.id))
    second_admin = new_user_body(None, role="admin")

    assert client.post(USERS, json=viewer, headers=admin).status_code == 201
    assert client.post(USERS, json=second_admin, headers=admin).status_code == 201
    assert user_named(viewer["username"]).pokja_id == world.other_pokja.id
    assert user_named(second_admin["username"]).pokja_id is None


INVALID_NEW_USERS = [
    ({"role": "liaison", "agency_id": None}, "agency_id"),
    ({"role": "viewer"}, "agency_id"),
    ({"role": "secretary", "agency_id": str(uuid.uuid4())}, "agency_id"),
    ({"role": "chief"}, "role"),
    ({"username": "Has Spaces"}, "username"),
    ({"password": "short"}, "password"),
    ({"nickname": "andi"}, "nickname"),
]


def test_an_invalid_new_user_is_422_naming_the_field_and_stores_nothing(client, world, headers_for):
    coordinator = headers_for(world.coordinator)

    for fields, field in INVALID_NEW_USERS:
        body = new_user_body(world.agencies["TNI"], **fields)

        response = client.post(USERS, json=body, headers=coordinator)

        assert response.status_code == 422, fields
        assert field in assert_problem(response, 422, "validation_error")["errors"], fields
        assert user_named(body["username"]) is None, fields


def test_a_duplicate_username_is_409_and_the_first_user_is_untouched(client, world, headers_for):
    taken = world.liaisons["TNI"]
    body = new_user_body(world.agencies["POLRI"], username=taken.username)

    response = client.post(USERS, json=body, headers=headers_for(world.coordinator))

    assert_problem(response, 409, "duplicate")
    same_name = db.session.scalars(sa.select(User).where(User.username == taken.username)).all()
    assert [u.id for u in same_name] == [taken.id]
    assert same_name[0].agency_id == world.agencies["TNI"].id


def test_other_roles_cannot_create_users(client, world, headers_for):
    for user in (world.secretary, world.viewer, world.liaisons["TNI"]):
        body = new_user_body(world.agencies["TNI"])

        response = client.post(USERS, json=body, headers=headers_for(user))

        assert response.status_code == 403, user.role
        assert_problem(response, 403, "forbidden")
        assert user_named(body["username"]) is None


def test_reading_a_user_returns_it_with_its_etag(client, world, headers_for):
    target = world.liaisons["TNI"]

    response = client.get(f"{USERS}/{target.id}", headers=headers_for(world.coordinator))

    assert response.status_code == 200
    assert response.get_json()["username"] == target.username
    assert response.headers["ETag"] == '"1"'


def test_a_liaison_cannot_read_a_colleague_of_the_same_pokja(client, world, headers_for):
    colleague = world.liaisons["POLRI"]

    response = client.get(f"{USERS}/{colleague.id}", headers=headers_for(world.liaisons["TNI"]))

    assert_problem(response, 404, "not_found")


def test_patching_a_user_follows_if_match(client, world, headers_for):
    target = world.liaisons["TNI"]
    url = f"{USERS}/{target.id}"
    coordinator = headers_for(world.coordinator)

    missing = client.patch(url, json={"display_name": "Renamed"}, headers=coordinator)
    stale = patch(client, url, {"display_name": "Renamed"}, coordinator, '"7"')
    ok = patch(client, url, {"display_name": "Renamed"}, coordinator, '"1"')

    assert_problem(missing, 428, "precondition_required")
    assert_problem(stale, 412, "precondition_failed")
    assert ok.status_code == 200
    assert ok.headers["ETag"] == '"2"'
    assert fresh(User, target.id).display_name == "Renamed"


def test_a_user_cannot_change_their_own_role(client, world, headers_for):
    me = world.liaisons["TNI"]

    response = patch(client, f"{USERS}/{me.id}", {"role": "coordinator"}, headers_for(me), '"1"')

    assert_problem(response, 403, "forbidden")
    stored = fresh(User, me.id)
    assert (stored.role, stored.version) == ("liaison", 1)


@pytest.mark.parametrize("changes", [{"active": False}, {"agency_id": None}])
def test_a_coordinator_cannot_deactivate_or_move_itself(client, world, headers_for, changes):
    me = world.coordinator

    response = patch(client, f"{USERS}/{me.id}", changes, headers_for(me), '"1"')

    assert_problem(response, 403, "forbidden")
    stored = fresh(User, me.id)
    assert (stored.active, stored.agency_id) == (True, world.agencies["BAWASLU"].id)


def test_a_user_changes_their_own_display_name(client, world, headers_for):
    me = world.liaisons["TNI"]

    response = patch(client, f"{USERS}/{me.id}", {"display_name": "Andi"}, headers_for(me), '"1"')

    assert response.status_code == 200
    assert response.get_json()["display_name"] == "Andi"
    assert fresh(User, me.id).display_name == "Andi"


def test_a_user_changes_their_own_password_and_only_the_new_one_works(client, world, headers_for):
    me = world.liaisons["TNI"]
    headers = headers_for(me)

    response = patch(client, f"{USERS}/{me.id}", {"password": "a-new-passphrase"}, headers, '"1"')

    assert response.status_code == 200
    assert "password" not in response.get_json()
    old = client.post("/api/v1/auth/login", json={"username": me.username, "password": PASSWORD})
    new = client.post(
        "/api/v1/auth/login", json={"username": me.username, "password": "a-new-passphrase"}
    )
    assert old.status_code == 401
    assert new.status_code == 200
    # A password change ends the sessions opened with the old password.
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401
    revoked = db.session.scalars(
        sa.select(AuthSession.revoked_reason).where(AuthSession.user_id == me.id)
    ).all()
    assert "password_changed" in revoked


def test_a_coordinator_changes_a_users_role_and_agency(client, world, headers_for):
    target = world.liaisons["TNI"]

    response = patch(
        client,
        f"{USERS}/{target.id}",
        {"role": "secretary", "agency_id": str(world.agencies["POLRI"].id)},
        headers_for(world.coordinator),
        '"1"',
    )

    assert response.status_code == 200
    stored = fresh(User, target.id)
    assert (stored.role, stored.agency_id) == ("secretary", world.agencies["POLRI"].id)


def test_making_a_liaison_a_viewer_drops_their_agency(client, world, headers_for):
    target = world.liaisons["TNI"]

    response = patch(
        client, f"{USERS}/{target.id}", {"role": "viewer"}, headers_for(world.coordinator), '"1"'
    )

    assert response.status_code == 200
    assert response.get_json()["agency_id"] is None
    assert fresh(User, target.id).agency_id is None


def test_a_coordinator_cannot_move_a_user_to_another_pokjas_agency(client, world, headers_for):
    target = world.liaisons["TNI"]

    response = patch(
        client,
        f"{USERS}/{target.id}",
        {"agency_id": str(world.other_agency.id)},
        headers_for(world.coordinator),
        '"1"',
    )

    assert "agency_id" in assert_problem(response, 422, "validation_error")["errors"]
    assert fresh(User, target.id).agency_id == world.agencies["TNI"].id


def test_a_coordinator_cannot_promote_a_user_to_administrator(client, world, headers_for):
    target = world.liaisons["TNI"]

    response = patch(
        client, f"{USERS}/{target.id}", {"role": "admin"}, headers_for(world.coordinator), '"1"'
    )

    assert_problem(response, 403, "forbidden")
    assert fresh(User, target.id).role == "liaison"


def test_patching_a_user_with_an_unknown_field_is_422_and_writes_nothing(
    client, world, headers_for
):
    target = world.liaisons["TNI"]

    response = patch(
        client,
        f"{USERS}/{target.id}",
        {"display_name": "Renamed", "pokja_id": str(world.other_pokja.id), "is_admin": True},
        headers_for(world.coordinator),
        '"1"',
    )

    errors = assert_problem(response, 422, "validation_error")["errors"]
    assert set(errors) == {"pokja_id", "is_admin"}
    stored = fresh(User, target.id)
    assert (stored.display_name, stored.pokja_id, stored.version) == (
        target.display_name,
        world.pokja.id,
        1,
    )


def test_a_deactivated_user_is_listed_as_inactive_and_can_be_filtered(client, world, headers_for):
    target = world.liaisons["TNI"]
    coordinator = headers_for(world.coordinator)
    patch(client, f"{USERS}/{target.id}", {"active": False}, coordinator, '"1"')

    inactive = client.get(USERS, query_string={"active": "false"}, headers=coordinator)

    assert ids(inactive) == {str(target.id)}
    assert inactive.get_json()["items"][0]["active"] is False
    assert fresh(User, target.id).active is False


def test_an_admin_changes_agencies_and_users_of_any_pokja(client, world, headers_for):
    admin = headers_for(world.admin)

    agency = patch(client, f"{AGENCIES}/{world.other_agency.id}", {"active": False}, admin, '"1"')
    user = patch(client, f"{USERS}/{world.other_liaison.id}", {"active": False}, admin, '"1"')

    assert agency.status_code == 200
    assert user.status_code == 200
    assert fresh(Agency, world.other_agency.id).active is False
    assert fresh(User, world.other_liaison.id).active is False


# --- another Pokja does not exist -------------------------------------------------------------


def _other_pokja_urls(world):
    return {
        "pokja": f"{POKJAS}/{world.other_pokja.id}",
        "agency": f"{AGENCIES}/{world.other_agency.id}",
        "user": f"{USERS}/{world.other_liaison.id}",
        "admin": f"{USERS}/{world.admin.id}",
    }


def test_anything_of_another_pokja_is_404_on_read(client, world, headers_for):
    members = (world.coordinator, world.secretary, world.viewer, world.liaisons["TNI"])

    for user in members:
        headers = headers_for(user)
        for what, url in _other_pokja_urls(world).items():
            response = client.get(url, headers=headers)

            assert response.status_code == 404, (user.role, what)
            assert_problem(response, 404, "not_found")


def test_a_coordinator_changing_anything_of_another_pokja_gets_404(client, world, headers_for):
    coordinator = headers_for(world.coordinator)

    for what, url in _other_pokja_urls(world).items():
        changes = {"name": "Mine now"} if what in ("pokja", "agency") else {"display_name": "Mine"}

        response = patch(client, url, changes, coordinator, "*")

        assert response.status_code == 404, what
        assert_problem(response, 404, "not_found")
    assert fresh(Pokja, world.other_pokja.id).name != "Mine now"
    assert fresh(Agency, world.other_agency.id).name != "Mine now"
    assert fresh(User, world.other_liaison.id).display_name != "Mine"
    assert fresh(User, world.admin.id).display_name != "Mine"


def test_a_liaison_changing_a_colleague_gets_404(client, world, headers_for):
    colleague = world.liaisons["POLRI"]

    response = patch(
        client,
        f"{USERS}/{colleague.id}",
        {"display_name": "Hijacked"},
        headers_for(world.liaisons["TNI"]),
        "*",
    )

    assert_problem(response, 404, "not_found")
    assert fresh(User, colleague.id).display_name == colleague.display_name


def test_an_unknown_id_is_404(client, world, headers_for):
    admin = headers_for(world.admin)

    for url in (POKJAS, AGENCIES, USERS):
        response = client.get(f"{url}/{uuid.uuid4()}", headers=admin)

        assert response.status_code == 404, url
        assert_problem(response, 404, "not_found")
