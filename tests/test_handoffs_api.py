"""Handoffs (pelimpahan) through the HTTP API: start, inbox, accept, decline, withdraw."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from pokja.extensions import db
from pokja.models import AuthorityRule, Case, Event, Handoff, Share
from pokja.time import clock
from pokja.time.calendar import PokjaCalendar
from tests.factories import hand_off, new_case

HANDOFFS = "/api/v1/handoffs"


def case_handoffs(case):
    return f"/api/v1/cases/{case.id}/handoffs"


def assert_problem(response, status, code=None):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    if code:
        assert body["code"] == code
    return body


def snapshot(case=None):
    """What a refused request must leave as it was: row counts, the event chain, the case."""
    db.session.expire_all()
    state = {
        model.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Handoff, Share, Event, AuthorityRule, Case)
    }
    state["statuses"] = sorted(db.session.scalars(sa.select(Handoff.status)))
    if case is not None:
        stored = db.session.get(Case, case.id)
        state["case"] = (stored.holder_agency_id, stored.version, stored.stage)
    return state


def committed_case(world, **overrides):
    case = new_case(world, **overrides)
    db.session.commit()
    return case


def body(world, to_kind="BKDPSDM", **fields):
    data = {
        "to_agency_id": str(world.agencies[to_kind].id),
        "purpose": "follow_up",
        "reason": "Dugaan pelanggaran netralitas PNS; mohon tindak lanjut.",
        "letter_number": "012/PP.01.02/K.BE-07/03/2024",
        "letter_date": "2024-03-13",
    }
    data.update(fields)
    return data


def start(client, headers_for, world, case, actor=None, to_kind="BKDPSDM", **fields):
    response = client.post(
        case_handoffs(case),
        json=body(world, to_kind, **fields),
        headers=headers_for(actor or world.liaisons["BAWASLU"]),
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def event_types(case):
    return db.session.scalars(
        sa.select(Event.type).where(Event.case_id == case.id).order_by(Event.seq)
    ).all()


def ids(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["id"] for item in response.get_json()["items"]]


# --- lifecycle -------------------------------------------------------------------------------


def test_the_holder_hands_off_and_the_receiver_accepts(client, world, headers_for):
    case = committed_case(world)
    response = client.post(
        case_handoffs(case), json=body(world), headers=headers_for(world.liaisons["BAWASLU"])
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    assert response.headers["Location"].endswith(f"{HANDOFFS}/{created['id']}")
    assert created["status"] == "pending"
    assert created["case_id"] == str(case.id)
    assert created["case_register_number"] == case.register_number
    assert created["from_agency_id"] == str(world.agencies["BAWASLU"].id)
    assert created["to_agency_id"] == str(world.agencies["BKDPSDM"].id)
    assert created["letter_number"] == "012/PP.01.02/K.BE-07/03/2024"
    assert created["letter_date"] == "2024-03-13"
    assert created["overdue"] is False
    assert created["override_justification"] is None
    sent_at = datetime.fromisoformat(created["created_at"])
    calendar = PokjaCalendar("Asia/Jakarta")
    expected_due = calendar.add_days(calendar.local_date(sent_at), 3, "working")
    assert created["due_on"] == expected_due.isoformat()
    assert created["due_at"] == f"{expected_due.isoformat()}T23:59:59.999999+07:00"

    receiver = headers_for(world.liaisons["BKDPSDM"])
    assert client.get(f"{HANDOFFS}/{created['id']}", headers=receiver).get_json() == created
    response = client.post(f"{HANDOFFS}/{created['id']}/accept", headers=receiver)
    assert response.status_code == 200, response.get_data(as_text=True)
    accepted = response.get_json()
    assert accepted["status"] == "accepted"
    assert accepted["decided_by_id"] == str(world.liaisons["BKDPSDM"].id)
    assert accepted["decided_at"] is not None
    db.session.expire_all()
    assert db.session.get(Case, case.id).holder_agency_id == world.agencies["BKDPSDM"].id
    assert event_types(case) == ["case.created", "handoff.started", "handoff.accepted"]

    # The new holder hands it on; the former holder no longer may.
    start(client, headers_for, world, case, world.liaisons["BKDPSDM"], "INSPEKTORAT")
    response = client.post(
        case_handoffs(case), json=body(world), headers=headers_for(world.liaisons["BAWASLU"])
    )
    assert_problem(response, 403, "forbidden")


def test_a_decline_keeps_the_holder_and_records_reason_text_and_suggestion(
    client, world, headers_for
):
    case = committed_case(world)
    handoff = start(client, headers_for, world, case)
    decline = {
        "decline_reason": "not_our_authority",
        "decline_text": "Terlapor guru PPPK provinsi.",
        "suggested_agency_id": str(world.agencies["INSPEKTORAT"].id),
    }
    response = client.post(
        f"{HANDOFFS}/{handoff['id']}/decline",
        json=decline,
        headers=headers_for(world.liaisons["BKDPSDM"]),
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    declined = response.get_json()
    assert declined["status"] == "declined"
    assert {k: declined[k] for k in decline} == decline
    db.session.expire_all()
    assert db.session.get(Case, case.id).holder_agency_id == world.agencies["BAWASLU"].id
    assert event_types(case)[-1] == "handoff.declined"
    # Only pending handoffs are one per case: the holder tries the suggested agency next.
    start(client, headers_for, world, case, to_kind="INSPEKTORAT")


def test_the_sender_withdraws_and_then_nobody_accepts(client, world, headers_for):
    case = committed_case(world)
    handoff = start(client, headers_for, world, case)
    response = client.post(
        f"{HANDOFFS}/{handoff['id']}/withdraw", headers=headers_for(world.liaisons["BAWASLU"])
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["status"] == "withdrawn"
    assert response.get_json()["withdrawn_by_id"] == str(world.liaisons["BAWASLU"].id)
    before = snapshot(case)
    response = client.post(
        f"{HANDOFFS}/{handoff['id']}/accept", headers=headers_for(world.liaisons["BKDPSDM"])
    )
    assert_problem(response, 409, "handoff_not_pending")
    response = client.post(
        f"{HANDOFFS}/{handoff['id']}/withdraw", headers=headers_for(world.liaisons["BAWASLU"])
    )
    assert_problem(response, 409, "handoff_not_pending")
    assert snapshot(case) == before


def test_a_coordinator_overrides_the_rules_with_a_recorded_justification(
    client, world, headers_for
):
    case = committed_case(world)  # a civil servant: the rules give TNI no authority
    justification = "Rakor 12 Maret 2024: terlapor ternyata anggota TNI aktif."
    created = start(
        client,
        headers_for,
        world,
        case,
        world.coordinator,
        "TNI",
        override_justification=justification,
    )
    assert created["override_justification"] == justification
    event = db.session.scalar(
        sa.select(Event).where(Event.case_id == case.id, Event.type == "handoff.started")
    )
    assert event.data["override_justification"] == justification
    assert event.actor_user_id == world.coordinator.id


def test_a_justification_for_an_allowed_agency_overrides_nothing(client, world, headers_for):
    case = committed_case(world)
    created = start(
        client, headers_for, world, case, world.coordinator, override_justification="Tidak perlu"
    )
    assert created["override_justification"] is None


def test_a_coordinator_accepts_for_the_receiving_agency(client, world, headers_for):
    case = committed_case(world)
    handoff = start(client, headers_for, world, case)
    response = client.post(
        f"{HANDOFFS}/{handoff['id']}/accept", headers=headers_for(world.coordinator)
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Case, case.id).holder_agency_id == world.agencies["BKDPSDM"].id


# --- deadline and overdue --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("time_zone", "due_on"),
    [
        # Thursday 29 February 2024, 23:30 in Jakarta: Fri 1, Mon 4, Tue 5 March.
        ("Asia/Jakarta", "2024-03-05"),
        # The same instant is already Friday 01:30 in Jayapura: Mon 4, Tue 5, Wed 6 March.
        ("Asia/Jayapura", "2024-03-06"),
    ],
)
def test_due_on_is_three_working_days_counted_in_the_pokjas_zone(
    client, world, headers_for, monkeypatch, time_zone, due_on
):
    world.pokja.timezone = time_zone
    case = committed_case(world)
    sent_at = datetime(2024, 2, 29, 16, 30, tzinfo=UTC)
    monkeypatch.setattr(clock, "now", lambda: sent_at)
    created = start(client, headers_for, world, case)
    assert created["due_on"] == due_on
    assert datetime.fromisoformat(created["created_at"]) == sent_at


def set_due_on(handoff_id, due_on):
    db.session.execute(
        sa.update(Handoff).where(Handoff.id == uuid.UUID(handoff_id)).values(due_on=due_on)
    )
    db.session.commit()


def test_overdue_is_derived_when_read(client, world, headers_for):
    late_case, fresh_case, done_case = (committed_case(world) for _ in range(3))
    late = start(client, headers_for, world, late_case)
    fresh = start(client, headers_for, world, fresh_case)
    done = start(client, headers_for, world, done_case)
    today = PokjaCalendar("Asia/Jakarta").local_date(datetime.now(UTC))
    set_due_on(late["id"], today - timedelta(days=1))
    set_due_on(fresh["id"], today)
    set_due_on(done["id"], today - timedelta(days=10))
    receiver = headers_for(world.liaisons["BKDPSDM"])
    client.post(f"{HANDOFFS}/{done['id']}/accept", headers=receiver)

    items = client.get(HANDOFFS, headers=receiver).get_json()["items"]
    assert {item["id"]: item["overdue"] for item in items} == {
        late["id"]: True,
        fresh["id"]: False,
        done["id"]: False,  # answered: never overdue
    }
    assert ids(client.get(HANDOFFS, query_string={"overdue": "true"}, headers=receiver)) == [
        late["id"]
    ]
    assert ids(client.get(HANDOFFS, query_string={"overdue": "false"}, headers=receiver)) == [
        fresh["id"],
        done["id"],
    ]


@pytest.mark.parametrize(
    ("time_zone", "now", "overdue"),
    [
        ("Asia/Jakarta", datetime(2024, 3, 5, 16, 59, 59, tzinfo=UTC), False),  # 23:59:59 WIB
        ("Asia/Jakarta", datetime(2024, 3, 5, 17, 0, 0, tzinfo=UTC), True),  # 00:00 WIB, 6th
        ("Asia/Jayapura", datetime(2024, 3, 5, 14, 59, 59, tzinfo=UTC), False),  # 23:59:59 WIT
        ("Asia/Jayapura", datetime(2024, 3, 5, 15, 0, 0, tzinfo=UTC), True),  # 00:00 WIT, 6th
    ],
)
def test_overdue_starts_when_due_on_ends_in_the_pokjas_zone(
    client, world, headers_for, monkeypatch, time_zone, now, overdue
):
    world.pokja.timezone = time_zone
    case = committed_case(world)
    handoff = start(client, headers_for, world, case)
    set_due_on(handoff["id"], date(2024, 3, 5))
    # One clock: freezing it freezes the handoff's `overdue` in every representation.
    monkeypatch.setattr(clock, "now", lambda: now)
    headers = headers_for(world.liaisons["BKDPSDM"])
    assert (
        client.get(f"{HANDOFFS}/{handoff['id']}", headers=headers).get_json()["overdue"] is overdue
    )
    listed = ids(client.get(HANDOFFS, query_string={"overdue": "true"}, headers=headers))
    assert listed == ([handoff["id"]] if overdue else [])


# --- the inbox -------------------------------------------------------------------------------


@pytest.fixture
def inbox(client, world, headers_for):
    """Four handoffs from Bawaslu, in this order: A and B pending to BKDPSDM, C pending to
    the Inspectorate, D declined by BKDPSDM."""
    made = {}
    for name, kind in (("A", "BKDPSDM"), ("B", "BKDPSDM"), ("C", "INSPEKTORAT"), ("D", "BKDPSDM")):
        case = committed_case(world)
        made[name] = start(client, headers_for, world, case, to_kind=kind)["id"]
        made[name + "_case"] = str(case.id)
    response = client.post(
        f"{HANDOFFS}/{made['D']}/decline",
        json={"decline_reason": "duplicate", "decline_text": "Sama dengan laporan 001/LP."},
        headers=headers_for(world.liaisons["BKDPSDM"]),
    )
    assert response.status_code == 200
    return made


def test_the_inbox_lists_incoming_pending_handoffs_oldest_first(client, world, headers_for, inbox):
    headers = headers_for(world.liaisons["BKDPSDM"])
    query = {"direction": "incoming", "status": "pending"}
    assert ids(client.get(HANDOFFS, query_string=query, headers=headers)) == [
        inbox["A"],
        inbox["B"],
    ]
    first = client.get(HANDOFFS, query_string={**query, "limit": 1}, headers=headers)
    assert ids(first) == [inbox["A"]]
    assert 'rel="next"' in first.headers["Link"]
    cursor = first.get_json()["next_cursor"]
    second = client.get(
        HANDOFFS, query_string={**query, "limit": 1, "cursor": cursor}, headers=headers
    )
    assert ids(second) == [inbox["B"]]
    assert second.get_json()["next_cursor"] is None
    counted = client.get(HANDOFFS, query_string={**query, "count": "true"}, headers=headers)
    assert counted.get_json()["total"] == 2


def test_the_list_filters_by_direction_status_agency_and_case(client, world, headers_for, inbox):
    bkd = headers_for(world.liaisons["BKDPSDM"])
    bawaslu = headers_for(world.liaisons["BAWASLU"])
    coordinator = headers_for(world.coordinator)

    def listed(headers, **query):
        return ids(client.get(HANDOFFS, query_string=query, headers=headers))

    assert listed(bkd) == [inbox["A"], inbox["B"], inbox["D"]]  # C's case is not BKDPSDM's
    assert listed(bkd, direction="outgoing") == []
    assert listed(bkd, status="declined") == [inbox["D"]]
    assert listed(bawaslu, direction="outgoing") == [inbox[k] for k in "ABCD"]
    assert listed(bawaslu, direction="incoming") == []
    assert listed(bawaslu, case_id=inbox["C_case"]) == [inbox["C"]]
    inspektorat = str(world.agencies["INSPEKTORAT"].id)
    assert listed(coordinator, agency_id=inspektorat, direction="incoming") == [inbox["C"]]
    assert listed(coordinator, agency_id=inspektorat) == [inbox["C"]]
    # A filter narrows what the caller sees, never widens it.
    assert listed(headers_for(world.liaisons["KEJARI"]), agency_id=inspektorat) == []
    assert listed(headers_for(world.other_coordinator)) == []
    assert listed(headers_for(world.viewer)) == []
    assert listed(headers_for(world.admin)) == []


@pytest.mark.parametrize(
    "query",
    [
        {"status": "lost"},
        {"direction": "sideways"},
        {"agency_id": "not-a-uuid"},
        {"case_id": "42"},
        {"overdue": "perhaps"},
        {"limit": 0},
        {"limit": 201},
        {"cursor": "!!!"},
    ],
)
def test_a_bad_list_query_is_a_problem(client, world, headers_for, inbox, query):
    response = client.get(HANDOFFS, query_string=query, headers=headers_for(world.coordinator))
    assert response.status_code in (400, 422)
    assert response.mimetype == "application/problem+json"


def test_a_direction_needs_an_agency(client, world, headers_for):
    response = client.get(
        HANDOFFS, query_string={"direction": "incoming"}, headers=headers_for(world.viewer)
    )
    body = assert_problem(response, 422, "validation_error")
    assert "direction" in body["errors"]


# --- who may do what -------------------------------------------------------------------------


@pytest.fixture
def pending(client, world, headers_for):
    case = committed_case(world)
    return case, start(client, headers_for, world, case)["id"]


@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("coordinator", 200),
        ("secretary", 200),
        ("BAWASLU", 200),  # the sender, who sees every case anyway
        ("BKDPSDM", 200),  # the receiver
        ("KEJARI", 404),  # uninvolved: the case is a redacted summary for it
        ("viewer", 404),
        ("admin", 404),
        ("other_coordinator", 404),
        ("other_liaison", 404),
    ],
)
def test_who_reads_a_handoff(client, world, headers_for, pending, caller, status):
    user = world.liaisons.get(caller) or getattr(world, caller)
    response = client.get(f"{HANDOFFS}/{pending[1]}", headers=headers_for(user))
    assert response.status_code == status
    listed = ids(client.get(HANDOFFS, headers=headers_for(user)))
    assert (pending[1] in listed) is (status == 200)


@pytest.mark.parametrize("action", ["accept", "decline", "withdraw"])
@pytest.mark.parametrize(
    ("caller", "allowed"),
    [
        ("coordinator", {"accept", "decline", "withdraw"}),
        ("BKDPSDM", {"accept", "decline"}),  # the receiver
        ("BAWASLU", {"withdraw"}),  # the sender
        ("INSPEKTORAT", set()),
        ("secretary", set()),
        ("viewer", set()),
        ("other_coordinator", set()),
    ],
)
def test_who_answers_a_handoff(client, world, headers_for, pending, action, caller, allowed):
    case, handoff_id = pending
    user = world.liaisons.get(caller) or getattr(world, caller)
    before = snapshot(case)
    payload = {"decline_reason": "other", "decline_text": "Berkas belum lengkap."}
    response = client.post(
        f"{HANDOFFS}/{handoff_id}/{action}",
        json=payload if action == "decline" else None,
        headers=headers_for(user),
    )
    if action in allowed:
        assert response.status_code == 200, response.get_data(as_text=True)
        assert snapshot(case)["events"] == before["events"] + 1
        return
    expected = {
        "INSPEKTORAT": 404,  # uninvolved: does not see the handoff
        "other_coordinator": 404,
        "viewer": 403,  # the role may never answer handoffs
        "secretary": 403,
    }.get(caller, 403)
    assert_problem(response, expected)
    assert snapshot(case) == before


def test_only_the_holder_or_a_coordinator_starts_a_handoff(client, world, headers_for):
    case = committed_case(world)
    before = snapshot(case)
    for user, status in (
        (world.liaisons["BKDPSDM"], 403),
        (world.secretary, 403),
        (world.viewer, 403),
        (world.admin, 403),
        (world.other_coordinator, 404),
    ):
        response = client.post(case_handoffs(case), json=body(world), headers=headers_for(user))
        assert_problem(response, status)
    assert client.post(case_handoffs(case), json=body(world)).status_code == 401
    assert snapshot(case) == before


# --- refused requests write nothing ----------------------------------------------------------


def _other_pokja_agency(world):
    return {"to_agency_id": str(world.other_agency.id)}


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        (lambda w: {"to_agency_id": str(w.agencies["BAWASLU"].id)}, 422, "handoff_to_holder"),
        (_other_pokja_agency, 422, "unknown_agency"),
        (lambda w: {"to_agency_id": str(uuid.uuid4())}, 422, "unknown_agency"),
        (lambda w: {"to_agency_id": str(w.agencies["TNI"].id)}, 422, "authority_not_permitted"),
        (
            lambda w: {
                "to_agency_id": str(w.agencies["TNI"].id),
                "override_justification": "Liaison tidak boleh",
            },
            422,
            "authority_not_permitted",
        ),
        (lambda w: {"to_agency_id": "BKDPSDM"}, 422, "validation_error"),
        (lambda w: {"purpose": "punishment"}, 422, "validation_error"),
        (lambda w: {"purpose": None}, 422, "validation_error"),
        (lambda w: {"reason": "   "}, 422, "validation_error"),
        (lambda w: {"letter_date": "13/03/2024"}, 422, "validation_error"),
        (lambda w: {"status": "accepted"}, 422, "validation_error"),
        (lambda w: {"due_on": "2030-01-01"}, 422, "validation_error"),
    ],
)
def test_a_refused_handoff_writes_nothing(client, world, headers_for, change, status, code):
    case = committed_case(world)
    before = snapshot(case)
    response = client.post(
        case_handoffs(case),
        json=body(world, **change(world)),
        headers=headers_for(world.liaisons["BAWASLU"]),
    )
    assert_problem(response, status, code)
    assert snapshot(case) == before


@pytest.mark.parametrize("missing", ["to_agency_id", "purpose", "reason"])
def test_a_handoff_without_a_required_field_writes_nothing(client, world, headers_for, missing):
    case = committed_case(world)
    before = snapshot(case)
    data = body(world)
    del data[missing]
    response = client.post(
        case_handoffs(case), json=data, headers=headers_for(world.liaisons["BAWASLU"])
    )
    assert missing in assert_problem(response, 422, "validation_error")["errors"]
    assert snapshot(case) == before


def test_a_coordinator_needs_a_justification_to_override(client, world, headers_for):
    case = committed_case(world)
    before = snapshot(case)
    response = client.post(
        case_handoffs(case),
        json=body(world, "TNI", override_justification="  "),
        headers=headers_for(world.coordinator),
    )
    assert_problem(response, 422, "authority_not_permitted")
    assert snapshot(case) == before


def test_a_second_pending_handoff_is_a_conflict_and_writes_nothing(client, world, headers_for):
    case = committed_case(world)
    start(client, headers_for, world, case)
    before = snapshot(case)
    for user in (world.liaisons["BAWASLU"], world.coordinator):
        response = client.post(
            case_handoffs(case), json=body(world, "INSPEKTORAT"), headers=headers_for(user)
        )
        assert_problem(response, 409, "handoff_pending")
    assert snapshot(case) == before


def test_a_handoff_of_an_unknown_or_foreign_case_is_not_found(client, world, headers_for):
    foreign = new_case(world, actor=world.other_coordinator)
    db.session.commit()
    before = snapshot()
    for case_id in (foreign.id, uuid.uuid4()):
        response = client.post(
            f"/api/v1/cases/{case_id}/handoffs",
            json=body(world),
            headers=headers_for(world.coordinator),
        )
        assert_problem(response, 404, "not_found")
    assert snapshot() == before


def test_an_answer_to_an_unknown_handoff_is_not_found(client, world, headers_for):
    for action in ("accept", "decline", "withdraw"):
        response = client.post(
            f"{HANDOFFS}/{uuid.uuid4()}/{action}",
            json={"decline_reason": "other", "decline_text": "x"} if action == "decline" else None,
            headers=headers_for(world.coordinator),
        )
        assert_problem(response, 404, "not_found")
    assert_problem(
        client.get(f"{HANDOFFS}/{uuid.uuid4()}", headers=headers_for(world.coordinator)), 404
    )


def test_accepting_an_answered_handoff_is_a_conflict_and_writes_nothing(
    client, world, headers_for, pending
):
    case, handoff_id = pending
    receiver = headers_for(world.liaisons["BKDPSDM"])
    assert client.post(f"{HANDOFFS}/{handoff_id}/accept", headers=receiver).status_code == 200
    before = snapshot(case)
    for action in ("accept", "decline", "withdraw"):
        response = client.post(
            f"{HANDOFFS}/{handoff_id}/{action}",
            json={"decline_reason": "other", "decline_text": "Terlambat"}
            if action == "decline"
            else None,
            headers=headers_for(world.coordinator),
        )
        assert_problem(response, 409, "handoff_not_pending")
    assert snapshot(case) == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"decline_text": "Bukan kewenangan kami"}, "decline_reason"),
        ({"decline_reason": "not_our_authority"}, "decline_text"),
        ({"decline_reason": "not_our_authority", "decline_text": "  "}, "decline_text"),
        ({"decline_reason": "bored", "decline_text": "Tidak mau"}, "decline_reason"),
        ({"decline_reason": None, "decline_text": "Tidak"}, "decline_reason"),
        (
            {"decline_reason": "other", "decline_text": "x", "suggested_agency_id": "TNI"},
            "suggested_agency_id",
        ),
        (None, "decline_reason"),
    ],
)
def test_a_decline_without_a_valid_reason_writes_nothing(
    client, world, headers_for, pending, payload, field
):
    case, handoff_id = pending
    before = snapshot(case)
    response = client.post(
        f"{HANDOFFS}/{handoff_id}/decline",
        json=payload if payload is not None else {},
        headers=headers_for(world.liaisons["BKDPSDM"]),
    )
    assert field in assert_problem(response, 422, "validation_error")["errors"]
    assert snapshot(case) == before


@pytest.mark.parametrize("suggested", ["other_pokja", "unknown"])
def test_a_decline_suggesting_an_unknown_agency_writes_nothing(
    client, world, headers_for, pending, suggested
):
    case, handoff_id = pending
    before = snapshot(case)
    agency_id = world.other_agency.id if suggested == "other_pokja" else uuid.uuid4()
    response = client.post(
        f"{HANDOFFS}/{handoff_id}/decline",
        json={
            "decline_reason": "not_our_authority",
            "decline_text": "Silakan ke instansi lain",
            "suggested_agency_id": str(agency_id),
        },
        headers=headers_for(world.liaisons["BKDPSDM"]),
    )
    assert "suggested_agency_id" in assert_problem(response, 422, "unknown_agency")["errors"]
    assert snapshot(case) == before


def test_a_handoff_started_in_the_domain_gets_its_deadline_too(world):
    case = new_case(world)
    handoff = hand_off(world, case)
    calendar = PokjaCalendar(world.pokja.timezone)
    assert handoff.due_on == calendar.add_days(
        calendar.local_date(handoff.created_at), 3, "working"
    )


def statements(count_queries, client, url, headers):
    """How many SQL statements one request runs."""
    with count_queries() as seen:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert len(response.get_json()["items"]) == int(url.split("limit=")[1].split("&")[0])
    return len(seen)


def test_the_list_runs_the_same_statements_whatever_the_page_size(
    client, world, headers_for, count_queries
):
    for _ in range(4):
        start(client, headers_for, world, committed_case(world))
    headers = headers_for(world.liaisons["BKDPSDM"])
    one = statements(count_queries, client, f"{HANDOFFS}?limit=1&overdue=false", headers)
    four = statements(count_queries, client, f"{HANDOFFS}?limit=4&overdue=false", headers)
    assert one == four
    # The token's user, the caller's agency kind (visibility), the Pokja's zone, and the page
    # with its cases.
    assert four <= 4


def test_an_answer_to_a_handoff_does_not_ask_what_its_party_may_see(
    client, world, headers_for, count_queries
):
    """Accepting, declining and withdrawing depend on the parties, never on the §5 full-access
    answer: a non-Bawaslu liaison's answer sends no full-access query."""
    receiver = headers_for(world.liaisons["BKDPSDM"])
    to_accept, to_decline = committed_case(world), committed_case(world)
    accepted = start(client, headers_for, world, to_accept)
    declined = start(client, headers_for, world, to_decline)
    with count_queries() as seen:
        response = client.post(f"{HANDOFFS}/{accepted['id']}/accept", headers=receiver)
    assert response.status_code == 200, response.get_data(as_text=True)
    # The caller, the handoff, its UPDATE, the case under lock and its UPDATE, the chain head
    # (advanced, sealed), the event, the webhook subscriptions, and the handoff read back.
    assert len(seen) <= 10, "\n".join(seen)

    reason = {"decline_reason": "not_our_authority", "decline_text": "Bukan kewenangan BKPSDM."}
    with count_queries() as seen:
        response = client.post(
            f"{HANDOFFS}/{declined['id']}/decline", json=reason, headers=receiver
        )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert len(seen) <= 9, "\n".join(seen)  # the same, with no case to move
