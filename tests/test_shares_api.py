"""Shares (tembusan) through the HTTP API: read access for another agency, revocable."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from pokja.access.scopes import can_see_full
from pokja.extensions import db
from pokja.handoffs.lifecycle import accept_handoff
from pokja.models import Case, Event, Share
from tests.factories import hand_off, new_case
from tests.test_handoffs_api import assert_problem, committed_case, snapshot


def shares_url(case, share_id=None):
    url = f"/api/v1/cases/{case.id}/shares"
    return f"{url}/{share_id}" if share_id else url


def share_body(world, kind="KEJARI", reason="Sentra Gakkumdu: dugaan tindak pidana pemilu."):
    return {"agency_id": str(world.agencies[kind].id), "reason": reason}


def grant(client, headers_for, world, case, actor=None, kind="KEJARI"):
    response = client.post(
        shares_url(case),
        json=share_body(world, kind),
        headers=headers_for(actor or world.liaisons["BAWASLU"]),
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def listed(client, headers, case, **query):
    response = client.get(shares_url(case), query_string=query, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["items"]


def sees_full(world, kind, case):
    db.session.expire_all()
    return can_see_full(db.session, world.liaisons[kind], db.session.get(Case, case.id))


def reads_in_full(client, headers, case):
    """What the case API shows the caller: the full case or a redacted summary."""
    response = client.get(f"/api/v1/cases/{case.id}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["redacted"] is False


def test_a_share_gives_full_read_access_until_revoked(client, world, headers_for):
    case = committed_case(world)
    kejari = world.liaisons["KEJARI"]
    assert not sees_full(world, "KEJARI", case)
    assert not reads_in_full(client, headers_for(kejari), case)
    share = grant(client, headers_for, world, case)
    assert share["agency_id"] == str(world.agencies["KEJARI"].id)
    assert share["case_id"] == str(case.id)
    assert share["active"] is True
    assert share["granted_by_id"] == str(world.liaisons["BAWASLU"].id)
    assert sees_full(world, "KEJARI", case)
    assert reads_in_full(client, headers_for(kejari), case)
    assert not sees_full(world, "POLRI", case)
    assert [s["id"] for s in listed(client, headers_for(kejari), case)] == [share["id"]]

    response = client.delete(
        shares_url(case, share["id"]), headers=headers_for(world.liaisons["BAWASLU"])
    )
    assert response.status_code == 204
    assert response.get_data() == b""
    assert not sees_full(world, "KEJARI", case)
    assert not reads_in_full(client, headers_for(kejari), case)
    coordinator = headers_for(world.coordinator)
    assert listed(client, coordinator, case) == []
    [revoked] = listed(client, coordinator, case, include_revoked="true")
    assert revoked["active"] is False
    assert revoked["revoked_by_id"] == str(world.liaisons["BAWASLU"].id)
    types = db.session.scalars(
        sa.select(Event.type)
        .where(Event.case_id == case.id, Event.type.like("case.shar%"))
        .order_by(Event.seq)
    ).all()
    assert types == ["case.shared", "case.share_revoked"]


def test_the_holder_after_a_handoff_shares_and_the_former_holder_does_not(
    client, world, headers_for
):
    case = new_case(world)
    accept_handoff(db.session, world.liaisons["BKDPSDM"], hand_off(world, case))
    db.session.commit()
    grant(client, headers_for, world, case, world.liaisons["BKDPSDM"], "INSPEKTORAT")
    before = snapshot(case)
    response = client.post(
        shares_url(case),
        json=share_body(world, "POLRI"),
        headers=headers_for(world.liaisons["BAWASLU"]),
    )
    assert_problem(response, 403, "forbidden")
    assert snapshot(case) == before


def test_a_coordinator_shares_and_revokes(client, world, headers_for):
    case = committed_case(world)
    share = grant(client, headers_for, world, case, world.coordinator, "POLRI")
    response = client.delete(shares_url(case, share["id"]), headers=headers_for(world.coordinator))
    assert response.status_code == 204


@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("BKDPSDM", 403),  # sees the case only as a redacted summary
        ("KEJARI", 403),
        ("secretary", 403),
        ("viewer", 403),
        ("admin", 403),
        ("other_coordinator", 404),
    ],
)
def test_only_the_holder_or_a_coordinator_shares(client, world, headers_for, caller, status):
    case = committed_case(world)
    user = world.liaisons.get(caller) or getattr(world, caller)
    before = snapshot(case)
    response = client.post(shares_url(case), json=share_body(world), headers=headers_for(user))
    assert_problem(response, status)
    assert snapshot(case) == before


@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("coordinator", 200),
        ("secretary", 200),
        ("BAWASLU", 200),
        ("KEJARI", 200),  # the agency the case is shared with
        ("POLRI", 403),  # a redacted summary: whom it is shared with is not for it
        ("viewer", 403),
        ("admin", 404),
        ("other_coordinator", 404),
    ],
)
def test_who_lists_a_cases_shares(client, world, headers_for, caller, status):
    case = committed_case(world)
    grant(client, headers_for, world, case)
    user = world.liaisons.get(caller) or getattr(world, caller)
    response = client.get(shares_url(case), headers=headers_for(user))
    assert response.status_code == status
    if status != 200:
        assert_problem(response, status)


@pytest.mark.parametrize(
    ("caller", "status"),
    [("KEJARI", 403), ("BKDPSDM", 403), ("viewer", 403), ("other_coordinator", 404)],
)
def test_only_the_holder_or_a_coordinator_revokes(client, world, headers_for, caller, status):
    case = committed_case(world)
    share = grant(client, headers_for, world, case)
    before = snapshot(case)
    user = world.liaisons.get(caller) or getattr(world, caller)
    response = client.delete(shares_url(case, share["id"]), headers=headers_for(user))
    assert_problem(response, status)
    assert snapshot(case) == before
    assert sees_full(world, "KEJARI", case)


def _foreign_agency(world):
    return {"agency_id": str(world.other_agency.id)}


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        (lambda w: {"agency_id": str(w.agencies["BAWASLU"].id)}, 422, "share_to_holder"),
        (_foreign_agency, 422, "unknown_agency"),
        (lambda w: {"agency_id": str(uuid.uuid4())}, 422, "unknown_agency"),
        (lambda w: {"agency_id": "KEJARI"}, 422, "validation_error"),
        (lambda w: {"reason": ""}, 422, "validation_error"),
        (lambda w: {"reason": None}, 422, "validation_error"),
        (lambda w: {"revoked_at": "2024-03-01T00:00:00+07:00"}, 422, "validation_error"),
    ],
)
def test_a_refused_share_writes_nothing(client, world, headers_for, change, status, code):
    case = committed_case(world)
    before = snapshot(case)
    response = client.post(
        shares_url(case),
        json={**share_body(world), **change(world)},
        headers=headers_for(world.liaisons["BAWASLU"]),
    )
    assert_problem(response, status, code)
    assert snapshot(case) == before


def test_a_second_share_with_the_same_agency_is_a_conflict(client, world, headers_for):
    case = committed_case(world)
    grant(client, headers_for, world, case)
    before = snapshot(case)
    response = client.post(
        shares_url(case), json=share_body(world), headers=headers_for(world.coordinator)
    )
    assert_problem(response, 409, "already_shared")
    assert snapshot(case) == before


def test_revoking_twice_is_a_conflict_and_writes_nothing(client, world, headers_for):
    case = committed_case(world)
    share = grant(client, headers_for, world, case)
    headers = headers_for(world.liaisons["BAWASLU"])
    assert client.delete(shares_url(case, share["id"]), headers=headers).status_code == 204
    before = snapshot(case)
    assert_problem(
        client.delete(shares_url(case, share["id"]), headers=headers), 409, "share_revoked"
    )
    assert snapshot(case) == before
    # After a revoke, the agency may be given a new share.
    grant(client, headers_for, world, case)


def test_a_share_of_another_case_or_an_unknown_one_is_not_found(client, world, headers_for):
    case, other_case = committed_case(world), committed_case(world)
    share = grant(client, headers_for, world, other_case)
    before = snapshot()
    headers = headers_for(world.coordinator)
    for share_id in (share["id"], uuid.uuid4()):
        assert_problem(client.delete(shares_url(case, share_id), headers=headers), 404)
    unknown = f"/api/v1/cases/{uuid.uuid4()}/shares"
    assert_problem(client.get(unknown, headers=headers), 404)
    assert_problem(client.post(unknown, json=share_body(world), headers=headers), 404)
    assert snapshot() == before
    assert db.session.get(Share, uuid.UUID(share["id"])).revoked_at is None
