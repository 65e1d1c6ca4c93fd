"""``GET /api/v1/code-lists``: every code list with both labels (DESIGN §6, §9)."""

from __future__ import annotations

import pytest

from pokja.directory import labels
from pokja.extensions import db
from pokja.followup import sanctions
from pokja.models import (
    AGENCY_KINDS,
    CASE_CATEGORIES,
    CASE_SOURCES,
    DECLINE_REASONS,
    DISMISSAL_REASONS,
    ELECTION_KINDS,
    EVIDENCE_KINDS,
    EXTERNAL_SYSTEMS,
    HANDOFF_PURPOSES,
    HANDOFF_STATUSES,
    STAGES,
    SUBJECT_TYPES,
    VIOLATION_TYPES,
)
from pokja.time.catalogue import CLOCKS
from tests.factories import case_body

URL = "/api/v1/code-lists"
EXPECTED = {
    "violation_types": tuple(VIOLATION_TYPES),
    "subject_types": SUBJECT_TYPES,
    "case_sources": CASE_SOURCES,
    "case_categories": CASE_CATEGORIES,
    "election_kinds": ELECTION_KINDS,
    "stages": STAGES,
    "dismissal_reasons": DISMISSAL_REASONS,
    "evidence_kinds": EVIDENCE_KINDS,
    "external_systems": EXTERNAL_SYSTEMS,
    "agency_kinds": AGENCY_KINDS,
    "handoff_purposes": HANDOFF_PURPOSES,
    "handoff_statuses": HANDOFF_STATUSES,
    "decline_reasons": DECLINE_REASONS,
    "sanction_levels": tuple(sanctions.SANCTION_LEVELS),
    "sanction_kinds": tuple(sanctions.SANCTION_KINDS),
    "escalation_kinds": tuple(sanctions.ESCALATION_KINDS),
    "clocks": tuple(str(c) for c in CLOCKS),
    "violation_track_kinds": tuple(labels.VIOLATION_TRACK_LABELS),
}


@pytest.fixture
def lists(world, client, headers_for):
    response = client.get(URL, headers=headers_for(world.liaisons["TNI"]))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_list_has_every_code_with_both_labels(lists, name):
    items = lists[name]
    assert [item["code"] for item in items] == list(EXPECTED[name])
    for item in items:
        assert item["label_id"], item
        assert item["label_en"], item


def test_stages_carry_their_next_stages(lists):
    stages = {s["code"]: s["next"] for s in lists["stages"]}
    assert stages["received"] == ["examination", "dismissed"]
    assert stages["closed"] == ["examination"]


def test_violation_tracks_are_the_pokjas_table(world, client, headers_for, lists):
    tracks = {row["violation_type"]: row for row in lists["violation_tracks"]}
    assert set(tracks) == set(VIOLATION_TYPES)
    assert tracks["party_membership"]["track"] == "dismissal"
    world.pokja.violation_tracks = {"social_media": {"track": "discipline", "level": "light"}}
    db.session.commit()
    body = client.get(URL, headers=headers_for(world.coordinator)).get_json()
    tracks = {row["violation_type"]: row for row in body["violation_tracks"]}
    assert tracks["social_media"] == {
        "violation_type": "social_media",
        "track": "discipline",
        "level": "light",
    }


def test_an_admin_gets_the_default_tracks(world, client, headers_for):
    body = client.get(URL, headers=headers_for(world.admin)).get_json()
    assert len(body["violation_tracks"]) == len(VIOLATION_TYPES)


def test_anonymous_callers_get_401(client):
    assert client.get(URL).status_code == 401


def test_an_unknown_violation_type_is_a_422_naming_the_allowed_ones(world, client, headers_for):
    body = case_body(violation_types=["nope"])
    response = client.post(
        "/api/v1/cases", json=body, headers=headers_for(world.liaisons["BAWASLU"])
    )
    assert response.status_code == 422
    message = str(response.get_json()["errors"])
    assert "social_media" in message
    assert "party_membership" in message
