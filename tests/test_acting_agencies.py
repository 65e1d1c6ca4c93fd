"""Who acts on a deadline (pokja.time.acting) answers the same from a Pokja's facts as from its
own queries: /deadlines, /action-needed and the agenda pass the facts' agencies, the reminder
pass over every Pokja does not."""

from __future__ import annotations

from datetime import date, timedelta

from pokja.cases.facts import PokjaFacts
from pokja.extensions import db
from pokja.models import Agency
from pokja.time import clock
from pokja.time.acting import addressee_sides, bawaslu_agencies
from pokja.time.scope import DueScope, PokjaClocks


def _scope(world, *, with_agencies: bool) -> DueScope:
    facts = PokjaFacts.load(db.session, world.pokja.id)
    clocks = PokjaClocks(
        calendar=facts.calendar,
        settings=facts.settings,
        until=date.today() + timedelta(days=30),
        agencies=facts.by_age if with_agencies else None,
    )
    return DueScope(now=clock.now(), pokjas={world.pokja.id: clocks})


def test_the_facts_name_the_same_deciding_and_acting_agencies_as_the_queries(world, make_agency):
    # A second Bawaslu (the first one still decides), a second BKDPSDM that acts for outside
    # addressees too, an inactive one that does not, and an outside addressee (the regent).
    make_agency(world.pokja, "BAWASLU")
    second = make_agency(world.pokja, "BKDPSDM")
    retired = make_agency(world.pokja, "BKDPSDM")
    retired.active = False
    regent = make_agency(world.pokja, "PPK")
    db.session.commit()
    addressees = {
        agency.id: (world.pokja.id, agency.kind)
        for agency in (regent, world.agencies["INSPEKTORAT"], world.agencies["BKDPSDM"])
    }

    queried = _scope(world, with_agencies=False)
    known = _scope(world, with_agencies=True)

    assert bawaslu_agencies(db.session, known) == bawaslu_agencies(db.session, queried)
    assert bawaslu_agencies(db.session, known) == {world.pokja.id: world.agencies["BAWASLU"].id}
    sides = addressee_sides(db.session, known, addressees)
    assert sides == addressee_sides(db.session, queried, addressees)
    # The regent's side: itself and the active BKDPSDMs, oldest first; the others act alone.
    assert sides[regent.id] == (regent.id, world.agencies["BKDPSDM"].id, second.id)
    assert sides[world.agencies["INSPEKTORAT"].id] == (world.agencies["INSPEKTORAT"].id,)
    assert db.session.get(Agency, retired.id).active is False


def test_an_agency_added_after_the_facts_were_read_is_in_the_next_reads_facts(world, make_agency):
    before = PokjaFacts.load(db.session, world.pokja.id).by_age
    added = make_agency(world.pokja, "TNI")
    after = PokjaFacts.load(db.session, world.pokja.id).by_age
    assert [a.id for a in after] == [a.id for a in before] + [added.id]
