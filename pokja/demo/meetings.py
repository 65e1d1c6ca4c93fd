"""The demo Pokja's meetings: the rakor of Wednesday 13 December 2023, 09.00 WIB, in the media
center of Bawaslu Bengkulu Selatan, closed with the six agencies' attendance and two decisions
(one done, one still open), and a draft next meeting whose agenda carries the open one over.

Played through the domain functions like the demo cases, so that the events, the chain head
stored at closing and the decisions' deadlines are what the API would produce. The record is
typed in when the demo is seeded: the lifecycle's own timestamps (scheduled, started, closed)
are that moment, while the meeting's times and the decisions' days are those of the rakor.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.demo.catalogue import WIB
from pokja.meetings import lifecycle
from pokja.meetings.attendance import record_attendance
from pokja.meetings.decisions import mark_done, take_decision
from pokja.meetings.items import add_item, write_minutes
from pokja.models import Agency, Decision, Meeting, User

PLACE = "Media center Bawaslu Kabupaten Bengkulu Selatan"
RAKOR = {
    "title": "Rapat Koordinasi Pokja Netralitas ASN, TNI dan Polri Kabupaten Bengkulu Selatan",
    "starts_at": datetime(2023, 12, 13, 9, 0, tzinfo=WIB),
    "ends_at": datetime(2023, 12, 13, 12, 0, tzinfo=WIB),
    "place": PLACE,
}
NEXT = {
    "title": "Rapat Koordinasi Pokja Netralitas ASN, TNI dan Polri (lanjutan)",
    "starts_at": datetime(2024, 1, 10, 9, 0, tzinfo=WIB),
    "ends_at": datetime(2024, 1, 10, 11, 30, tzinfo=WIB),
    "place": PLACE,
}
ITEMS = (
    ("Pembagian kewenangan penanganan dugaan pelanggaran netralitas pada Pemilu 2024", 45),
    ("Mekanisme pelimpahan dan tembusan antarinstansi anggota Pokja", 30),
    ("Penandatanganan komitmen bersama netralitas ASN, TNI dan Polri", 15),
)
# (agency kind, attendance, attendees)
ATTENDANCE: tuple[tuple[str, str, list[dict[str, str]]], ...] = (
    (
        "BAWASLU",
        "present",
        [{"name": "Rina Marlina", "position": "Koordinator Divisi Penanganan Pelanggaran"}],
    ),
    (
        "BKDPSDM",
        "present",
        [{"name": "Agus Salim", "position": "Kepala Bidang Pengembangan Aparatur"}],
    ),
    (
        "INSPEKTORAT",
        "present",
        [{"name": "Desi Ratnasari", "position": "Inspektur Pembantu Wilayah II"}],
    ),
    ("KEJARI", "present", [{"name": "Fajar Nugroho, S.H.", "position": "Kepala Seksi Intelijen"}]),
    ("TNI", "present", [{"name": "Kapten Inf. Andi Wijaya", "position": "Pasi Intel Kodim 0408"}]),
    ("POLRI", "excused", []),
)
MINUTES = (
    "# Notulen Rapat Koordinasi\n\n"
    "Rapat dibuka oleh Koordinator Pokja. Para pihak sepakat bahwa dugaan pelanggaran "
    "netralitas ASN ditangani Bawaslu dan diteruskan kepada BKPSDM serta Inspektorat; "
    "anggota TNI kepada Kodim 0408, anggota Polri kepada Polres. Polres berhalangan hadir "
    "dan menyampaikan pemberitahuan tertulis."
)
# (owner kind, text, due day, done by the owner's liaison)
DECISIONS = (
    (
        "INSPEKTORAT",
        "Inspektorat menyampaikan daftar ASN yang pernah dijatuhi sanksi netralitas kepada Pokja.",
        date(2023, 12, 20),
        True,
    ),
    (
        "BKDPSDM",
        "BKPSDM menerbitkan surat edaran Bupati tentang netralitas ASN menjelang Pemilu 2024.",
        date(2024, 1, 5),
        False,
    ),
)


def seed_meetings(
    session: Session, secretary: User, agencies: dict[str, Agency], liaisons: dict[str, User]
) -> int:
    """The closed rakor and the draft next meeting, unless they exist; how many were added."""
    existing = set(
        session.scalars(sa.select(Meeting.title).where(Meeting.pokja_id == secretary.pokja_id))
    )
    added = 0
    if RAKOR["title"] not in existing:
        _closed_rakor(session, secretary, agencies, liaisons)
        added += 1
    if NEXT["title"] not in existing:
        lifecycle.create_meeting(session, secretary, dict(NEXT))
        added += 1
    return added


def _closed_rakor(
    session: Session, secretary: User, agencies: dict[str, Agency], liaisons: dict[str, User]
) -> Meeting:
    meeting = lifecycle.create_meeting(session, secretary, dict(RAKOR))
    items = [
        add_item(session, secretary, meeting, {"title": title, "planned_minutes": minutes})
        for title, minutes in ITEMS
    ]
    meeting = lifecycle.schedule(session, secretary, meeting)
    meeting = lifecycle.start(session, secretary, meeting)
    entries: list[dict[str, Any]] = [
        {"agency_id": agencies[kind].id, "attendance": state, "attendees": people}
        for kind, state, people in ATTENDANCE
    ]
    record_attendance(session, secretary, meeting, entries)
    write_minutes(session, secretary, meeting, MINUTES)
    write_minutes(
        session, secretary, meeting, "Disepakati sesuai tabel kewenangan Pokja.", items[0]
    )
    taken: list[tuple[Decision, bool, str]] = []
    for kind, text, due_on, done in DECISIONS:
        data = {"text": text, "owner_agency_id": agencies[kind].id, "due_on": due_on}
        taken.append((take_decision(session, secretary, meeting, data), done, kind))
    meeting = lifecycle.close(session, secretary, meeting)
    for decision, done, kind in taken:
        if done:
            mark_done(
                session, liaisons[kind], decision, "Daftar disampaikan pada 19 Desember 2023."
            )
    return meeting
