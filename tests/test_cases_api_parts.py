"""A case's subjects, evidence (links and uploaded files) and authority block over HTTP."""

from __future__ import annotations

import hashlib
import io

import pytest
import sqlalchemy as sa

from pokja.directory.agencies import update_agency
from pokja.extensions import db
from pokja.models import Case, Evidence, Subject
from tests.factories import (
    assert_problem,
    held_by_bkdpsdm_pending_to_inspektorat,
    new_case,
    reads_of,
    row_counts,
)

URL = "/api/v1/cases"


@pytest.fixture
def case(world):
    return held_by_bkdpsdm_pending_to_inspektorat(world)


@pytest.fixture
def evidence_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "POKJA_EVIDENCE_DIR", str(tmp_path / "evidence"))
    return tmp_path / "evidence"


def viewed(case_id):
    return [{"fields": read.fields} for read in reads_of(case_id)]


# --- subjects --------------------------------------------------------------------------------


def test_reading_the_subjects_is_logged(world, client, headers_for, case):
    response = client.get(
        f"{URL}/{case.id}/subjects", headers=headers_for(world.liaisons["BKDPSDM"])
    )
    assert response.status_code == 200
    assert [s["name"] for s in response.get_json()] == ["Budi Santoso"]
    assert viewed(case.id) == [{"fields": ["subjects"]}]


def test_the_holder_adds_a_subject_and_the_case_version_moves(world, client, headers_for, case):
    headers = headers_for(world.liaisons["BKDPSDM"])
    etag = client.get(f"{URL}/{case.id}", headers=headers).headers["ETag"]
    body = {"name": "Serka Joko", "identifier": "31000", "subject_type": "tni"}
    response = client.post(
        f"{URL}/{case.id}/subjects", json=body, headers={**headers, "If-Match": etag}
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["name"] == "Serka Joko"
    assert response.headers["ETag"] != etag
    names = db.session.scalars(
        sa.select(Subject.name).where(Subject.case_id == case.id).order_by(Subject.seq)
    ).all()
    assert names == ["Budi Santoso", "Serka Joko"]
    db.session.expire_all()
    assert response.headers["ETag"] == f'"{db.session.get(Case, case.id).version}"'
    # A soldier among the subjects lets TNI hold the case next.
    authority = client.get(f"{URL}/{case.id}/authority", headers=headers).get_json()
    assert "TNI" in {a["kind"] for a in authority["allowed_agencies"]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"subject_type": "pns"}, "name"),
        ({"name": "", "subject_type": "pns"}, "name"),
        ({"name": "A", "subject_type": "soldier"}, "subject_type"),
        ({"name": "A", "subject_type": "pns", "nik": "1"}, "nik"),
        ({"name": "A" * 201, "subject_type": "pns"}, "name"),
        ({"name": "A", "subject_type": "pns", "identifier": 7}, "identifier"),
    ],
)
def test_bad_subjects_are_422_and_write_nothing(world, client, headers_for, case, body, field):
    before = row_counts()
    response = client.post(
        f"{URL}/{case.id}/subjects", json=body, headers=headers_for(world.coordinator)
    )
    assert field in assert_problem(response, 422)["errors"]
    assert row_counts() == before


def test_a_stale_if_match_on_a_subject_is_412(world, client, headers_for, case):
    before = row_counts()
    response = client.post(
        f"{URL}/{case.id}/subjects",
        json={"name": "A", "subject_type": "pns"},
        headers=headers_for(world.coordinator, **{"If-Match": '"1"'}),
    )
    assert_problem(response, 412)
    assert row_counts() == before


@pytest.mark.parametrize("name", ["BAWASLU", "INSPEKTORAT", "TNI"])
def test_only_the_holder_and_coordinators_add_subjects(world, client, headers_for, case, name):
    before = row_counts()
    response = client.post(
        f"{URL}/{case.id}/subjects",
        json={"name": "A", "subject_type": "pns"},
        headers=headers_for(world.liaisons[name]),
    )
    assert_problem(response, 403)
    assert row_counts() == before


# --- evidence --------------------------------------------------------------------------------


def test_evidence_as_a_link(world, client, headers_for, case):
    body = {"description": "Tangkapan layar", "kind": "screenshot", "url": "https://x.test/p/1"}
    response = client.post(
        f"{URL}/{case.id}/evidence", json=body, headers=headers_for(world.liaisons["BKDPSDM"])
    )
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["url"] == body["url"]
    assert created["stored"] is False
    evidence = db.session.scalars(sa.select(Evidence).where(Evidence.case_id == case.id)).one()
    assert (evidence.description, evidence.kind) == ("Tangkapan layar", "screenshot")
    assert evidence.added_by_id == world.liaisons["BKDPSDM"].id
    listed = client.get(
        f"{URL}/{case.id}/evidence", headers=headers_for(world.liaisons["INSPEKTORAT"])
    )
    assert [e["id"] for e in listed.get_json()] == [created["id"]]


def test_evidence_as_an_uploaded_file_is_stored_by_its_sha256(
    world, client, headers_for, case, evidence_dir
):
    content = b"%PDF-1.4 surat pernyataan" * 1000
    digest = hashlib.sha256(content).hexdigest()
    response = client.post(
        f"{URL}/{case.id}/evidence",
        data={
            "description": "Surat pernyataan",
            "kind": "document",
            "file": (io.BytesIO(content), "surat.pdf"),
        },
        content_type="multipart/form-data",
        headers=headers_for(world.coordinator),
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["stored"] is True
    assert body["sha256"] == digest
    assert body["size_bytes"] == len(content)
    stored = evidence_dir / digest[:2] / digest
    assert stored.read_bytes() == content
    assert [p.name for p in evidence_dir.rglob(".upload-*")] == []  # no temporary left behind
    evidence = db.session.scalars(sa.select(Evidence).where(Evidence.case_id == case.id)).one()
    assert (evidence.file_path, evidence.sha256, evidence.size_bytes) == (
        f"{digest[:2]}/{digest}",
        digest,
        len(content),
    )
    # The same file again is a second piece of evidence but one stored file.
    again = client.post(
        f"{URL}/{case.id}/evidence",
        data={"description": "Lagi", "kind": "document", "file": (io.BytesIO(content), "b.pdf")},
        content_type="multipart/form-data",
        headers=headers_for(world.coordinator),
    )
    assert again.status_code == 201
    assert len(list(evidence_dir.rglob(digest))) == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "document"}, "description"),
        ({"description": "x", "kind": "hologram"}, "kind"),
        ({"description": "x", "kind": "document", "url": "https://x"}, "url"),
        ({"description": "x", "kind": "document"}, "file"),
        ({"description": "x", "kind": "document", "file": (io.BytesIO(b""), "e.pdf")}, "file"),
    ],
)
def test_bad_uploads_are_422_and_store_nothing(
    world, client, headers_for, case, evidence_dir, data, field
):
    before = row_counts()
    response = client.post(
        f"{URL}/{case.id}/evidence",
        data=data,
        content_type="multipart/form-data",
        headers=headers_for(world.coordinator),
    )
    assert field in assert_problem(response, 422)["errors"]
    assert row_counts() == before
    assert not evidence_dir.exists() or not any(p.is_file() for p in evidence_dir.rglob("*"))


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"description": "x", "kind": "link"}, "url"),
        ({"description": "x", "kind": "link", "url": "ftp://x.test/a"}, "url"),
        ({"description": "x", "kind": "link", "url": "javascript:alert(1)"}, "url"),
        ({"description": "", "kind": "link", "url": "https://x.test"}, "description"),
        ({"description": "x", "kind": "link", "url": "https://x.test", "sha256": "0"}, "sha256"),
        (
            {"description": "x", "kind": "link", "url": "https://x.test", "file_path": "/etc"},
            "file_path",
        ),
    ],
)
def test_bad_links_are_422_and_write_nothing(world, client, headers_for, case, body, field):
    before = row_counts()
    response = client.post(
        f"{URL}/{case.id}/evidence", json=body, headers=headers_for(world.coordinator)
    )
    assert field in assert_problem(response, 422)["errors"]
    assert row_counts() == before


def test_an_upload_by_someone_who_may_not_add_stores_nothing(
    world, client, headers_for, case, evidence_dir
):
    response = client.post(
        f"{URL}/{case.id}/evidence",
        data={"description": "x", "kind": "photo", "file": (io.BytesIO(b"jpeg"), "a.jpg")},
        content_type="multipart/form-data",
        headers=headers_for(world.liaisons["INSPEKTORAT"]),
    )
    assert_problem(response, 403)
    assert not evidence_dir.exists() or not any(p.is_file() for p in evidence_dir.rglob("*"))


def test_multipart_is_refused_where_only_json_is_taken(world, client, headers_for, case):
    response = client.post(
        f"{URL}/{case.id}/subjects",
        data={"name": "A", "subject_type": "pns"},
        content_type="multipart/form-data",
        headers=headers_for(world.coordinator),
    )
    assert_problem(response, 415)


# --- authority -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("BKDPSDM", {"can_edit", "can_change_stage", "can_share", "can_withdraw", "can_view_full"}),
        ("INSPEKTORAT", {"can_accept", "can_decline", "can_view_full"}),
        ("BAWASLU", {"can_view_full", "can_view_reporter"}),
        ("TNI", set()),
    ],
)
def test_the_authority_block_shows_the_callers_own_permissions(
    world, client, headers_for, case, name, allowed
):
    response = client.get(f"{URL}/{case.id}/authority", headers=headers_for(world.liaisons[name]))
    assert response.status_code == 200
    block = response.get_json()
    assert {k for k, v in block["permissions"].items() if v} == allowed
    assert block["holder"] == {
        "id": str(world.agencies["BKDPSDM"].id),
        "kind": "BKDPSDM",
        "name": world.agencies["BKDPSDM"].name,
    }
    pending = block["pending_handoff"]
    assert pending["to_agency"]["kind"] == "INSPEKTORAT"
    assert pending["from_agency"]["kind"] == "BKDPSDM"
    assert {a["kind"] for a in block["allowed_agencies"]} == {"BAWASLU", "INSPEKTORAT"}


def test_list_items_carry_the_same_allowed_agencies_as_the_rule_per_case(
    world, client, headers_for
):
    from pokja.access.rules import allowed_agencies

    tni_case = new_case(world, subjects=[{"name": "Serka Joko", "subject_type": "tni"}])
    crime = new_case(world, category="election_crime")
    db.session.commit()
    items = client.get(f"{URL}", headers=headers_for(world.coordinator)).get_json()["items"]
    by_id = {i["id"]: {a["id"] for a in i["authority"]["allowed_agencies"]} for i in items}
    for c in (tni_case, crime):
        assert by_id[str(c.id)] == {str(a.id) for a in allowed_agencies(db.session, c)}
    assert by_id[str(tni_case.id)] == {str(world.agencies["TNI"].id)}


def test_an_inactive_agency_is_not_allowed_next(world, client, headers_for, case):

    update_agency(db.session, world.coordinator, world.agencies["INSPEKTORAT"], {"active": False})
    db.session.commit()
    block = client.get(
        f"{URL}/{case.id}/authority", headers=headers_for(world.coordinator)
    ).get_json()
    assert {a["kind"] for a in block["allowed_agencies"]} == {"BAWASLU"}
