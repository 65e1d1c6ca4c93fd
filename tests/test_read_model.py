"""The case read model against the documented contract: what the hot reads encode once with
orjson is exactly what ``CaseSchema`` would dump from the same view (DESIGN §12)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from pokja.api.schemas.cases import CaseSchema
from pokja.cases import presentation
from pokja.cases.clock_extensions import extend_clock
from pokja.cases.editing import change_stage
from pokja.extensions import db
from tests.factories import held_by_bkdpsdm_pending_to_inspektorat, new_case

URL = "/api/v1/cases"


@pytest.fixture
def cases(world):
    """Every part a view can have: subjects, reporter, references, violation types, a pending
    handoff, an extended clock, a share; and a bare finding."""
    rich = held_by_bkdpsdm_pending_to_inspektorat(world)
    extended = new_case(world, occurred_on=date(2024, 1, 3))
    change_stage(db.session, world.liaisons["BAWASLU"], extended, "examination")
    extend_clock(db.session, world.coordinator, extended, "decision", "Keterangan tambahan")
    bare = new_case(world, source="finding", reporter=None, subjects=[], external_refs=[])
    db.session.commit()
    return [rich, extended, bare]


def dumped(view):
    """The view as the schema documents it, through JSON."""
    return json.loads(json.dumps(CaseSchema().dump(view)))


@pytest.mark.parametrize("caller", ["coordinator", "BAWASLU", "BKDPSDM", "INSPEKTORAT", "TNI"])
def test_what_is_encoded_once_is_what_the_schema_dumps(world, client, headers_for, cases, caller):
    user = world.liaisons.get(caller) or getattr(world, caller)
    listed = client.get(URL, headers=headers_for(user)).get_json()["items"]
    assert len(listed) == 3
    for case in cases:
        one = client.get(f"{URL}/{case.id}", headers=headers_for(user)).get_json()
        assert one == dumped(presentation.read_case(db.session, user, case.id))
        (item,) = [i for i in listed if i["id"] == str(case.id)]
        assert "reporter" not in item  # lists never carry the reporter
        assert item == {key: value for key, value in one.items() if key != "reporter"}


def test_the_views_carry_what_the_old_representation_carried(world, client, headers_for, cases):
    rich, extended, _bare = cases
    body = client.get(f"{URL}/{rich.id}", headers=headers_for(world.coordinator)).get_json()
    assert body["subjects"][0]["name"] == "Budi Santoso"
    assert body["reporter"]["anonymous"] is False
    assert body["authority"]["holder"]["kind"] == "BKDPSDM"
    assert body["authority"]["pending_handoff"]["to_agency"]["kind"] == "INSPEKTORAT"
    assert body["authority"]["permissions"]["can_accept"] is True
    decision = client.get(f"{URL}/{extended.id}", headers=headers_for(world.coordinator))
    (clock,) = [c for c in decision.get_json()["deadlines"] if c["clock"] == "decision"]
    assert clock["extension"]["reason"] == "Keterangan tambahan"
    redacted = client.get(f"{URL}/{rich.id}", headers=headers_for(world.liaisons["TNI"]))
    assert redacted.get_json()["redacted"] is True
    assert "Budi" not in redacted.get_data(as_text=True)


def test_the_deadlines_list_is_encoded_as_its_schema_dumps(world, client, headers_for, cases):
    from pokja.api.schemas.deadlines import DueListSchema
    from pokja.time import clock
    from pokja.time.due import due_items

    body = client.get("/api/v1/deadlines?within_days=365", headers=headers_for(world.coordinator))
    assert body.status_code == 200
    assert len(body.get_json()["items"]) >= 3
    items = due_items(db.session, world.coordinator, within_days=365, now=clock.now())
    page = {"items": items, "next_cursor": None}
    assert body.get_json() == json.loads(json.dumps(DueListSchema().dump(page)))
