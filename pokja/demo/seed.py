"""The demo Pokja: Kabupaten Bengkulu Selatan with its six agencies, a user per role and the
cases of :mod:`pokja.demo.catalogue`.

Seeding is idempotent: what exists (by name, username or case title) is left alone, so
``pokja demo`` can be run again and again. Cases are played through the domain functions, so
their register numbers, events, handoffs and shares are what the API itself would produce.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.cases.editing import change_stage
from pokja.cases.registration import create_case
from pokja.demo.cases import CASES
from pokja.demo.catalogue import WIB, Copy, DemoCase, Move, Send
from pokja.demo.meetings import seed_meetings
from pokja.directory.agencies import create_agency
from pokja.directory.pokjas import create_pokja
from pokja.directory.users import create_user
from pokja.handoffs import shares
from pokja.handoffs.lifecycle import accept_handoff, decline_handoff, start_handoff
from pokja.models import Agency, Case, Pokja, User
from pokja.time import clock
from pokja.time.calendar import PokjaCalendar
from pokja.time.catalogue import Clock, ElectionKind, clock_settings, deadline_for

DEMO_POKJA = {
    "name": "Pokja Netralitas ASN, TNI dan Polri Kabupaten Bengkulu Selatan",
    "region_code": "17.01",
    "region_name": "Kabupaten Bengkulu Selatan",
    "level": "kabupaten",
    "timezone": "Asia/Jakarta",
    "locale": "id",
}

DEMO_AGENCIES = (
    ("BAWASLU", "Bawaslu Kabupaten Bengkulu Selatan"),
    ("BKDPSDM", "BKPSDM Kabupaten Bengkulu Selatan"),
    ("INSPEKTORAT", "Inspektorat Kabupaten Bengkulu Selatan"),
    ("KEJARI", "Kejaksaan Negeri Bengkulu Selatan"),
    ("TNI", "Kodim 0408/Bengkulu Selatan"),
    ("POLRI", "Polres Bengkulu Selatan"),
    ("BKN", "Badan Kepegawaian Negara"),
    ("PPK", "Bupati Bengkulu Selatan (Pejabat Pembina Kepegawaian)"),
)

# (username, display name, role, agency kind or None)
DEMO_USERS = (
    ("admin", "Administrator Sistem", "admin", None),
    ("coordinator", "Hendri Saputra (Koordinator Pokja)", "coordinator", "BAWASLU"),
    ("secretary", "Yuliana Sari (Sekretaris Rakor)", "secretary", "BAWASLU"),
    ("viewer", "Dasbor Pemantauan", "viewer", None),
    ("bawaslu", "Rina Marlina (Bawaslu)", "liaison", "BAWASLU"),
    ("bkdpsdm", "Agus Salim (BKPSDM)", "liaison", "BKDPSDM"),
    ("inspektorat", "Desi Ratnasari (Inspektorat)", "liaison", "INSPEKTORAT"),
    ("kejari", "Fajar Nugroho, S.H. (Kejari)", "liaison", "KEJARI"),
    ("tni", "Kapten Inf. Andi Wijaya (Kodim 0408)", "liaison", "TNI"),
    ("polri", "AKP Budi Santoso (Polres)", "liaison", "POLRI"),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    agency: str | None


def seed_demo(session: Session, password: str) -> list[DemoLogin]:
    """Create (or complete) the demo Pokja; return the logins it offers."""
    pokja = _pokja(session)
    agencies = _agencies(session, pokja)
    users = _users(session, pokja, agencies, password)
    seed_cases(session, _Cast(pokja, agencies, users))
    liaisons = {
        kind: users[name] for name, _, role, kind in DEMO_USERS if role == "liaison" and kind
    }
    seed_meetings(session, users["secretary"], agencies, liaisons)
    return [DemoLogin(username, role, kind) for username, _, role, kind in DEMO_USERS]


def _pokja(session: Session) -> Pokja:
    pokja = session.scalar(sa.select(Pokja).where(Pokja.name == DEMO_POKJA["name"]))
    return pokja or create_pokja(session, None, dict(DEMO_POKJA))


def _agencies(session: Session, pokja: Pokja) -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for kind, name in DEMO_AGENCIES:
        agency = session.scalar(
            sa.select(Agency).where(Agency.pokja_id == pokja.id, Agency.name == name)
        )
        agencies[kind] = agency or create_agency(
            session, None, {"pokja_id": pokja.id, "kind": kind, "name": name}
        )
    return agencies


def _users(
    session: Session, pokja: Pokja, agencies: dict[str, Agency], password: str
) -> dict[str, User]:
    users: dict[str, User] = {}
    for username, display_name, role, agency_kind in DEMO_USERS:
        user = session.scalar(sa.select(User).where(User.username == username))
        users[username] = user or create_user(
            session,
            None,
            {
                "username": username,
                "display_name": display_name,
                "password": password,
                "role": role,
                "pokja_id": None if role == "admin" else pokja.id,
                "agency_id": agencies[agency_kind].id if agency_kind else None,
            },
        )
    return users


class _Cast:
    """Who acts in the demo: each agency's demo liaison."""

    def __init__(self, pokja: Pokja, agencies: dict[str, Agency], users: dict[str, User]):
        self.pokja = pokja
        self.agencies = agencies
        self.calendar = PokjaCalendar(time_zone=pokja.timezone)
        self._by_agency: dict[uuid.UUID, User] = {
            user.agency_id: user
            for user in users.values()
            if user.role == "liaison" and user.agency_id is not None
        }

    def liaison(self, kind: str) -> User:
        return self._by_agency[self.agencies[kind].id]

    def holder(self, case: Case) -> User:
        return self._by_agency[case.holder_agency_id]


def seed_cases(session: Session, cast: _Cast) -> int:
    """Register the catalogue's cases not registered yet, oldest first (so that register
    numbers follow registration dates), and play their steps; returns how many were added."""
    existing = set(session.scalars(sa.select(Case.title).where(Case.pokja_id == cast.pokja.id)))
    added = 0
    for demo_case in sorted(CASES, key=lambda c: c.registered):
        if demo_case.title in existing:
            continue
        case = create_case(session, cast.liaison("BAWASLU"), case_data(demo_case))
        for step in demo_case.steps:
            _play(session, cast, case, step)
        added += 1
    return added


def case_data(demo_case: DemoCase) -> dict[str, Any]:
    """What :func:`pokja.cases.create_case` takes, for one catalogue case."""
    reporter = None
    if demo_case.source != "finding":
        name, contact = demo_case.reporter or (None, None)
        reporter = {"name": name, "contact": contact, "anonymous": name is None}
    return {
        "source": demo_case.source,
        "category": demo_case.category,
        "election": demo_case.election,
        "election_kind": demo_case.election.split("-")[0],
        "title": demo_case.title,
        "summary": demo_case.summary,
        "occurred_on": demo_case.occurred,
        "discovered_on": demo_case.occurred,
        "kecamatan": demo_case.kecamatan,
        "desa": demo_case.desa,
        "violation_types": list(demo_case.violation_types),
        "subjects": [vars(person) for person in demo_case.subjects],
        "reporter": reporter,
        "registered_at": demo_case.registered,
    }


def _play(session: Session, cast: _Cast, case: Case, step: Move | Send | Copy) -> None:
    if isinstance(step, Move):
        change_stage(
            session, cast.holder(case), case, step.to, dismissal_reason=step.reason, note=step.note
        )
    elif isinstance(step, Copy):
        shares.grant_share(session, cast.holder(case), case, cast.agencies[step.to].id, step.reason)
    else:
        _hand_off(session, cast, case, step)


def _hand_off(session: Session, cast: _Cast, case: Case, step: Send) -> None:
    # A pending handoff is due a few working days after seeding, so that the demo shows one
    # still on time; every other one runs from its 2024 letter, so an unanswered one is overdue.
    sent = clock.now() if step.answer == "pending" else datetime.combine(step.on, time(9), WIB)
    due = deadline_for(
        cast.calendar,
        clock_settings(),
        Clock.HANDOFF_ACCEPTANCE,
        ElectionKind(case.election_kind),
        sent,
    )
    handoff = start_handoff(
        session,
        cast.holder(case),
        case,
        {
            "to_agency_id": cast.agencies[step.to].id,
            "purpose": step.purpose,
            "reason": step.reason,
            "letter_number": step.letter,
            "letter_date": step.on,
            "due_on": due.date(),
        },
    )
    receiver = cast.liaison(step.to)
    if step.answer == "accepted":
        accept_handoff(session, receiver, handoff)
    elif step.answer == "declined" and step.decline is not None:
        reason, text = step.decline
        suggested = cast.agencies[step.suggest].id if step.suggest else None
        decline_handoff(
            session,
            receiver,
            handoff,
            {"decline_reason": reason, "decline_text": text, "suggested_agency_id": suggested},
        )
