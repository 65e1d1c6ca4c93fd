"""The agenda through the API (DESIGN §7): live while a draft, frozen at `schedule`,
re-frozen by a refresh while scheduled, the same statements for 10 cases as for 500."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pokja.extensions import db
from pokja.models import Meeting
from tests import agenda_data
from tests.agenda_data import NOW
from tests.factories import assert_problem, new_case


@pytest.fixture
def data(world, monkeypatch):
    return agenda_data.build(world, monkeypatch)


def agenda(client, headers, meeting_id, **query):
    response = client.get(
        f"/api/v1/meetings/{meeting_id}/agenda", headers=headers, query_string=query
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def new_case_ids(body):
    section = next(s for s in body["sections"] if s["key"] == "new_cases")
    return [i["case_id"] for i in section["items"]]


def test_a_draft_agenda_is_live(data, client, headers_for, monkeypatch):
    headers = headers_for(data.world.secretary)
    before = agenda(client, headers, data.meeting.id).get_json()
    assert before["frozen"] is False
    later = new_case(data.world, title="Perkara sesudahnya")
    db.session.commit()
    after = agenda(client, headers, data.meeting.id).get_json()
    assert str(later.id) in new_case_ids(after)
    assert str(later.id) not in new_case_ids(before)


def test_schedule_freezes_the_agenda_and_refresh_adds_what_came_since(
    data, client, headers_for, monkeypatch
):
    world = data.world
    headers = headers_for(world.secretary)
    url = f"/api/v1/meetings/{data.meeting.id}"
    response = client.post(f"{url}/schedule", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    frozen = agenda(client, headers, data.meeting.id).get_json()
    assert frozen["frozen"] is True
    assert set(new_case_ids(frozen)) == {str(data.cases["tni"].id), str(data.cases["fresh"].id)}

    agenda_data.at(datetime(2024, 3, 4, 4, 0, tzinfo=UTC), monkeypatch)
    later = new_case(world, title="Perkara sesudah dijadwalkan")
    db.session.commit()
    still = agenda(client, headers, data.meeting.id).get_json()
    assert str(later.id) not in new_case_ids(still)
    assert still["generated_at"] == frozen["generated_at"]

    refreshed = client.post(f"{url}/agenda/refresh", headers=headers)
    assert refreshed.status_code == 200, refreshed.get_data(as_text=True)
    assert str(later.id) in new_case_ids(refreshed.get_json())
    assert str(later.id) in new_case_ids(agenda(client, headers, data.meeting.id).get_json())
    stored = db.session.get(Meeting, data.meeting.id)
    db.session.refresh(stored)
    assert stored.agenda_frozen_at == datetime(2024, 3, 4, 4, 0, tzinfo=UTC)


def test_refresh_is_a_conflict_unless_the_meeting_is_scheduled(data, client, headers_for):
    headers = headers_for(data.world.secretary)
    url = f"/api/v1/meetings/{data.meeting.id}/agenda/refresh"
    assert_problem(client.post(url, headers=headers), 409)
    assert db.session.get(Meeting, data.meeting.id).agenda_snapshot is None
    assert (
        client.post(f"/api/v1/meetings/{data.meeting.id}/start", headers=headers).status_code == 409
    )


def test_refresh_is_the_secretarys_or_coordinators(data, client, headers_for):
    url = f"/api/v1/meetings/{data.meeting.id}/agenda/refresh"
    assert_problem(client.post(url, headers=headers_for(data.world.liaisons["BAWASLU"])), 403)
    assert_problem(client.post(url, headers=headers_for(data.world.other_coordinator)), 404)


def test_an_unknown_format_is_a_406_problem(data, client, headers_for):
    headers = headers_for(data.world.secretary)
    url = f"/api/v1/meetings/{data.meeting.id}/agenda"
    body = assert_problem(client.get(url + "?format=pdf", headers=headers), 406)
    assert body["code"] == "format_not_available"
    assert_problem(client.get(url, headers={**headers, "Accept": "application/pdf"}), 406)
    # The minutes come in no iCalendar.
    minutes = f"/api/v1/meetings/{data.previous.id}/minutes?format=ics"
    assert_problem(client.get(minutes, headers=headers), 406)


@pytest.mark.parametrize(
    ("query", "accept", "media_type", "name"),
    [
        ({}, None, "application/json", "rakor-2024-03-05.json"),
        ({"format": "markdown"}, None, "text/markdown", "rakor-2024-03-05.md"),
        ({}, "text/markdown", "text/markdown", "rakor-2024-03-05.md"),
        ({}, "text/html", "text/html", "rakor-2024-03-05.html"),
        ({"format": "ics"}, None, "text/calendar", "rakor-2024-03-05.ics"),
        (
            {"format": "docx"},
            None,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "rakor-2024-03-05.docx",
        ),
    ],
)
def test_formats_by_format_or_accept_named_after_the_meeting_day(
    data, client, headers_for, query, accept, media_type, name
):
    headers = headers_for(data.world.secretary)
    if accept:
        headers["Accept"] = accept
    response = agenda(client, headers, data.meeting.id, **query)
    assert response.mimetype == media_type
    assert f'filename="{name}"' in response.headers["Content-Disposition"]


def test_the_agenda_is_built_from_the_same_statements_for_10_and_500_open_cases(
    world, client, headers_for, count_queries, monkeypatch
):
    agenda_data.at(NOW, monkeypatch)
    meeting_id = agenda_data.meeting(world, agenda_data.STARTS).id
    db.session.commit()
    headers = headers_for(world.secretary)
    ids = {"pokja": world.pokja.id, **{k: world.agencies[k].id for k in ("BAWASLU", "BKDPSDM")}}
    counts = []
    for n in (10, 490):
        agenda_data.bulk_cases(
            ids, n, datetime(2024, 3, 1, 2, 0, tzinfo=UTC), start=1000 + len(counts) * 10
        )
        with count_queries() as statements:
            body = agenda(client, headers, meeting_id).get_json()
        counts.append(len(statements))
        assert len(new_case_ids(body)) == (10 if n == 10 else 500)
    assert counts[0] == counts[1], counts


def test_the_json_agenda_matches_its_documented_schema(data, client, headers_for):
    from pokja.api.schemas.agenda import AgendaSchema

    for reader in (data.world.secretary, data.world.liaisons["TNI"], data.world.viewer):
        body = agenda(client, headers_for(reader), data.meeting.id).get_json()
        assert AgendaSchema().validate(body) == {}
