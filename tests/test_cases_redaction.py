"""Who sees what of a case over HTTP (DESIGN §5), per role, in lists and in a case's own
representation. The scenario: registered by Bawaslu, held by BKDPSDM, handed on to INSPEKTORAT
(pending); KEJARI, TNI and POLRI are uninvolved."""

from __future__ import annotations

import pytest

from pokja.extensions import db
from pokja.handoffs import shares
from tests.factories import (
    assert_problem,
    hand_off,
    held_by_bkdpsdm_pending_to_inspektorat,
    new_case,
)

URL = "/api/v1/cases"
# caller -> (sees in full, sees the reporter in a case's own representation)
EXPECTED = {
    "coordinator": (True, True),
    "secretary": (True, False),
    "viewer": (False, False),
    "BAWASLU": (True, True),
    "BKDPSDM": (True, False),
    "INSPEKTORAT": (True, False),
    "KEJARI": (False, False),
    "TNI": (False, False),
    "POLRI": (False, False),
}
PERSONAL = ("Budi Santoso", "198001012005011001", "Siti Aminah", "0812-0000-0000", "Pasar Baru")
TEXT_FIELDS = ("title", "summary", "subjects", "reporter", "violation_types", "external_refs")


def user(world, name):
    return world.liaisons.get(name) or getattr(world, name)


@pytest.fixture
def case(world):
    return held_by_bkdpsdm_pending_to_inspektorat(
        world, external_refs=[{"system": "LAPOR", "reference": "LAPOR-5"}]
    )


def assert_redacted(view, raw):
    assert view["redacted"] is True
    assert not set(TEXT_FIELDS) & set(view), view
    assert view["location"] == {"kecamatan": "Manna"}
    assert not any(value in raw for value in PERSONAL)
    assert "Kepala sekolah" not in raw
    # What a summary keeps: register number, stage, holder, category, dates, authority.
    assert view["register_number"]
    assert view["stage"] == "received"
    assert view["category"] == "neutrality"
    assert view["registered_at"]
    assert view["authority"]["holder"]["kind"] == "BKDPSDM"
    assert view["authority"]["pending_handoff"]["to_agency"]["kind"] == "INSPEKTORAT"


@pytest.mark.parametrize("name", EXPECTED)
def test_a_case_reads_in_full_or_redacted_per_role(world, client, headers_for, case, name):
    full, reporter = EXPECTED[name]
    response = client.get(f"{URL}/{case.id}", headers=headers_for(user(world, name)))
    assert response.status_code == 200
    view, raw = response.get_json(), response.get_data(as_text=True)
    assert view["authority"]["permissions"]["can_view_full"] is full
    if not full:
        assert_redacted(view, raw)
        return
    assert view["redacted"] is False
    assert view["subjects"][0]["identifier"] == "198001012005011001"
    assert view["location"]["desa"] == "Pasar Baru"
    assert view["external_refs"] == [{"system": "LAPOR", "reference": "LAPOR-5"}]
    assert ("reporter" in view) is reporter
    assert ("Siti Aminah" in raw) is reporter
    assert view["authority"]["permissions"]["can_view_reporter"] is reporter


@pytest.mark.parametrize("name", EXPECTED)
def test_a_list_shows_each_row_in_full_or_redacted_per_role(world, client, headers_for, case, name):
    full, _ = EXPECTED[name]
    response = client.get(URL, headers=headers_for(user(world, name)))
    (view,) = response.get_json()["items"]
    assert view["redacted"] is not full
    assert "reporter" not in view  # lists never carry the reporter
    assert "Siti Aminah" not in response.get_data(as_text=True)
    if full:
        assert view["subjects"][0]["name"] == "Budi Santoso"
    else:
        assert_redacted(view, response.get_data(as_text=True))


def test_a_list_mixes_full_and_redacted_rows(world, client, headers_for, case):
    own = new_case(world)
    hand_off(world, own, "TNI", override_justification="Anggota TNI", actor=world.coordinator)
    db.session.commit()
    items = client.get(URL, headers=headers_for(world.liaisons["TNI"])).get_json()["items"]
    assert {item["id"]: item["redacted"] for item in items} == {
        str(own.id): False,
        str(case.id): True,
    }


@pytest.mark.parametrize("name", ["KEJARI", "TNI", "POLRI", "viewer"])
def test_a_redacted_caller_cannot_find_a_case_by_personal_data_or_text(
    world, client, headers_for, case, name
):
    headers = headers_for(user(world, name))
    for q in ("Budi", "19800101", "Kepala sekolah", "posko"):
        assert client.get(f"{URL}?q={q}", headers=headers).get_json()["items"] == [], q
    assert client.get(f"{URL}?external_ref=LAPOR-5", headers=headers).get_json()["items"] == []
    # ... but the register number, which the summary shows, does match.
    number = case.register_number
    (found,) = client.get(f"{URL}?q={number}", headers=headers).get_json()["items"]
    assert found["id"] == str(case.id)
    assert found["redacted"] is True


@pytest.mark.parametrize("name", ["KEJARI", "TNI", "POLRI", "viewer"])
def test_a_redacted_caller_cannot_find_a_case_by_subject_or_violation_type(
    world, client, headers_for, case, name
):
    # Both are absent from a redacted summary: a filter on them would reveal them.
    headers = headers_for(user(world, name))
    assert client.get(URL, headers=headers).get_json()["items"]  # the case is listed...
    for query in ("subject_type=pns", "violation_type=social_media"):
        assert client.get(f"{URL}?{query}", headers=headers).get_json()["items"] == [], query


@pytest.mark.parametrize("name", ["BKDPSDM", "INSPEKTORAT", "BAWASLU", "coordinator"])
def test_a_full_caller_finds_the_case_by_subject_and_violation_type(
    world, client, headers_for, case, name
):
    headers = headers_for(user(world, name))
    for query in ("subject_type=pns", "violation_type=social_media"):
        (found,) = client.get(f"{URL}?{query}", headers=headers).get_json()["items"]
        assert found["id"] == str(case.id), query


@pytest.mark.parametrize("name", ["BKDPSDM", "INSPEKTORAT", "BAWASLU", "coordinator"])
def test_a_full_caller_finds_the_case_by_a_subjects_name(world, client, headers_for, case, name):
    headers = headers_for(user(world, name))
    (found,) = client.get(f"{URL}?q=budi", headers=headers).get_json()["items"]
    assert found["id"] == str(case.id)


def test_a_share_turns_a_redacted_case_into_a_full_one(world, client, headers_for, case):
    headers = headers_for(world.liaisons["KEJARI"])
    assert client.get(f"{URL}?q=Budi", headers=headers).get_json()["items"] == []
    shares.grant_share(db.session, world.liaisons["BKDPSDM"], case, world.agencies["KEJARI"].id)
    db.session.commit()
    (found,) = client.get(f"{URL}?q=Budi", headers=headers).get_json()["items"]
    assert found["redacted"] is False


@pytest.mark.parametrize("part", ["subjects", "evidence"])
@pytest.mark.parametrize("name", ["KEJARI", "TNI", "POLRI", "viewer"])
def test_subjects_and_evidence_are_refused_to_a_redacted_caller(
    world, client, headers_for, case, part, name
):
    response = client.get(f"{URL}/{case.id}/{part}", headers=headers_for(user(world, name)))
    assert_problem(response, 403, "redacted")


def test_the_authority_block_is_the_same_for_full_and_redacted_callers(
    world, client, headers_for, case
):
    full = client.get(f"{URL}/{case.id}/authority", headers=headers_for(world.coordinator))
    redacted = client.get(f"{URL}/{case.id}/authority", headers=headers_for(world.liaisons["TNI"]))
    strip = lambda block: {k: v for k, v in block.items() if k != "permissions"}  # noqa: E731
    assert strip(full.get_json()) == strip(redacted.get_json())
    assert not any(redacted.get_json()["permissions"].values())
