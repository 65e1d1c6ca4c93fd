"""Authority rules, the permissions table and handoffs (DESIGN §4)."""

from __future__ import annotations

import dataclasses
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from pokja.access.permissions import Permissions, case_permissions, permissions
from pokja.access.rules import DEFAULT_RULES, allowed_agencies, allowed_agency_kinds
from pokja.cases.editing import update_case
from pokja.errors import Conflict, NotFound, NotPermitted, RuleViolation
from pokja.extensions import db
from pokja.handoffs.lifecycle import (
    accept_handoff,
    decline_handoff,
    start_handoff,
    withdraw_handoff,
)
from pokja.handoffs.queries import pending_handoff
from pokja.models import AuthorityRule, Case, Event, Handoff
from tests.factories import hand_off, new_case


def subjects(*types):
    return [{"name": f"Orang {i}", "subject_type": t} for i, t in enumerate(types)]


def test_a_new_pokja_gets_the_default_rules(make_pokja):
    pokja = make_pokja()
    rules = db.session.scalars(sa.select(AuthorityRule).where(AuthorityRule.pokja_id == pokja.id))
    stored = {(r.subject_type, r.category, r.agency_kind) for r in rules}
    assert stored == set(DEFAULT_RULES)
    assert ("pns", "neutrality", "BKDPSDM") in stored


@pytest.mark.parametrize(
    ("types", "category", "kinds"),
    [
        (("pns",), "neutrality", {"BAWASLU", "BKDPSDM", "INSPEKTORAT"}),
        (("pppk",), "administrative", {"BAWASLU", "BKDPSDM", "INSPEKTORAT"}),
        (("non_asn",), "other_law", {"BAWASLU"}),
        (("village_head",), "other_law", {"BAWASLU", "INSPEKTORAT", "BKDPSDM"}),
        (("tni",), "neutrality", {"BAWASLU", "TNI"}),
        (("polri",), "neutrality", {"BAWASLU", "POLRI"}),
        (("pns",), "election_crime", {"BAWASLU", "POLRI", "KEJARI"}),
        (("pns", "tni"), "neutrality", {"BAWASLU", "BKDPSDM", "INSPEKTORAT", "TNI"}),
        ((), "neutrality", {"BAWASLU"}),
    ],
)
def test_the_rules_allow_agency_kinds_by_subjects_and_category(world, types, category, kinds):
    case = new_case(world, subjects=subjects(*types), category=category)
    assert allowed_agency_kinds(db.session, case) == kinds


def test_allowed_agencies_are_the_pokjas_own_minus_the_holder(world):
    case = new_case(world, subjects=subjects("tni"))
    assert [a.id for a in allowed_agencies(db.session, case)] == [world.agencies["TNI"].id]


def test_a_coordinator_edits_the_pokjas_rules(world):
    db.session.add(AuthorityRule(pokja_id=world.pokja.id, subject_type="tni", agency_kind="POLRI"))
    case = new_case(world, subjects=subjects("tni"))
    assert "POLRI" in allowed_agency_kinds(db.session, case)


# Flags in Permissions field order: edit, change_stage, handoff, accept, decline, withdraw,
# share, view_full, view_reporter ("x" allowed, "." refused).
FIELDS = [f.name for f in dataclasses.fields(Permissions)]
MATRIX = [
    # who, situation, flags
    ("coordinator", "open", "xxx...xxx"),
    ("coordinator", "pending", "xx.xxxxxx"),
    ("coordinator", "closed", ".x....xxx"),
    ("BAWASLU", "open", "xxx...xxx"),
    ("BAWASLU", "pending", "xx...xxxx"),
    ("BAWASLU", "closed", "......xxx"),
    ("BKDPSDM", "open", "........."),
    ("BKDPSDM", "pending", "...xx..x."),
    ("TNI", "pending", "........."),
    ("secretary", "pending", ".......x."),
    ("viewer", "pending", "........."),
    ("admin", "pending", "........."),
    ("other_coordinator", "pending", "........."),
    ("other_liaison", "open", "........."),
]


def who(world, name):
    if name in world.liaisons:
        return world.liaisons[name]
    return getattr(world, name)


@pytest.mark.parametrize(("name", "situation", "flags"), MATRIX)
def test_permissions_matrix(world, name, situation, flags):
    case = new_case(world)
    pending = hand_off(world, case) if situation == "pending" else None
    if situation == "closed":
        case.stage = "closed"
    perms = case_permissions(db.session, who(world, name), case, pending)
    expected = {field: flag == "x" for field, flag in zip(FIELDS, flags, strict=True)}
    assert dataclasses.asdict(perms) == expected


def test_a_past_handoff_or_the_sql_answer_gives_full_view(world):
    case = new_case(world)
    liaison = world.liaisons["KEJARI"]
    assert not case_permissions(db.session, liaison, case).can_view_full
    handoff = hand_off(world, case, "KEJARI", world.coordinator, override_justification="Gakkumdu")
    withdraw_handoff(db.session, world.liaisons["BAWASLU"], handoff)
    assert case_permissions(db.session, liaison, case).can_view_full  # it had a handoff to it
    assert permissions(liaison, case, None, full_access=True).can_view_full
    assert not permissions(world.viewer, case, None, full_access=True).can_view_full


# --- handoffs --------------------------------------------------------------------------------


def test_the_holder_hands_off_and_the_receiver_accepts(world):
    case = new_case(world)
    handoff = hand_off(world, case, letter_number="001/PP.01/K.BE-07/03/2024")
    assert handoff.status == "pending"
    assert pending_handoff(db.session, case.id).id == handoff.id
    version = case.version
    accept_handoff(db.session, world.liaisons["BKDPSDM"], handoff)
    stored = db.session.get(Case, case.id)
    assert stored.holder_agency_id == world.agencies["BKDPSDM"].id
    assert stored.version == version + 1
    assert handoff.status == "accepted"
    assert handoff.decided_by_id == world.liaisons["BKDPSDM"].id
    types = db.session.scalars(
        sa.select(Event.type).where(Event.case_id == case.id).order_by(Event.seq)
    ).all()
    assert types == ["case.created", "handoff.started", "handoff.accepted"]


def test_a_second_accept_is_a_conflict(world):
    case = new_case(world)
    handoff = hand_off(world, case)
    accept_handoff(db.session, world.liaisons["BKDPSDM"], handoff)
    with pytest.raises(Conflict) as error:
        accept_handoff(db.session, world.coordinator, handoff)
    assert error.value.code == "handoff_not_pending"


def test_an_accept_decided_by_the_database_not_by_a_stale_object(world):
    case = new_case(world)
    handoff = hand_off(world, case)
    db.session.execute(
        sa.update(Handoff).where(Handoff.id == handoff.id).values(status="withdrawn")
    )
    with pytest.raises(Conflict):
        accept_handoff(db.session, world.liaisons["BKDPSDM"], handoff)
    assert db.session.get(Case, case.id).holder_agency_id == world.agencies["BAWASLU"].id


def test_a_handoff_to_the_holder_is_refused(world):
    case = new_case(world)
    with pytest.raises(RuleViolation) as error:
        hand_off(world, case, "BAWASLU")
    assert error.value.code == "handoff_to_holder"


def test_a_handoff_to_another_pokjas_agency_is_an_unknown_agency(world):
    case = new_case(world)
    data = {"to_agency_id": world.other_agency.id, "purpose": "follow_up"}
    with pytest.raises(RuleViolation) as error:
        start_handoff(db.session, world.liaisons["BAWASLU"], case, data)
    assert error.value.status == 422
    assert error.value.code == "unknown_agency"
    data["to_agency_id"] = uuid.uuid4()
    with pytest.raises(RuleViolation):
        start_handoff(db.session, world.liaisons["BAWASLU"], case, data)


def test_a_second_pending_handoff_is_a_conflict(world):
    case = new_case(world)
    hand_off(world, case)
    with pytest.raises(Conflict) as error:
        hand_off(world, case, "INSPEKTORAT")
    assert error.value.code == "handoff_pending"


def test_the_rules_refuse_an_agency_unless_a_coordinator_justifies_it(world):
    case = new_case(world)  # a civil servant: TNI has no authority
    with pytest.raises(RuleViolation) as error:
        hand_off(world, case, "TNI")
    assert error.value.code == "authority_not_permitted"
    with pytest.raises(RuleViolation):
        hand_off(world, case, "TNI", override_justification="Saya mau")  # a liaison cannot
    with pytest.raises(RuleViolation):
        hand_off(world, case, "TNI", actor=world.coordinator)  # no justification
    handoff = hand_off(
        world,
        case,
        "TNI",
        actor=world.coordinator,
        override_justification="Rakor 12/3: anggota TNI",
    )
    assert handoff.override_justification == "Rakor 12/3: anggota TNI"
    event = db.session.scalar(
        sa.select(Event).where(Event.case_id == case.id, Event.type == "handoff.started")
    )
    assert event.data["override_justification"] == "Rakor 12/3: anggota TNI"


def test_only_the_holder_or_a_coordinator_hands_off(world):
    case = new_case(world)
    with pytest.raises(NotPermitted):
        hand_off(world, case, "INSPEKTORAT", actor=world.liaisons["BKDPSDM"])
    with pytest.raises(NotPermitted):
        hand_off(world, case, actor=world.secretary)
    assert hand_off(world, case, actor=world.coordinator).status == "pending"


def test_a_decline_needs_a_reason_code_and_a_text(world):
    case = new_case(world)
    handoff = hand_off(world, case)
    receiver = world.liaisons["BKDPSDM"]
    with pytest.raises(RuleViolation):
        decline_handoff(db.session, receiver, handoff, {"decline_text": "Bukan kami"})
    with pytest.raises(RuleViolation):
        decline_handoff(db.session, receiver, handoff, {"decline_reason": "other"})
    decline_handoff(
        db.session,
        receiver,
        handoff,
        {
            "decline_reason": "not_our_authority",
            "decline_text": "Terlapor guru PPPK provinsi",
            "suggested_agency_id": world.agencies["INSPEKTORAT"].id,
        },
    )
    assert (handoff.status, handoff.decline_reason) == ("declined", "not_our_authority")
    assert handoff.suggested_agency_id == world.agencies["INSPEKTORAT"].id
    assert db.session.get(Case, case.id).holder_agency_id == world.agencies["BAWASLU"].id
    # The case may be handed off again: only pending handoffs are unique per case.
    assert hand_off(world, case, "INSPEKTORAT").status == "pending"


def test_only_the_receiver_accepts_and_only_the_sender_withdraws(world):
    case = new_case(world)
    handoff = hand_off(world, case)
    with pytest.raises(NotPermitted):
        accept_handoff(db.session, world.liaisons["BAWASLU"], handoff)
    with pytest.raises(NotPermitted):
        withdraw_handoff(db.session, world.liaisons["BKDPSDM"], handoff)
    with pytest.raises(NotFound):
        accept_handoff(db.session, world.other_coordinator, handoff)
    withdraw_handoff(db.session, world.liaisons["BAWASLU"], handoff)
    assert handoff.status == "withdrawn"
    assert handoff.withdrawn_by_id == world.liaisons["BAWASLU"].id
    with pytest.raises(Conflict):
        accept_handoff(db.session, world.liaisons["BKDPSDM"], handoff)


def test_the_database_holds_one_pending_handoff_per_case(world):
    case = new_case(world)
    row = {
        "pokja_id": world.pokja.id,
        "case_id": case.id,
        "from_agency_id": world.agencies["BAWASLU"].id,
        "purpose": "follow_up",
        "reason": "",
        "status": "pending",
        "created_at": case.created_at,
    }
    table = Handoff.__table__
    db.session.execute(
        sa.insert(table).values(id=uuid.uuid4(), to_agency_id=world.agencies["BKDPSDM"].id, **row)
    )
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.execute(
            sa.insert(table).values(
                id=uuid.uuid4(), to_agency_id=world.agencies["INSPEKTORAT"].id, **row
            )
        )
    # A non-pending one is fine.
    db.session.execute(
        sa.insert(table).values(
            id=uuid.uuid4(),
            to_agency_id=world.agencies["POLRI"].id,
            **{**row, "status": "declined", "decline_reason": "other"},
        )
    )


def test_an_accepted_holder_may_edit_and_the_former_may_not(world):
    case = new_case(world)
    accept_handoff(db.session, world.liaisons["BKDPSDM"], hand_off(world, case))
    update_case(db.session, world.liaisons["BKDPSDM"], case, {"kecamatan": "Kedurang"})
    with pytest.raises(NotPermitted):
        update_case(db.session, world.liaisons["BAWASLU"], case, {"kecamatan": "Manna"})
