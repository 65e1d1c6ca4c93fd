"""The demo data set (DESIGN §10): idempotent, covering every stage, subject type and handoff
outcome, with a verifiable audit chain and gapless register numbers."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa

from pokja.audit import events
from pokja.demo import seed
from pokja.demo.cases import CASES
from pokja.demo.catalogue import WIB
from pokja.extensions import db
from pokja.models import (
    CASE_SOURCES,
    STAGES,
    SUBJECT_TYPES,
    VIOLATION_TYPES,
    Case,
    Event,
    Handoff,
    Pokja,
    Share,
    Subject,
    User,
)

COUNTED = (Pokja, User, Case, Subject, Handoff, Share, Event)


def counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in COUNTED
    }


@pytest.fixture
def pokja() -> Pokja:
    seed.seed_demo(db.session, "demo-password")
    db.session.commit()
    return db.session.scalars(sa.select(Pokja).where(Pokja.name == seed.DEMO_POKJA["name"])).one()


def demo_cases(pokja: Pokja) -> list[Case]:
    return list(db.session.scalars(sa.select(Case).where(Case.pokja_id == pokja.id)))


def demo_handoffs(pokja: Pokja) -> list[Handoff]:
    return list(db.session.scalars(sa.select(Handoff).where(Handoff.pokja_id == pokja.id)))


def test_seeding_twice_adds_nothing(pokja: Pokja) -> None:
    before = counts()
    logins = seed.seed_demo(db.session, "demo-password")
    db.session.commit()
    assert counts() == before
    assert {login.username for login in logins} == {u[0] for u in seed.DEMO_USERS}
    assert len(CASES) >= 40
    assert sorted(c.title for c in demo_cases(pokja)) == sorted(c.title for c in CASES)


def test_cases_cover_every_stage_subject_type_and_source(pokja: Pokja) -> None:
    found = demo_cases(pokja)
    assert {case.stage for case in found} == set(STAGES)
    assert {c.source for c in found} == set(CASE_SOURCES)
    assert {(c.election, c.election_kind) for c in found} == {
        ("pemilu-2024", "pemilu"),
        ("pilkada-2024", "pilkada"),
    }
    types = db.session.scalars(
        sa.select(Subject.subject_type).join(Case).where(Case.pokja_id == pokja.id).distinct()
    )
    assert set(types) == set(SUBJECT_TYPES)
    codes = {code for c in CASES for code in c.violation_types}
    assert codes <= set(VIOLATION_TYPES)
    assert len(codes) >= 10


def test_one_report_names_several_civil_servants(pokja: Pokja) -> None:
    per_case = db.session.execute(
        sa.select(Case.source, sa.func.count())
        .join(Subject)
        .where(Case.pokja_id == pokja.id, Subject.subject_type.in_(("pns", "pppk")))
        .group_by(Case.id, Case.source)
    ).all()
    assert max(n for source, n in per_case if source == "report") >= 5


def test_handoffs_are_pending_accepted_declined_and_overdue(pokja: Pokja) -> None:
    today = datetime.now(WIB).date()
    found = demo_handoffs(pokja)
    assert {"pending", "accepted", "declined"} <= {h.status for h in found}
    pending = [h for h in found if h.status == "pending"]
    assert any(h.due_on is not None and h.due_on < today for h in pending)  # overdue
    assert any(h.due_on is not None and h.due_on >= today for h in pending)  # still on time
    declined = [h for h in found if h.status == "declined"]
    assert all(h.decline_reason and h.decline_text for h in declined)
    assert any(h.suggested_agency_id is not None for h in declined)
    # The holder of a case is the receiver of its last accepted handoff.
    latest: dict[Any, Handoff] = {}
    for handoff in sorted(found, key=lambda h: h.created_at):
        if handoff.status == "accepted":
            latest[handoff.case_id] = handoff
    holders = {case.id: case.holder_agency_id for case in demo_cases(pokja)}
    assert latest
    assert all(holders[case_id] == h.to_agency_id for case_id, h in latest.items())
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Share).where(Share.pokja_id == pokja.id)
        )
        >= 2
    )


def test_audit_chain_verifies_and_register_numbers_are_gapless(pokja: Pokja) -> None:
    assert events.verify_chain(db.session, pokja.id) is None
    assert events.count(db.session, pokja.id) > len(CASES)
    sequences: dict[tuple[str, int], list[tuple[datetime, int]]] = defaultdict(list)
    for case in demo_cases(pokja):
        sequences[case.register_kind, case.register_year].append(
            (case.registered_at, case.register_seq)
        )
    assert {kind for kind, _ in sequences} == {"LP", "TM"}
    for numbered in sequences.values():
        numbered.sort()
        # From 1 without gaps, in the order of registration.
        assert [seq for _, seq in numbered] == list(range(1, len(numbered) + 1))
    first = next(c for c in demo_cases(pokja) if c.register_kind == "LP" and c.register_seq == 1)
    assert first.register_number == "001/LP/PL/Kab/17.01/I/2024"
