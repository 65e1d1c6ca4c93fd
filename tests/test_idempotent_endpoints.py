"""Idempotency-Key on the real POST endpoints: a retry returns the first response and never
creates a second case or handoff."""

from __future__ import annotations

import sqlalchemy as sa

from pokja.extensions import db
from pokja.models import Case, Handoff
from tests.factories import case_body, new_case


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_retrying_a_case_registration_returns_the_first_response(client, world, headers_for):
    headers = headers_for(world.liaisons["BAWASLU"], **{"Idempotency-Key": "reg-2024-001"})
    before = _count(Case)
    first = client.post("/api/v1/cases", json=case_body(), headers=headers)
    again = client.post("/api/v1/cases", json=case_body(), headers=headers)
    assert first.status_code == 201
    assert again.status_code == 201
    assert again.json == first.json
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count(Case) == before + 1


def test_the_same_key_with_another_body_is_refused(client, world, headers_for):
    headers = headers_for(world.liaisons["BAWASLU"], **{"Idempotency-Key": "reg-2024-002"})
    assert client.post("/api/v1/cases", json=case_body(), headers=headers).status_code == 201
    before = _count(Case)
    other = client.post("/api/v1/cases", json=case_body(title="Lain"), headers=headers)
    assert other.status_code == 422
    assert other.json["code"] == "idempotency_key_reused"
    assert _count(Case) == before


def test_retrying_a_handoff_creates_it_once(client, world, headers_for):
    case = new_case(world)
    db.session.commit()
    headers = headers_for(world.liaisons["BAWASLU"], **{"Idempotency-Key": "handoff-1"})
    body = {
        "to_agency_id": str(world.agencies["BKDPSDM"].id),
        "purpose": "follow_up",
        "reason": "Pelanggaran disiplin PNS",
    }
    first = client.post(f"/api/v1/cases/{case.id}/handoffs", json=body, headers=headers)
    again = client.post(f"/api/v1/cases/{case.id}/handoffs", json=body, headers=headers)
    assert first.status_code == 201, first.json
    assert again.status_code == 201
    assert again.json["id"] == first.json["id"]
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Handoff).where(Handoff.case_id == case.id)
        )
        == 1
    )
