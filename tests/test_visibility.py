"""Who sees which cases, and which in full (DESIGN §5)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from pokja.access.scopes import can_see_full, full_access_condition, search_condition, visible_cases
from pokja.extensions import db
from pokja.handoffs import shares
from pokja.handoffs.lifecycle import accept_handoff, decline_handoff
from pokja.models import Case
from tests.factories import hand_off, new_case


def listed(user):
    """(case id, full?) for every case the user's list shows, as the API computes it."""
    stmt = visible_cases(user).with_only_columns(Case.id, full_access_condition(user).label("full"))
    return {row.id: bool(row.full) for row in db.session.execute(stmt)}


def test_cases_of_another_pokja_are_invisible(world):
    case = new_case(world)
    other = new_case(world, actor=world.other_coordinator)
    assert case.id in listed(world.viewer)
    assert other.id not in listed(world.viewer)
    assert list(listed(world.other_liaison)) == [other.id]
    assert listed(world.admin) == {}
    assert not can_see_full(db.session, world.other_coordinator, case)


@pytest.mark.parametrize("name", ["coordinator", "secretary", "BAWASLU"])
def test_bawaslu_coordinators_and_secretaries_see_every_case_in_full(world, name):
    user = world.liaisons.get(name) or getattr(world, name)
    case = new_case(world)
    assert listed(user)[case.id] is True
    assert can_see_full(db.session, user, case)


def test_viewers_see_redacted_summaries_only(world):
    case = new_case(world)
    assert listed(world.viewer) == {case.id: False}
    assert not can_see_full(db.session, world.viewer, case)


def test_another_agency_sees_in_full_what_it_was_handed(world):
    case = new_case(world)
    bkd, inspektorat = world.liaisons["BKDPSDM"], world.liaisons["INSPEKTORAT"]
    assert listed(bkd)[case.id] is False
    handoff = hand_off(world, case)
    assert listed(bkd)[case.id] is True  # a handoff to it, even pending
    decline_handoff(
        db.session, bkd, handoff, {"decline_reason": "duplicate", "decline_text": "Sudah ada"}
    )
    assert can_see_full(db.session, bkd, case)  # it had a handoff to it
    accept_handoff(db.session, inspektorat, hand_off(world, case, "INSPEKTORAT"))
    assert listed(inspektorat)[case.id] is True  # holds it
    accept_handoff(
        db.session,
        world.liaisons["BKDPSDM"],
        hand_off(world, case, "BKDPSDM", actor=inspektorat),
    )
    assert can_see_full(db.session, inspektorat, case)  # has held it
    assert not can_see_full(db.session, world.liaisons["TNI"], case)


def test_a_share_gives_full_view_until_revoked(world):
    case = new_case(world)
    kejari = world.liaisons["KEJARI"]
    share = shares.grant_share(
        db.session, world.liaisons["BAWASLU"], case, world.agencies["KEJARI"].id, "Sentra Gakkumdu"
    )
    assert listed(kejari)[case.id] is True
    assert listed(world.liaisons["POLRI"])[case.id] is False
    shares.revoke_share(db.session, world.coordinator, case, share.id)
    assert listed(kejari)[case.id] is False


def test_text_search_never_matches_redacted_text(world):
    case = new_case(world, title="Camat hadir deklarasi pasangan calon")

    def search(user, q):
        stmt = visible_cases(user).where(search_condition(user, q))
        return db.session.scalars(stmt.with_only_columns(Case.id)).all()

    assert search(world.liaisons["BAWASLU"], "deklarasi") == [case.id]
    assert search(world.liaisons["BAWASLU"], "budi santoso") == [case.id]  # a subject's name
    assert search(world.liaisons["POLRI"], "deklarasi") == []
    assert search(world.viewer, "Budi") == []
    assert search(world.viewer, case.register_number[:7]) == [case.id]
    assert search(world.viewer, "%") == []  # LIKE wildcards are literal


def test_the_full_view_is_one_sql_expression_per_row(world):
    case = new_case(world)
    condition = full_access_condition(world.liaisons["TNI"])
    sql = str(sa.select(Case.id).where(condition).compile(db.engine))
    assert "EXISTS" in sql
    assert (
        case.id not in listed(world.liaisons["TNI"]) or not listed(world.liaisons["TNI"])[case.id]
    )
