"""A deadline question's lower bound (``DueScope.since``, what an agenda's section 5 asks):
every source leaves out in SQL what fell due before the instant, and lists exactly what the
unbounded question lists from it on — nothing more, nothing less, in any source."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from pokja.cases.facts import PokjaFacts
from pokja.extensions import db
from pokja.followup.recommendations import issue_recommendation
from pokja.models import Decision
from pokja.time import sources
from pokja.time.scope import DueScope, PokjaClocks
from tests import agenda_data
from tests.agenda_data import NOW, STARTS

KINDS = {"handoff", "case_decision", "recommendation", "escalation", "decision"}


@pytest.fixture
def data(world, monkeypatch):
    data = agenda_data.build(world, monkeypatch)
    # A decision and a recommendation due after the meeting too, so that every source has
    # items on both sides of it (BKDPSDM's among them).
    bkd = world.agencies["BKDPSDM"]
    db.session.add(
        Decision(
            pokja_id=world.pokja.id,
            meeting_id=data.previous.id,
            text="BKPSDM memeriksa kepala desa",
            owner_agency_id=bkd.id,
            due_on=date(2024, 3, 8),
            due_unit="calendar",
        )
    )
    issue_recommendation(
        db.session,
        world.liaisons["BAWASLU"],
        data.cases["recommended_2"],
        {
            "addressee_agency_id": bkd.id,
            "number": "003/REK/2024",
            "date": date(2024, 3, 4),
            "text": "Rekomendasi kedua",
        },
    )
    db.session.commit()
    return data


def _scope(data, **fields) -> DueScope:
    facts = PokjaFacts.load(db.session, data.world.pokja.id)
    clocks = PokjaClocks(calendar=facts.calendar, settings=facts.settings, until=date(2024, 4, 30))
    return DueScope(now=NOW, pokjas={data.world.pokja.id: clocks}, **fields)


def _keys(items) -> list[tuple[str, str, datetime]]:
    return sorted((item.kind, str(item.item_id), item.due_at) for item in items)


def test_every_source_has_items_before_and_after_the_meeting(data):
    items = sources.collect(db.session, _scope(data))
    assert {i.kind for i in items if i.due_at < STARTS} == KINDS - {"escalation"}
    assert {i.kind for i in items if i.due_at >= STARTS} == KINDS


def test_since_lists_exactly_the_unbounded_items_due_from_it_on(data):
    everything = sources.collect(db.session, _scope(data))
    instants = sorted({item.due_at for item in everything})
    # Each deadline itself, a microsecond after it, and a point inside a due day (the day
    # sources compare days in SQL: a day ending later than ``since`` stays, one ending
    # earlier goes).
    probes = [STARTS, *instants, *(t + timedelta(microseconds=1) for t in instants)]
    probes += [t - timedelta(hours=5) for t in instants]
    for since in probes:
        bounded = sources.collect(db.session, _scope(data, since=since))
        assert _keys(bounded) == _keys(i for i in everything if i.due_at >= since), since


def test_since_combines_with_an_agency_and_the_overdue_filter(data):
    bkd = data.world.agencies["BKDPSDM"]
    base = _scope(data, agency_id=bkd.id, agency_kind="BKDPSDM")
    for overdue in (None, True, False):
        everything = sources.collect(db.session, replace(base, overdue=overdue))
        bounded = sources.collect(db.session, replace(base, overdue=overdue, since=STARTS))
        assert _keys(bounded) == _keys(i for i in everything if i.due_at >= STARTS)
    assert sources.collect(db.session, replace(base, since=STARTS))


def test_since_adds_no_statement(data, count_queries):
    unbounded_scope, bounded_scope = _scope(data), _scope(data, since=STARTS)
    with count_queries() as unbounded:
        sources.collect(db.session, unbounded_scope)
    with count_queries() as bounded:
        assert sources.collect(db.session, bounded_scope)
    assert len(bounded) == len(unbounded)
