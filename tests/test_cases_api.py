"""Cases over HTTP: register, read, edit, move through stages, history (DESIGN §3-§5, §9)."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from pokja.audit import events
from pokja.extensions import db
from pokja.models import Case, Event, ExternalRef, Reporter, Subject
from tests.factories import (
    assert_problem,
    case_body,
    held_by_bkdpsdm_pending_to_inspektorat,
    new_case,
    reads_of,
    row_counts,
)

URL = "/api/v1/cases"


def register(client, headers_for, user, **overrides):
    return client.post(URL, json=case_body(**overrides), headers=headers_for(user))


def events_of(case_id, type_=None):
    stmt = sa.select(Event).where(Event.case_id == case_id).order_by(Event.seq)
    if type_:
        stmt = stmt.where(Event.type == type_)
    return db.session.scalars(stmt).all()


# --- registration ----------------------------------------------------------------------------


def test_a_bawaslu_liaison_registers_a_case_with_everything_it_reported(world, client, headers_for):
    response = register(client, headers_for, world.liaisons["BAWASLU"])
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert response.headers["Location"] == f"{URL}/{body['id']}"
    assert response.headers["ETag"] == '"1"'
    assert body["stage"] == "received"
    assert body["redacted"] is False
    assert body["register_number"].startswith("001/LP/PL/Kab/17.01/")
    assert body["location"] == {"kecamatan": "Manna", "desa": "Pasar Baru"}
    assert body["subjects"][0]["name"] == "Budi Santoso"
    assert body["reporter"] == {
        "name": "Siti Aminah",
        "contact": "0812-0000-0000",
        "anonymous": False,
    }
    assert body["authority"]["holder"]["id"] == str(world.agencies["BAWASLU"].id)
    assert {a["kind"] for a in body["authority"]["allowed_agencies"]} == {"BKDPSDM", "INSPEKTORAT"}
    assert body["authority"]["permissions"]["can_edit"] is True

    case = db.session.get(Case, uuid.UUID(body["id"]))
    assert case.election_kind == "pemilu"
    assert case.holder_agency_id == world.agencies["BAWASLU"].id
    assert case.kecamatan == "Manna"
    assert case.desa == "Pasar Baru"
    assert db.session.scalar(sa.select(Subject.identifier).where(Subject.case_id == case.id)) == (
        "198001012005011001"
    )
    assert db.session.scalar(sa.select(Reporter.name).where(Reporter.case_id == case.id)) == (
        "Siti Aminah"
    )
    assert db.session.scalar(sa.select(ExternalRef.reference).where(ExternalRef.case_id == case.id))
    assert [e.type for e in events_of(case.id)] == ["case.created"]


def test_election_kind_is_derived_from_the_election_code(world, client, headers_for):
    response = register(client, headers_for, world.coordinator, election="pilkada-2024")
    assert response.status_code == 201
    assert response.get_json()["election_kind"] == "pilkada"
    assert db.session.get(Case, uuid.UUID(response.get_json()["id"])).election_kind == "pilkada"


def test_an_anonymous_report_is_registered_without_a_name(world, client, headers_for):
    response = register(client, headers_for, world.coordinator, reporter={"anonymous": True})
    assert response.status_code == 201
    assert response.get_json()["reporter"] == {"name": None, "contact": None, "anonymous": True}


BAD_BODIES = {
    "unknown violation code": ({"violation_types": ["bribery"]}, "violation_types"),
    "no violation type": ({"violation_types": []}, "violation_types"),
    "no subject": ({"subjects": []}, "subjects"),
    "subject without name": ({"subjects": [{"subject_type": "pns"}]}, "subjects"),
    "unknown subject type": (
        {"subjects": [{"name": "A", "subject_type": "soldier"}]},
        "subjects",
    ),
    "unknown field": ({"holder_agency_id": "x"}, "holder_agency_id"),
    "unknown nested field": ({"location": {"rt": "01"}}, "location"),
    "title of wrong type": ({"title": 5}, "title"),
    "empty title": ({"title": ""}, "title"),
    "title too long": ({"title": "x" * 301}, "title"),
    "NUL in summary": ({"summary": "a\x00b"}, "summary"),
    "unknown source": ({"source": "rumour"}, "source"),
    "unknown category": ({"category": "ethics"}, "category"),
    "bad date": ({"occurred_on": "10/01/2024"}, "occurred_on"),
    "discovered before it occurred": (
        {"occurred_on": "2024-02-01", "discovered_on": "2024-01-01"},
        "discovered_on",
    ),
    "kind contradicts election": (
        {"election": "pilkada-2024", "election_kind": "pemilu"},
        "election",
    ),
    "kind not derivable": ({"election": "psu-2025"}, "election_kind"),
    "named anonymous reporter": ({"reporter": {"name": "X", "anonymous": True}}, "reporter"),
    "nameless reporter": ({"reporter": {"contact": "0812"}}, "reporter"),
    "same reference twice": (
        {"external_refs": [{"system": "LAPOR", "reference": "1"}] * 2},
        "external_refs",
    ),
    "unknown external system": (
        {"external_refs": [{"system": "WHATSAPP", "reference": "1"}]},
        "external_refs",
    ),
}


@pytest.mark.parametrize(("overrides", "field"), BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_bad_registrations_are_422_and_write_nothing(world, client, headers_for, overrides, field):
    before = row_counts()
    response = register(client, headers_for, world.liaisons["BAWASLU"], **overrides)
    body = assert_problem(response, 422)
    assert field in body["errors"], body
    assert row_counts() == before


def test_an_unknown_violation_code_names_the_allowed_ones(world, client, headers_for):
    response = register(client, headers_for, world.coordinator, violation_types=["bribery"])
    message = str(assert_problem(response, 422)["errors"]["violation_types"])
    assert "social_media" in message
    assert "campaigning" in message


def test_a_missing_field_is_422(world, client, headers_for):
    body = case_body()
    del body["subjects"]
    response = client.post(URL, json=body, headers=headers_for(world.coordinator))
    assert "subjects" in assert_problem(response, 422)["errors"]


def test_an_external_reference_registered_already_is_a_conflict(world, client, headers_for):
    assert register(client, headers_for, world.coordinator).status_code == 201
    before = row_counts()
    response = register(client, headers_for, world.liaisons["BAWASLU"])
    assert_problem(response, 409, "duplicate_external_ref")
    assert row_counts() == before


def test_the_same_reference_in_another_pokja_is_no_conflict(world, client, headers_for):
    assert register(client, headers_for, world.coordinator).status_code == 201
    assert register(client, headers_for, world.other_coordinator).status_code == 201


@pytest.mark.parametrize("name", ["BKDPSDM", "TNI", "secretary", "viewer", "admin"])
def test_only_bawaslu_liaisons_and_coordinators_register(world, client, headers_for, name):
    user = world.liaisons.get(name) or getattr(world, name)
    before = row_counts()
    assert_problem(register(client, headers_for, user), 403)
    assert row_counts() == before


def test_a_body_that_is_not_json_is_415(world, client, headers_for):
    response = client.post(
        URL, data="title=x", content_type="text/plain", headers=headers_for(world.coordinator)
    )
    assert_problem(response, 415)
    multipart = client.post(
        URL, data={"title": "x"}, headers=headers_for(world.coordinator)
    )  # multipart is for evidence uploads only
    assert_problem(multipart, 415)


# --- reading ---------------------------------------------------------------------------------


def test_a_case_of_another_pokja_is_not_found(world, client, headers_for):
    case = new_case(world)
    db.session.commit()
    assert_problem(client.get(f"{URL}/{case.id}", headers=headers_for(world.other_liaison)), 404)
    assert_problem(client.get(f"{URL}/{case.id}", headers=headers_for(world.admin)), 404)
    missing = "00000000-0000-4000-8000-000000000000"
    assert_problem(client.get(f"{URL}/{missing}", headers=headers_for(world.coordinator)), 404)


def test_reading_a_case_in_full_is_logged_with_what_was_shown(world, client, headers_for):
    case = new_case(world)
    db.session.commit()
    response = client.get(f"{URL}/{case.id}", headers=headers_for(world.coordinator))
    assert response.status_code == 200
    assert response.headers["ETag"] == f'"{case.version}"'
    (viewed,) = reads_of(case.id)
    assert viewed.user_id == world.coordinator.id
    assert viewed.fields == ["reporter", "subjects"]
    assert events_of(case.id, events.PERSONAL_DATA_VIEWED) == []  # reads are not changes

    client.get(f"{URL}/{case.id}", headers=headers_for(world.liaisons["TNI"]))  # redacted
    assert len(reads_of(case.id)) == 1


# --- editing ---------------------------------------------------------------------------------


def _etag(client, headers_for, world, case_id):
    return client.get(f"{URL}/{case_id}", headers=headers_for(world.coordinator)).headers["ETag"]


def test_the_holder_edits_a_case_with_if_match(world, client, headers_for):
    case = held_by_bkdpsdm_pending_to_inspektorat(world)
    etag = _etag(client, headers_for, world, case.id)
    response = client.patch(
        f"{URL}/{case.id}",
        json={
            "title": "Judul baru",
            "location": {"desa": "Ketaping"},
            "violation_types": ["campaigning", "social_media"],
            "election": "pilkada-2024",
        },
        headers=headers_for(world.liaisons["BKDPSDM"], **{"If-Match": etag}),
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["title"] == "Judul baru"
    assert body["location"] == {"kecamatan": "Manna", "desa": "Ketaping"}
    assert body["violation_types"] == ["campaigning", "social_media"]
    assert body["election_kind"] == "pilkada"
    assert response.headers["ETag"] != etag
    db.session.expire_all()
    stored = db.session.get(Case, case.id)
    assert (stored.title, stored.desa, stored.kecamatan) == ("Judul baru", "Ketaping", "Manna")
    assert response.headers["ETag"] == f'"{stored.version}"'
    (updated,) = events_of(case.id, "case.updated")
    assert set(updated.data["after"]) == {
        "title",
        "desa",
        "violation_types",
        "election",
        "election_kind",
    }


def test_an_edit_without_if_match_is_428_and_a_stale_one_412(world, client, headers_for):
    case = new_case(world)
    db.session.commit()
    headers = headers_for(world.coordinator)
    before = row_counts()
    assert_problem(client.patch(f"{URL}/{case.id}", json={"title": "X"}, headers=headers), 428)
    stale = {**headers, "If-Match": '"999"'}
    assert_problem(client.patch(f"{URL}/{case.id}", json={"title": "X"}, headers=stale), 412)
    assert row_counts() == before
    db.session.expire_all()
    assert db.session.get(Case, case.id).title != "X"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"stage": "closed"}, "stage"),
        ({"holder_agency_id": "x"}, "holder_agency_id"),
        ({"source": "finding"}, "source"),
        ({"title": "X", "register_number": "1"}, "register_number"),
        ({"violation_types": ["bribery"]}, "violation_types"),
        ({"title": None}, "title"),
        ({"category": 3}, "category"),
    ],
)
def test_an_edit_of_a_field_that_is_not_editable_is_422_and_writes_nothing(
    world, client, headers_for, changes, field
):
    case = new_case(world)
    db.session.commit()
    etag = _etag(client, headers_for, world, case.id)
    before = row_counts()
    response = client.patch(
        f"{URL}/{case.id}",
        json=changes,
        headers=headers_for(world.coordinator, **{"If-Match": etag}),
    )
    assert field in assert_problem(response, 422)["errors"]
    assert row_counts() == before
    db.session.expire_all()
    assert db.session.get(Case, case.id).title != "X"


@pytest.mark.parametrize("name", ["BAWASLU", "INSPEKTORAT", "TNI"])
def test_only_the_holder_and_coordinators_edit(world, client, headers_for, name):
    case = held_by_bkdpsdm_pending_to_inspektorat(world)
    etag = _etag(client, headers_for, world, case.id)
    before = row_counts()
    response = client.patch(
        f"{URL}/{case.id}",
        json={"title": "X"},
        headers=headers_for(world.liaisons[name], **{"If-Match": etag}),
    )
    assert_problem(response, 403)
    assert row_counts() == before


# --- stages ----------------------------------------------------------------------------------


def stage(client, headers_for, user, case_id, **body):
    extra = {"If-Match": body.pop("if_match")} if "if_match" in body else {}
    return client.post(f"{URL}/{case_id}/stage", json=body, headers=headers_for(user, **extra))


def test_the_holder_moves_a_case_along_the_stage_table(world, client, headers_for):
    case = new_case(world)
    db.session.commit()
    bawaslu = world.liaisons["BAWASLU"]
    response = stage(client, headers_for, bawaslu, case.id, stage="examination", note="Klarifikasi")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["stage"] == "examination"
    assert response.headers["ETag"] == '"2"'
    db.session.expire_all()
    assert db.session.get(Case, case.id).stage == "examination"
    (changed,) = events_of(case.id, "case.stage_changed")
    assert changed.data["note"] == "Klarifikasi"


def test_an_invalid_transition_is_409_naming_the_allowed_stages(world, client, headers_for):
    case = new_case(world)
    db.session.commit()
    before = row_counts()
    response = stage(client, headers_for, world.coordinator, case.id, stage="closed")
    body = assert_problem(response, 409, "invalid_transition")
    assert body["allowed"] == ["examination", "dismissed"]
    assert row_counts() == before


def test_a_dismissal_needs_a_reason(world, client, headers_for):
    case = new_case(world)
    db.session.commit()
    before = row_counts()
    response = stage(client, headers_for, world.coordinator, case.id, stage="dismissed")
    assert (
        "dismissal_reason" in assert_problem(response, 422, "dismissal_reason_required")["errors"]
    )
    assert row_counts() == before
    response = stage(
        client,
        headers_for,
        world.coordinator,
        case.id,
        stage="dismissed",
        dismissal_reason="insufficient_evidence",
    )
    assert response.get_json()["dismissal_reason"] == "insufficient_evidence"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"stage": "archived"}, "stage"),
        ({}, "stage"),
        ({"stage": "dismissed", "dismissal_reason": "boring"}, "dismissal_reason"),
        ({"stage": "examination", "holder": "TNI"}, "holder"),
        ({"stage": ["examination"]}, "stage"),
    ],
)
def test_bad_stage_changes_are_422_and_write_nothing(world, client, headers_for, body, field):
    case = new_case(world)
    db.session.commit()
    before = row_counts()
    response = stage(client, headers_for, world.coordinator, case.id, **body)
    assert field in assert_problem(response, 422)["errors"]
    assert row_counts() == before


def test_a_stage_change_checks_if_match_when_given(world, client, headers_for):
    case = new_case(world)
    db.session.commit()
    before = row_counts()
    stale = stage(
        client, headers_for, world.coordinator, case.id, stage="examination", if_match='"7"'
    )
    assert_problem(stale, 412)
    assert row_counts() == before
    fresh = stage(
        client, headers_for, world.coordinator, case.id, stage="examination", if_match='"1"'
    )
    assert fresh.status_code == 200


def test_a_non_holder_cannot_move_the_case(world, client, headers_for):
    case = held_by_bkdpsdm_pending_to_inspektorat(world)
    before = row_counts()
    for name in ("BAWASLU", "INSPEKTORAT", "KEJARI"):
        response = stage(client, headers_for, world.liaisons[name], case.id, stage="examination")
        assert_problem(response, 403)
    assert row_counts() == before


# --- history ---------------------------------------------------------------------------------


def test_history_lists_changes_oldest_first_with_actor_and_agency(world, client, headers_for):
    case = held_by_bkdpsdm_pending_to_inspektorat(world)
    client.get(f"{URL}/{case.id}", headers=headers_for(world.coordinator))  # a logged read
    response = client.get(f"{URL}/{case.id}/history", headers=headers_for(world.coordinator))
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [i["type"] for i in items] == [
        "case.created",
        "handoff.started",
        "handoff.accepted",
        "handoff.started",
    ]
    assert [i["seq"] for i in items] == sorted(i["seq"] for i in items)
    accepted = items[2]
    assert accepted["actor"]["id"] == str(world.liaisons["BKDPSDM"].id)
    assert accepted["agency"]["kind"] == "BKDPSDM"
    assert accepted["changed"] == ["holder_agency_id"]
    assert accepted["after"] == {"holder_agency_id": str(world.agencies["BKDPSDM"].id)}
    assert items[0]["after"]["subjects"][0]["name"] == "Budi Santoso"
    # The history showed the subjects' identity: that read is logged too.
    assert [r.fields for r in reads_of(case.id)] == [["reporter", "subjects"], ["subjects"]]


def test_history_is_paginated(world, client, headers_for):
    case = held_by_bkdpsdm_pending_to_inspektorat(world)
    headers = headers_for(world.coordinator)
    first = client.get(f"{URL}/{case.id}/history?limit=3", headers=headers).get_json()
    rest = client.get(
        f"{URL}/{case.id}/history?limit=3&cursor={first['next_cursor']}", headers=headers
    ).get_json()
    assert [i["type"] for i in first["items"] + rest["items"]][-1] == "handoff.started"
    assert len(first["items"]) == 3
    assert len(rest["items"]) == 1
    assert rest["next_cursor"] is None


def test_a_redacted_viewer_sees_what_happened_but_no_values(world, client, headers_for):
    case = held_by_bkdpsdm_pending_to_inspektorat(world)
    response = client.get(f"{URL}/{case.id}/history", headers=headers_for(world.liaisons["TNI"]))
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert len(items) == 4
    assert all(i["before"] is None and i["after"] is None and i["details"] is None for i in items)
    assert "Budi" not in response.get_data(as_text=True)
    assert "subjects" in items[0]["changed"]
    assert reads_of(case.id) == []


def test_history_of_another_pokjas_case_is_404(world, client, headers_for):
    case = new_case(world)
    db.session.commit()
    response = client.get(f"{URL}/{case.id}/history", headers=headers_for(world.other_coordinator))
    assert_problem(response, 404)
