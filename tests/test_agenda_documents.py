"""The agenda's formats (DESIGN §7): the same redaction in JSON, Markdown, HTML and DOCX,
iCalendar read back with ``icalendar``, DOCX with ``python-docx``, dates by Babel."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import docx
import icalendar
import pytest

from pokja.extensions import db
from pokja.meetings.render import dates
from pokja.models import AgendaItem
from tests import agenda_data

TEXT_FORMATS = ("json", "markdown", "html", "docx")


@pytest.fixture
def data(world, monkeypatch):
    data = agenda_data.build(world, monkeypatch)
    # A manual item on a case TNI has nothing to do with, naming its subject.
    db.session.add(
        AgendaItem(
            pokja_id=world.pokja.id,
            meeting_id=data.meeting.id,
            position=1,
            title="Klarifikasi Budi Santoso",
            notes="Guru mengunggah dukungan: undang kepala sekolah",
            case_id=data.cases["old"].id,
            presenter_agency_id=world.agencies["BAWASLU"].id,
            planned_minutes=15,
        )
    )
    db.session.commit()
    return data


def text_of(response, fmt):
    assert response.status_code == 200, response.get_data(as_text=True)
    if fmt != "docx":
        return response.get_data(as_text=True)
    document = docx.Document(io.BytesIO(response.get_data()))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def personal(data, key):
    from sqlalchemy import select

    from pokja.models import Subject

    case = data.cases[key]
    subjects = db.session.execute(
        select(Subject.name, Subject.identifier).where(Subject.case_id == case.id)
    ).all()
    return [case.title, *(s.name for s in subjects), *(s.identifier for s in subjects)]


def documents(client, headers, meeting_id):
    url = f"/api/v1/meetings/{meeting_id}/agenda"
    return {
        fmt: text_of(client.get(f"{url}?format={fmt}", headers=headers), fmt)
        for fmt in TEXT_FORMATS
    }


UNINVOLVED_FOR_TNI = ("old", "declined", "fresh", "recommended", "recommended_2")


@pytest.mark.parametrize("frozen", [False, True], ids=["live", "frozen"])
def test_a_tni_liaison_sees_no_name_identifier_or_title_of_cases_tni_is_not_in(
    data, client, headers_for, frozen
):
    world = data.world
    if frozen:
        response = client.post(
            f"/api/v1/meetings/{data.meeting.id}/schedule", headers=headers_for(world.secretary)
        )
        assert response.status_code == 200, response.get_data(as_text=True)
    tni = documents(client, headers_for(world.liaisons["TNI"]), data.meeting.id)
    secretary = documents(client, headers_for(world.secretary), data.meeting.id)
    for fmt in TEXT_FORMATS:
        for key in UNINVOLVED_FOR_TNI:
            case = data.cases[key]
            # Listed, as a summary: its register number is there ...
            assert case.register_number in tni[fmt], (fmt, key)
            for secret in personal(data, key):
                assert secret not in tni[fmt], (fmt, key, secret)
        # ... and the texts that go with those cases are not.
        for text in (
            "Terlapor bukan anggota Polri",
            "Rekomendasi sanksi",
            "Klarifikasi Budi",
            "undang kepala",
        ):
            assert text not in tni[fmt], (fmt, text)
            assert text in secretary[fmt], (fmt, text)
        # The secretary sees every case in full; TNI sees its own.
        assert data.cases["old"].title in secretary[fmt]
        assert "Budi Santoso" in secretary[fmt]
        assert data.cases["tni"].title in tni[fmt]
        assert "Serda Hasan" in tni[fmt]


def test_a_viewer_gets_every_case_redacted(data, client, headers_for):
    viewer = documents(client, headers_for(data.world.viewer), data.meeting.id)
    for key in data.cases:
        for secret in personal(data, key):
            assert secret not in viewer["markdown"], (key, secret)


def test_html_is_one_escaped_self_contained_a4_page(data, client, headers_for):
    data.cases["fresh"].title = "<script>alert('x')</script> & co"
    db.session.commit()
    response = client.get(
        f"/api/v1/meetings/{data.meeting.id}/agenda?format=html",
        headers=headers_for(data.world.secretary),
    )
    page = response.get_data(as_text=True)
    assert page.startswith("<!DOCTYPE html>")
    assert "@page { size: A4" in page
    assert "<style>" in page
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co" in page
    for external in ("<link", "src=", "http://", "https://", "@import"):
        assert external not in page


def test_markdown_escapes_the_users_text(data, client, headers_for):
    data.cases["fresh"].title = "**tebal** [tautan](x) <b>"
    db.session.commit()
    response = client.get(
        f"/api/v1/meetings/{data.meeting.id}/agenda?format=markdown",
        headers=headers_for(data.world.secretary),
    )
    text = response.get_data(as_text=True)
    assert r"\*\*tebal\*\* \[tautan\](x) \<b\>" in text


def _meeting(client, headers, **fields):
    body = {
        "title": "Rapat Koordinasi Pokja Netralitas",
        "starts_at": "2023-12-13T09:00:00+07:00",
        "ends_at": "2023-12-13T12:00:00+07:00",
        "place": "Media center Bawaslu Bengkulu Selatan",
        **fields,
    }
    response = client.post("/api/v1/meetings", json=body, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def _event(client, headers, meeting_id):
    response = client.get(f"/api/v1/meetings/{meeting_id}.ics", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.get_data())
    assert [c.name for c in calendar.walk("VTIMEZONE")] == ["VTIMEZONE"]
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_icalendar_event_in_the_pokjas_zone_with_a_growing_sequence_and_cancel(
    world, client, headers_for
):
    headers = headers_for(world.secretary)
    meeting = _meeting(client, headers)
    calendar, event = _event(client, headers, meeting["id"])
    start = event.decoded("dtstart")
    assert (start.hour, start.minute) == (9, 0)
    assert event["dtstart"].params["TZID"] == "Asia/Jakarta"
    assert str(calendar.walk("VTIMEZONE")[0]["TZID"]) == "Asia/Jakarta"
    assert event["uid"] == f"meeting-{meeting['id']}@pokja"
    assert int(event["sequence"]) == 0
    assert str(event["location"]) == "Media center Bawaslu Bengkulu Selatan"
    assert "1. Perkara baru sejak rapat sebelumnya" in str(event["description"])

    url = f"/api/v1/meetings/{meeting['id']}"
    assert client.post(f"{url}/schedule", headers=headers).status_code == 200
    etag = client.get(url, headers=headers).headers["ETag"]
    moved = client.patch(
        url,
        json={"starts_at": "2023-12-14T10:00:00+07:00", "ends_at": "2023-12-14T12:00:00+07:00"},
        headers={**headers, "If-Match": etag},
    )
    assert moved.status_code == 200, moved.get_data(as_text=True)
    _, event = _event(client, headers, meeting["id"])
    assert int(event["sequence"]) == 1
    assert event.decoded("dtstart").hour == 10
    assert str(event["status"]) == "CONFIRMED"

    cancelled = client.post(f"{url}/cancel", json={"reason": "Banjir"}, headers=headers)
    assert cancelled.status_code == 200, cancelled.get_data(as_text=True)
    calendar, event = _event(client, headers, meeting["id"])
    assert str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) >= 1
    assert event["uid"] == f"meeting-{meeting['id']}@pokja"
    assert str(calendar["method"]) == "CANCEL"


def test_docx_reopened_shows_the_indonesian_date_line(world, client, headers_for):
    headers = headers_for(world.secretary)
    meeting = _meeting(client, headers)
    response = client.get(f"/api/v1/meetings/{meeting['id']}/agenda?format=docx", headers=headers)
    assert response.headers["Content-Disposition"] == 'attachment; filename="rakor-2023-12-13.docx"'
    text = text_of(response, "docx")
    assert "Rabu, 13 Desember 2023, pukul 09.00 WIB" in text
    assert "Hari/tanggal\t: Rabu, 13 Desember 2023" in text
    assert "Waktu\t: pukul 09.00–12.00 WIB" in text
    assert "Tempat\t: Media center Bawaslu Bengkulu Selatan" in text
    assert "Acara" in text
    for agency in world.agencies.values():  # every member agency is invited by default
        assert agency.name in text


def test_english_on_request(world, client, headers_for):
    headers = headers_for(world.secretary)
    meeting = _meeting(client, headers)
    url = f"/api/v1/meetings/{meeting['id']}/agenda?format=markdown"
    english = client.get(url + "&lang=en", headers=headers).get_data(as_text=True)
    assert "Wednesday, 13 December 2023, 09:00 WIB" in english
    by_header = client.get(url, headers={**headers, "Accept-Language": "en-GB,en;q=0.8"})
    assert "Coordination Meeting Agenda" in by_header.get_data(as_text=True)
    assert "Agenda Rapat Koordinasi" in client.get(url, headers=headers).get_data(as_text=True)


@pytest.mark.parametrize(
    ("zone", "indonesian", "english"),
    [
        (
            "Asia/Jakarta",
            "Rabu, 13 Desember 2023, pukul 09.00 WIB",
            "Wednesday, 13 December 2023, 09:00 WIB",
        ),
        (
            "Asia/Pontianak",
            "Rabu, 13 Desember 2023, pukul 09.00 WIB",
            "Wednesday, 13 December 2023, 09:00 WIB",
        ),
        (
            "Asia/Makassar",
            "Rabu, 13 Desember 2023, pukul 10.00 WITA",
            "Wednesday, 13 December 2023, 10:00 WITA",
        ),
        (
            "Asia/Jayapura",
            "Rabu, 13 Desember 2023, pukul 11.00 WIT",
            "Wednesday, 13 December 2023, 11:00 WIT",
        ),
    ],
)
def test_babel_writes_the_date_line_in_each_zone(zone, indonesian, english):
    moment = datetime(2023, 12, 13, 2, 0, tzinfo=UTC)
    assert dates.date_line(moment, zone, "id") == indonesian
    assert dates.date_line(moment, zone, "en") == english


def test_the_local_day_is_the_pokjas_not_utcs():
    # 16:30 UTC on 12 December is already 13 December in Jayapura (WIT, UTC+9).
    moment = datetime(2023, 12, 12, 16, 30, tzinfo=UTC)
    assert dates.day(moment, "Asia/Jayapura", "id") == "Rabu, 13 Desember 2023"
    assert dates.day(moment, "Asia/Jakarta", "id") == "Selasa, 12 Desember 2023"
    assert dates.time_range(moment, moment, "Asia/Makassar", "en") == "00:30–00:30 WITA"
