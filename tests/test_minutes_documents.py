"""The minutes document (notulen) of a closed meeting, in JSON, Markdown, HTML and DOCX:
attendance, the items with their minutes, the decisions with owners and dates, and the audit
chain's head at closing (DESIGN §7)."""

from __future__ import annotations

import io

import docx
import pytest

from pokja.time import clock
from tests.factories import assert_problem, new_case
from tests.test_meetings_api import DURING, attend_all, create, decide, step


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: DURING)


@pytest.fixture
def sec(world, headers_for):
    return headers_for(world.secretary)


@pytest.fixture
def closed(world, client, sec, frozen):
    """A closed meeting with an item on a case TNI is not involved in, minutes and decisions."""
    case = new_case(world, title="Camat memasang baliho calon")
    meeting = create(client, sec)
    mid = meeting["id"]
    item = client.post(
        f"/api/v1/meetings/{mid}/agenda-items",
        json={"title": "Klarifikasi camat Budi Santoso", "case_id": str(case.id)},
        headers=sec,
    ).get_json()
    step(client, sec, mid, "schedule")
    step(client, sec, mid, "start")
    attend_all(client, sec, world, mid)
    client.put(
        f"/api/v1/meetings/{mid}/minutes",
        json={"minutes": "Rapat dibuka pukul 09.05."},
        headers=sec,
    )
    client.put(
        f"/api/v1/meetings/{mid}/agenda-items/{item['id']}/minutes",
        json={"minutes": "BKPSDM memanggil camat."},
        headers=sec,
    )
    decide(
        client,
        sec,
        mid,
        {
            "text": "BKPSDM memeriksa camat.",
            "owner_agency_id": str(world.agencies["BKDPSDM"].id),
            "due_on": "2024-03-20",
            "case_id": str(case.id),
        },
    )
    decide(
        client,
        sec,
        mid,
        {
            "text": "Semua instansi hadir rapat berikut.",
            "owner_agency_id": str(world.agencies["TNI"].id),
            "due_on": "2024-03-27",
        },
    )
    return step(client, sec, mid, "close")


def minutes_text(client, headers, meeting_id, fmt):
    response = client.get(f"/api/v1/meetings/{meeting_id}/minutes?format={fmt}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    if fmt != "docx":
        return response.get_data(as_text=True)
    document = docx.Document(io.BytesIO(response.get_data()))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_minutes_before_closing_are_a_conflict(world, client, sec, frozen):
    meeting = create(client, sec)
    assert_problem(
        client.get(f"/api/v1/meetings/{meeting['id']}/minutes", headers=sec),
        409,
        "meeting_not_closed",
    )


def test_the_minutes_json_carries_attendance_items_decisions_and_the_chain_head(
    closed, client, sec
):
    body = client.get(f"/api/v1/meetings/{closed['id']}/minutes", headers=sec).get_json()
    assert body["chain_head"] == closed["chain_head"]
    assert {i["attendance"] for i in body["meeting"]["invited"]} == {"present"}
    assert body["minutes"] == "Rapat dibuka pukul 09.05."
    manual = next(s for s in body["sections"] if s["key"] == "manual_items")
    assert manual["items"][0]["text"]["minutes"] == "BKPSDM memanggil camat."
    assert [(d["text"], d["due_on"]) for d in body["decisions"]] == [
        ("BKPSDM memeriksa camat.", "2024-03-20"),
        ("Semua instansi hadir rapat berikut.", "2024-03-27"),
    ]


@pytest.mark.parametrize("fmt", ["markdown", "html", "docx"])
def test_the_minutes_document_in_each_format(closed, world, client, sec, fmt):
    text = minutes_text(client, sec, closed["id"], fmt)
    for expected in (
        "Notulen Rapat Koordinasi",
        "Rabu, 13 Maret 2024, pukul 09.00 WIB",
        "Daftar hadir",
        "Hadir",
        "Ketua Bawaslu",
        "BKPSDM memanggil camat.",
        "Rapat dibuka pukul 09.05.",
        "BKPSDM memeriksa camat.",
        "20 Maret 2024",
        world.agencies["BKDPSDM"].name,
        str(closed["chain_head"]["seq"]),
        closed["chain_head"]["hash"],
    ):
        assert expected in text, (fmt, expected)


@pytest.mark.parametrize("fmt", ["json", "markdown", "html", "docx"])
def test_a_tni_liaisons_minutes_leave_out_the_case_it_is_not_in(
    closed, world, client, headers_for, fmt
):
    text = minutes_text(client, headers_for(world.liaisons["TNI"]), closed["id"], fmt)
    for secret in (
        "Camat memasang baliho",
        "Budi Santoso",
        "BKPSDM memanggil camat",
        "BKPSDM memeriksa camat",
    ):
        assert secret not in text, (fmt, secret)
    # The decision of no case, and the record itself, are everyone's.
    assert "Semua instansi hadir rapat berikut." in text
    assert closed["chain_head"]["hash"] in text


def test_the_json_minutes_match_their_documented_schema(closed, world, client, headers_for):
    from pokja.api.schemas.agenda import MinutesDocumentSchema

    for reader in (world.secretary, world.liaisons["TNI"]):
        url = f"/api/v1/meetings/{closed['id']}/minutes"
        body = client.get(url, headers=headers_for(reader)).get_json()
        assert MinutesDocumentSchema().validate(body) == {}
