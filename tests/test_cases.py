"""Registering and editing cases in the domain layer (no HTTP)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from pokja.audit.access_log import record_personal_data_view
from pokja.cases.editing import update_case
from pokja.cases.evidence import add_evidence
from pokja.cases.registration import create_case
from pokja.cases.subjects import add_subject
from pokja.errors import Conflict, NotPermitted, RuleViolation
from pokja.extensions import db
from pokja.models import Case, Event, Evidence, Subject
from tests.factories import case_data, new_case, reads_of


def test_a_bawaslu_liaison_registers_a_received_case_held_by_bawaslu(world):
    case = new_case(world, external_refs=[{"system": "SIGAPLAPOR", "reference": "SL-2024-77"}])
    stored = db.session.get(Case, case.id)
    assert (stored.stage, stored.holder_agency_id) == ("received", world.agencies["BAWASLU"].id)
    assert stored.violation_types == ["social_media"]
    assert [s.name for s in stored.subjects] == ["Budi Santoso"]
    assert stored.reporter.name == "Siti Aminah"
    assert stored.created_by_id == world.liaisons["BAWASLU"].id


@pytest.mark.parametrize("name", ["BKDPSDM", "secretary", "viewer", "admin"])
def test_only_bawaslu_and_coordinators_register(world, name):
    user = world.liaisons.get(name) or getattr(world, name)
    with pytest.raises(NotPermitted):
        create_case(db.session, user, case_data())


def test_a_coordinator_of_another_agency_registers_for_the_pokjas_bawaslu(world, make_user):
    coordinator = make_user("coordinator", world.pokja, world.agencies["INSPEKTORAT"])
    case = create_case(db.session, coordinator, case_data())
    assert case.holder_agency_id == world.agencies["BAWASLU"].id


def test_an_external_number_is_never_counted_twice(world):
    refs = [{"system": "LAPOR", "reference": "TRK-1"}]
    new_case(world, external_refs=refs)
    with pytest.raises(Conflict) as error:
        new_case(world, external_refs=refs)
    assert error.value.code == "duplicate_external_ref"
    assert new_case(world, external_refs=[{"system": "BKN", "reference": "TRK-1"}])


@pytest.mark.parametrize(
    ("field", "value"),
    [("category", "gossip"), ("violation_types", ["nope"]), ("title", ""), ("source", None)],
)
def test_bad_input_is_a_rule_violation_naming_the_field(world, field, value):
    with pytest.raises(RuleViolation) as error:
        new_case(world, **{field: value})
    assert field in error.value.extra["errors"]


def test_an_unnamed_reporter_must_be_anonymous(world):
    with pytest.raises(RuleViolation):
        new_case(world, reporter={"contact": "08123"})
    assert new_case(world, reporter={"anonymous": True}).reporter.anonymous


def test_an_edit_records_only_what_changed(world):
    case = new_case(world)
    version = case.version
    update_case(
        db.session,
        world.liaisons["BAWASLU"],
        case,
        {"kecamatan": "Kedurang", "desa": case.desa, "violation_types": ["state_facilities"]},
        expected_version=version,
    )
    assert case.version == version + 1
    assert case.violation_types == ["state_facilities"]
    event = db.session.scalar(sa.select(Event).where(Event.type == "case.updated"))
    assert event.data == {
        "before": {"kecamatan": "Manna", "violation_types": ["social_media"]},
        "after": {"kecamatan": "Kedurang", "violation_types": ["state_facilities"]},
    }


def test_stage_and_holder_are_not_edited_directly(world):
    case = new_case(world)
    with pytest.raises(RuleViolation):
        update_case(db.session, world.coordinator, case, {"stage": "closed"})


def test_subjects_and_evidence_are_added_by_the_holder(world):
    case = new_case(world)
    liaison = world.liaisons["BAWASLU"]
    subject = add_subject(db.session, liaison, case, {"name": "Serka A", "subject_type": "tni"})
    assert subject.seq == 1
    evidence = add_evidence(
        db.session,
        liaison,
        case,
        {
            "description": "Tangkapan layar",
            "kind": "screenshot",
            "file_path": "ev/1.png",
            "sha256": "a" * 64,
            "size_bytes": 2048,
        },
    )
    assert db.session.get(Evidence, evidence.id).size_bytes == 2048
    assert db.session.scalar(sa.select(sa.func.count()).where(Subject.case_id == case.id)) == 2
    with pytest.raises(RuleViolation):
        add_evidence(
            db.session,
            liaison,
            case,
            {"description": "x", "kind": "photo", "file_path": "ev/2.png"},
        )
    with pytest.raises(NotPermitted):
        add_subject(db.session, world.liaisons["TNI"], case, {"name": "B", "subject_type": "pns"})


def test_reading_personal_data_is_logged(world):
    case = new_case(world)
    chain_before = db.session.scalar(sa.select(sa.func.count()).select_from(Event))
    record_personal_data_view(db.session, world.coordinator, case, ["reporter", "subjects"])
    (read,) = reads_of(case.id)
    assert read.fields == ["reporter", "subjects"]
    assert (read.user_id, read.agency_id) == (world.coordinator.id, world.coordinator.agency_id)
    # A read is not a change: the access log is its own, the chain holds changes only.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == chain_before
