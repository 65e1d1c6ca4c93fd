"""GET /api/v1/deadlines lists open recommendations for the side that must follow them up,
and escalation letters for the agency that issued the recommendation."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from pokja.cases.editing import change_stage
from pokja.extensions import db
from pokja.followup.escalations import escalate
from pokja.followup.follow_up import follow_up
from pokja.followup.recommendations import issue_recommendation
from pokja.time import clock
from tests.factories import new_case


def _kinds(client, headers):
    response = client.get("/api/v1/deadlines?within_days=30", headers=headers)
    assert response.status_code == 200, response.get_json()
    return [
        (item["kind"], item["item_id"], item["overdue"]) for item in response.get_json()["items"]
    ]


ISSUED = datetime(2024, 3, 1, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def _recommendation_to_the_regent(world, make_agency):
    """Issued on 1 March 2024 (the clock frozen then): due 22 March 2024, long overdue now."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "now", lambda: ISSUED)
        return _issue(world, make_agency)


def _issue(world, make_agency):
    ppk = make_agency(world.pokja, "PPK", name="Bupati Bengkulu Selatan")
    bawaslu = world.liaisons["BAWASLU"]
    case = new_case(world)
    change_stage(db.session, bawaslu, case, "examination")
    rec = issue_recommendation(
        db.session,
        bawaslu,
        case,
        {
            "addressee_agency_id": ppk.id,
            "number": "045/PP.01.02/K.BE-07/03/2024",
            "date": date(2024, 3, 1),
            "text": "Merekomendasikan penjatuhan sanksi sesuai PP 94/2021.",
        },
    )
    db.session.commit()
    return rec


def test_the_agency_acting_for_the_regent_sees_the_open_recommendation(
    world, client, headers_for, make_agency
):
    rec = _recommendation_to_the_regent(world, make_agency)
    assert ("recommendation", str(rec.id), True) in _kinds(
        client, headers_for(world.liaisons["BKDPSDM"])
    )
    assert all(
        kind != "recommendation"
        for kind, _, _ in _kinds(client, headers_for(world.liaisons["INSPEKTORAT"]))
    )


def test_a_followed_up_recommendation_is_no_longer_due(world, client, headers_for, make_agency):
    rec = _recommendation_to_the_regent(world, make_agency)
    follow_up(
        db.session, world.coordinator, rec, {"outcome": "rejected", "reasons": "Tidak terbukti"}
    )
    db.session.commit()
    kinds = _kinds(client, headers_for(world.liaisons["BKDPSDM"]))
    assert all(item_id != str(rec.id) for _, item_id, _ in kinds)


def test_the_issuer_sees_its_escalation_letters(world, client, headers_for, make_agency):
    rec = _recommendation_to_the_regent(world, make_agency)
    escalation = escalate(
        db.session,
        world.liaisons["BAWASLU"],
        rec,
        {
            "kind": "reminder",
            "letter_number": "051/PP.01.02/K.BE-07/04/2024",
            "date": date(2024, 4, 1),
            "addressee": "Bupati Bengkulu Selatan",
            "text": "Surat pengingat tindak lanjut rekomendasi.",
        },
    )
    db.session.commit()
    assert ("escalation", str(escalation.id), True) in _kinds(
        client, headers_for(world.liaisons["BAWASLU"])
    )
    assert all(
        kind != "escalation"
        for kind, _, _ in _kinds(client, headers_for(world.liaisons["BKDPSDM"]))
    )
