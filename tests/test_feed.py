"""The changes feed: chain order, an always-present cursor, the case list's redaction
(DESIGN §5, §8)."""

from __future__ import annotations

import sqlalchemy as sa

from pokja.audit.access_log import digest_reads
from pokja.extensions import db
from pokja.models import PersonalDataRead, User
from tests.factories import case_data, hand_off, new_case

FEED = "/api/v1/events"
ENVELOPE = {"seq", "id", "type", "case_id", "register_number", "occurred_at", "redacted"}


def _page(client, headers, **params):
    response = client.get(FEED, query_string=params, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _all(client, headers, **params):
    items, cursor = [], None
    while True:
        page = _page(client, headers, limit=2, **params, **({"cursor": cursor} if cursor else {}))
        assert page["next_cursor"]
        items += page["items"]
        if not page["items"]:
            return items, page["next_cursor"]
        cursor = page["next_cursor"]


def test_the_feed_pages_in_chain_order_and_can_be_polled(client, headers_for, world):
    headers = headers_for(world.coordinator)
    first = new_case(world)
    db.session.commit()
    items, cursor = _all(client, headers)
    assert [i["seq"] for i in items] == sorted(i["seq"] for i in items)
    assert len({i["id"] for i in items}) == len(items)
    assert any(i["type"] == "case.created" and i["case_id"] == str(first.id) for i in items)
    # At the end the cursor stays where it was until something changes.
    again = _page(client, headers, cursor=cursor)
    assert again["items"] == []
    assert again["next_cursor"] == cursor
    second = new_case(world)
    db.session.commit()
    later = _page(client, headers, cursor=cursor)
    assert [(i["type"], i["case_id"]) for i in later["items"]] == [("case.created", str(second.id))]
    assert later["items"][0]["seq"] == items[-1]["seq"] + 1


def test_full_and_redacted_changes_per_role(client, headers_for, world):
    case = new_case(world, **{"subjects": case_data()["subjects"]})
    name = case_data()["subjects"][0]["name"]
    db.session.commit()
    coordinator = _page(client, headers_for(world.coordinator), type="case.created")["items"]
    [created] = [i for i in coordinator if i["case_id"] == str(case.id)]
    assert created["redacted"] is False
    assert created["register_number"] == case.register_number
    assert name in str(created["data"])
    for caller in (world.viewer, world.liaisons["KEJARI"]):
        response = client.get(FEED, headers=headers_for(caller))
        assert name.encode() not in response.data
        [envelope] = [i for i in response.get_json()["items"] if i["case_id"] == str(case.id)]
        assert set(envelope) == ENVELOPE
        assert envelope["redacted"] is True
        assert envelope["register_number"] == case.register_number
    # Another Pokja's changes do not exist for its callers.
    assert _page(client, headers_for(world.other_coordinator))["items"] == []


def test_an_agency_involved_in_a_case_reads_its_changes_in_full(client, headers_for, world):
    case = new_case(world)
    hand_off(world, case, "BKDPSDM")
    db.session.commit()
    items = _page(client, headers_for(world.liaisons["BKDPSDM"]), case_id=str(case.id))["items"]
    assert {i["type"] for i in items} >= {"case.created", "handoff.started"}
    assert all(i["redacted"] is False and "data" in i for i in items)


def test_personal_data_reads_are_not_changes(client, headers_for, world):
    case = new_case(world)
    db.session.commit()
    headers = headers_for(world.coordinator)
    assert client.get(f"/api/v1/cases/{case.id}", headers=headers).status_code == 200
    assert digest_reads(db.session) >= 1
    db.session.commit()
    types = {i["type"] for i in _all(client, headers)[0]}
    assert "case.created" in types
    assert not types & {"access_log.digested", "case.personal_data_viewed"}


def _reads(case):
    stmt = sa.select(sa.func.count()).where(PersonalDataRead.case_id == case.id)
    return db.session.scalar(stmt)


def test_a_page_naming_subjects_is_a_logged_read(client, headers_for, world):
    case = new_case(world)
    db.session.commit()
    _page(client, headers_for(world.viewer))
    assert _reads(case) == 0
    _page(client, headers_for(world.coordinator))
    assert _reads(case) == 1
    _page(client, headers_for(world.coordinator), type="case.updated")
    assert _reads(case) == 1


def test_filters_by_type_and_case(client, headers_for, world):
    one, two = new_case(world), new_case(world)
    hand_off(world, one, "BKDPSDM")
    db.session.commit()
    headers = headers_for(world.coordinator)
    by_case = _page(client, headers, case_id=str(two.id))["items"]
    assert {i["case_id"] for i in by_case} == {str(two.id)}
    by_type = _page(client, headers, type="handoff.started")["items"]
    assert [(i["type"], i["case_id"]) for i in by_type] == [("handoff.started", str(one.id))]


def test_bad_cursor_and_limit_are_problems(client, headers_for, world):
    headers = headers_for(world.coordinator)
    for cursor in ("not-a-cursor", "WzEwMDAwMDAwMDAwMDAwMF0", "WyJ4Il0"):
        response = client.get(FEED, query_string={"cursor": cursor}, headers=headers)
        assert response.status_code == 400, cursor
        assert response.mimetype == "application/problem+json"
    response = client.get(FEED, query_string={"limit": 0}, headers=headers)
    assert response.status_code == 422
    assert "limit" in str(response.get_json()["errors"])


def test_statements_do_not_grow_with_the_page(client, headers_for, world, count_queries):
    headers = headers_for(world.liaisons["KEJARI"])
    bawaslu_id = world.liaisons["BAWASLU"].id
    counts = []
    for _ in range(2):
        for _ in range(3):
            new_case(world, actor=db.session.get(User, bawaslu_id))
        db.session.commit()
        with count_queries() as statements:
            _page(client, headers, limit=200)
        counts.append(len(statements))
    assert counts[0] == counts[1] == 2  # authentication, the page
