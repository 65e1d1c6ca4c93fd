"""The stage table of DESIGN §4, and stage changes on real cases."""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa

from pokja.cases import stages
from pokja.cases.editing import change_stage
from pokja.errors import InvalidTransition, NotPermitted, PreconditionFailed, RuleViolation
from pokja.extensions import db
from pokja.models import DISMISSAL_REASONS, STAGES, Case, Event
from tests.factories import new_case

# DESIGN §4, copied by hand so that a change of the table in code fails here.
DESIGN_TABLE = {
    "received": {"examination", "dismissed"},
    "examination": {"recommended", "forwarded", "dismissed"},
    "recommended": {"decided", "examination"},
    "forwarded": {"decided", "examination"},
    "decided": {"closed", "examination"},
    "dismissed": {"closed", "examination"},
    "closed": {"examination"},
}


def test_the_table_is_designs():
    assert {stage: set(stages.allowed_next(stage)) for stage in STAGES} == DESIGN_TABLE


@pytest.mark.parametrize(("from_stage", "to_stage"), list(itertools.product(STAGES, STAGES)))
def test_every_pair_of_stages(from_stage, to_stage):
    reason = "not_a_violation" if to_stage == "dismissed" else None
    if to_stage in DESIGN_TABLE[from_stage]:
        stages.check_transition(from_stage, to_stage, reason)
    else:
        with pytest.raises(InvalidTransition) as error:
            stages.check_transition(from_stage, to_stage, reason)
        assert error.value.status == 409
        assert error.value.code == "invalid_transition"
        assert set(error.value.allowed) == DESIGN_TABLE[from_stage]
        assert error.value.extra["allowed"] == error.value.allowed


@pytest.mark.parametrize("reason", [None, "", "bored"])
def test_a_dismissal_needs_a_reason_code(reason):
    with pytest.raises(RuleViolation) as error:
        stages.check_transition("received", "dismissed", reason)
    assert error.value.code == "dismissal_reason_required"


@pytest.mark.parametrize("reason", DISMISSAL_REASONS)
def test_every_dismissal_reason_is_accepted(reason):
    stages.check_transition("examination", "dismissed", reason)


def test_only_leaving_closed_is_a_reopen():
    assert stages.is_reopen("closed", "examination")
    assert not stages.is_reopen("dismissed", "examination")


def move(user, case, to_stage, **kwargs):
    return change_stage(db.session, user, case, to_stage, **kwargs)


def test_the_holder_moves_a_case_and_the_move_is_recorded(world):
    liaison = world.liaisons["BAWASLU"]
    case = new_case(world)
    move(liaison, case, "examination")
    move(liaison, case, "dismissed", dismissal_reason="insufficient_evidence", note="Bukti kurang")
    stored = db.session.get(Case, case.id)
    assert (stored.stage, stored.dismissal_reason) == ("dismissed", "insufficient_evidence")
    event = db.session.scalars(
        sa.select(Event)
        .where(Event.case_id == case.id, Event.type == "case.stage_changed")
        .order_by(Event.seq.desc())
    ).first()
    assert event.data["before"] == {"stage": "examination", "dismissal_reason": None}
    assert event.data["after"] == {
        "stage": "dismissed",
        "dismissal_reason": "insufficient_evidence",
    }
    assert event.data["note"] == "Bukti kurang"


def test_an_invalid_move_is_refused_and_nothing_changes(world):
    case = new_case(world)
    with pytest.raises(InvalidTransition) as error:
        move(world.liaisons["BAWASLU"], case, "decided")
    assert error.value.allowed == ["examination", "dismissed"]
    assert db.session.get(Case, case.id).stage == "received"


def test_another_agencys_liaison_cannot_move_the_case(world):
    case = new_case(world)
    with pytest.raises(NotPermitted):
        move(world.liaisons["BKDPSDM"], case, "examination")


def test_a_closed_case_is_reopened_only_by_a_coordinator(world):
    liaison = world.liaisons["BAWASLU"]
    case = new_case(world)
    move(liaison, case, "dismissed", dismissal_reason="not_registered")
    move(liaison, case, "closed")
    assert case.dismissal_reason == "not_registered"
    with pytest.raises(NotPermitted):
        move(liaison, case, "examination")
    move(world.coordinator, case, "examination")
    assert (case.stage, case.dismissal_reason) == ("examination", None)


def test_a_stale_version_is_refused(world):
    case = new_case(world)
    with pytest.raises(PreconditionFailed):
        move(world.liaisons["BAWASLU"], case, "examination", expected_version=case.version + 1)
