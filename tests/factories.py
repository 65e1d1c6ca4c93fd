"""Small builders for domain tests (no HTTP): cases, handoffs, shares."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from pokja.cases.registration import create_case
from pokja.extensions import db
from pokja.handoffs.lifecycle import accept_handoff, start_handoff
from pokja.models import Case, Handoff, OutboxMessage, PersonalDataRead, User, WebhookSubscription


def case_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "source": "report",
        "category": "neutrality",
        "election": "pemilu-2024",
        "election_kind": "pemilu",
        "title": "Kepala sekolah memberi 'like' pada unggahan calon",
        "summary": "Dilaporkan di posko pengaduan Kecamatan Manna.",
        "kecamatan": "Manna",
        "desa": "Pasar Baru",
        "violation_types": ["social_media"],
        "subjects": [
            {
                "name": "Budi Santoso",
                "identifier": "198001012005011001",
                "subject_type": "pns",
                "position": "Kepala Sekolah",
            }
        ],
        "reporter": {"name": "Siti Aminah", "contact": "0812-0000-0000"},
    }
    data.update(overrides)
    return data


def new_case(world: Any, actor: User | None = None, **overrides: Any) -> Case:
    """A case registered by the Pokja's Bawaslu liaison (or ``actor``)."""
    return create_case(db.session, actor or world.liaisons["BAWASLU"], case_data(**overrides))


def hand_off(
    world: Any, case: Case, to_kind: str = "BKDPSDM", actor: User | None = None, **data: Any
) -> Handoff:
    """Start a handoff of ``case`` from its holder to the Pokja's ``to_kind`` agency."""
    payload = {
        "to_agency_id": world.agencies[to_kind].id,
        "purpose": "follow_up",
        "reason": "Pelanggaran disiplin PNS",
        **data,
    }
    return start_handoff(db.session, actor or world.liaisons["BAWASLU"], case, payload)


# --- HTTP bodies for the cases API ------------------------------------------------------------


def case_body(**overrides: Any) -> dict[str, Any]:
    """A valid ``POST /api/v1/cases`` body (the API's shape: nested location, no register)."""
    body: dict[str, Any] = {
        "title": "Kepala sekolah memberi 'like' pada unggahan calon",
        "summary": "Dilaporkan di posko pengaduan Kecamatan Manna.",
        "source": "report",
        "category": "neutrality",
        "election": "pemilu-2024",
        "occurred_on": "2024-01-10",
        "discovered_on": "2024-01-12",
        "location": {"kecamatan": "Manna", "desa": "Pasar Baru"},
        "violation_types": ["social_media"],
        "subjects": [
            {
                "name": "Budi Santoso",
                "identifier": "198001012005011001",
                "subject_type": "pns",
                "position": "Kepala Sekolah",
                "employer_unit": "SDN 3 Manna",
            }
        ],
        "reporter": {"name": "Siti Aminah", "contact": "0812-0000-0000"},
        "external_refs": [{"system": "SIGAPLAPOR", "reference": "LP-2024-0001"}],
    }
    body.update(overrides)
    return body


def held_by_bkdpsdm_pending_to_inspektorat(world: Any, **overrides: Any) -> Case:
    """A case registered by Bawaslu, accepted by BKDPSDM, now handed on to INSPEKTORAT
    (pending): holder, sender/receiver and uninvolved agencies all differ."""
    case = new_case(world, **overrides)
    bkd = world.liaisons["BKDPSDM"]
    accept_handoff(db.session, bkd, hand_off(world, case, "BKDPSDM"))
    hand_off(world, case, "INSPEKTORAT", actor=bkd, purpose="examination")
    db.session.commit()
    return case


def row_counts() -> dict[str, int]:
    """Rows per case-related table: a refused request must leave every number unchanged."""
    from pokja.models import (
        CaseViolationType,
        Event,
        Evidence,
        ExternalRef,
        Reporter,
        Subject,
    )

    models = (Case, Subject, Reporter, Evidence, ExternalRef, CaseViolationType, Event, Handoff)
    return {
        model.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in models
    }


def assert_problem(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is an RFC 9457 problem with ``status`` (and ``code``); returns its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    if code is not None:
        assert body["code"] == code, body
    return body


def reads_of(case_id: Any) -> list[PersonalDataRead]:
    """The access log's reads of a case's personal data, oldest first."""
    stmt = (
        sa.select(PersonalDataRead)
        .where(PersonalDataRead.case_id == case_id)
        .order_by(PersonalDataRead.read_at, PersonalDataRead.id)
    )
    return list(db.session.scalars(stmt))


def subscribe(world: Any, kind: str, *event_types: str) -> None:
    """A webhook subscription of the world's ``kind`` agency to ``event_types`` (committed)."""
    db.session.add(
        WebhookSubscription(
            pokja_id=world.pokja.id,
            agency_id=world.agencies[kind].id,
            url="http://127.0.0.1:9/hook",
            events=list(event_types),
            secret="s" * 32,
        )
    )
    db.session.commit()


def outbox(event_type: str) -> list[OutboxMessage]:
    """The outbox's messages of one event type."""
    stmt = sa.select(OutboxMessage).where(OutboxMessage.event_type == event_type)
    return list(db.session.scalars(stmt))
