"""Handoff statistics (DESIGN §8): counts per receiving agency and the median and 90th
percentile of the time to answer, in hours and in the Pokja's working days, equal values
computed by hand on fixed data (the suite runs on SQLite and on PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

import pokja.time.clock
from pokja.extensions import db
from pokja.handoffs.lifecycle import (
    accept_handoff,
    decline_handoff,
    start_handoff,
    withdraw_handoff,
)
from pokja.models import PokjaDay, User
from tests.factories import hand_off, new_case

URL = "/api/v1/stats/handoffs"
NOW = datetime(2024, 4, 2, 3, tzinfo=UTC)


def soldier_case(world):
    return new_case(world, subjects=[{"name": "Serka Joko", "subject_type": "tni"}])


def utc(month: int, day: int, hour: int) -> datetime:
    return datetime(2024, month, day, hour, tzinfo=UTC)


# (sent, answered, answer) — Jakarta is UTC+7. Hours and working days, by hand:
#   4 Mar 01:00 → 4 Mar 03:00           2 h, 0 wd (same day)
#   7 Mar 02:00 → 7 Mar 12:00          10 h, 0 wd (19:00 local, same day)
#   8 Mar 02:00 → 12 Mar 02:00         96 h, 0 wd (Sat, Sun, Nyepi 11 Mar, 12 Mar declared off)
#   6 Mar 20:00 → 8 Mar 18:00          46 h, 1 wd (local 7 Mar 03:00 → Sat 9 Mar 01:00: Fri 8)
#  25 Mar 00:00 → 1 Apr 00:00         168 h, 5 wd (Tue-Thu, Good Friday off, Sat 30 Mar declared
#                                                  working, Sun, Mon 1 Apr)
ANSWERS = [
    (utc(3, 4, 1), utc(3, 4, 3), "accept"),
    (utc(3, 7, 2), utc(3, 7, 12), "incomplete_file"),
    (utc(3, 8, 2), utc(3, 12, 2), "accept"),
    (utc(3, 6, 20), utc(3, 8, 18), "not_our_authority"),
    (utc(3, 25, 0), utc(4, 1, 0), "accept"),
]
# hours sorted 2, 10, 46, 96, 168: median 46; p90 at 0.9·4 = 3.6: 96 + 0.6·72 = 139.2
# days sorted 0, 0, 0, 1, 5: median 0; p90: 1 + 0.6·4 = 3.4


@pytest.fixture
def handoffs(world, monkeypatch):
    monkeypatch.setattr(pokja.time.clock, "now", lambda: NOW)
    db.session.add_all(
        [
            PokjaDay(pokja_id=world.pokja.id, day=date(2024, 3, 12), kind="off"),
            PokjaDay(pokja_id=world.pokja.id, day=date(2024, 3, 30), kind="working"),
        ]
    )
    bkd, tni = world.liaisons["BKDPSDM"], world.liaisons["TNI"]
    for sent, answered, answer in ANSWERS:
        handoff = hand_off(world, new_case(world), "BKDPSDM")
        if answer == "accept":
            accept_handoff(db.session, bkd, handoff)
        else:
            decline_handoff(
                db.session, bkd, handoff, {"decline_reason": answer, "decline_text": "Bukan"}
            )
        handoff.created_at, handoff.decided_at = sent, answered
    late = hand_off(world, soldier_case(world), "TNI")
    late.due_on = date(2024, 4, 1)  # its day has ended on 2 April
    waiting = hand_off(world, soldier_case(world), "TNI")
    waiting.due_on = date(2024, 4, 2)  # the last day, not over yet
    withdraw_handoff(
        db.session, world.liaisons["BAWASLU"], hand_off(world, soldier_case(world), "TNI")
    )
    db.session.commit()
    assert tni  # the receiver of the pending ones


def by_kind(response) -> dict:
    assert response.status_code == 200, response.get_data(as_text=True)
    return {row["agency_kind"]: row for row in response.get_json()["rows"]}


def test_latency_median_and_p90_equal_the_hand_computed_values(
    world, client, headers_for, handoffs
):
    rows = by_kind(client.get(URL, headers=headers_for(world.coordinator)))
    bkd = rows["BKDPSDM"]
    assert bkd["received"] == 5
    assert (bkd["accepted"], bkd["declined"], bkd["answered"]) == (3, 2, 5)
    assert bkd["declined_by_reason"] == {
        "not_our_authority": 1,
        "incomplete_file": 1,
        "duplicate": 0,
        "other": 0,
    }
    assert bkd["hours_to_answer"] == {"median": 46.0, "p90": 139.2}
    assert bkd["working_days_to_answer"] == {"median": 0.0, "p90": 3.4}


def test_pending_withdrawn_and_overdue_are_counted_per_receiver(
    world, client, headers_for, handoffs
):
    rows = by_kind(client.get(URL, headers=headers_for(world.coordinator)))
    tni = rows["TNI"]
    assert (tni["received"], tni["pending"], tni["withdrawn"], tni["accepted"]) == (3, 2, 1, 0)
    assert tni["pending_overdue"] == 1
    assert tni["hours_to_answer"] == {"median": None, "p90": None}
    assert rows["KEJARI"]["received"] == 0  # every agency has its row


def test_filters_narrow_the_cases_counted(world, client, headers_for, handoffs):
    rows = by_kind(
        client.get(URL, query_string={"stage": "dismissed"}, headers=headers_for(world.coordinator))
    )
    assert all(row["received"] == 0 for row in rows.values())
    other = client.get(URL, headers=headers_for(world.other_coordinator)).get_json()["rows"]
    assert [row["received"] for row in other] == [0]


def test_the_csv_form_has_one_line_per_agency(world, client, headers_for, handoffs):
    response = client.get(
        URL, query_string={"format": "csv"}, headers=headers_for(world.coordinator)
    )
    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert len(lines) == 1 + 6
    header = lines[0].split(",")
    line = dict(zip(header, next(x for x in lines if ",BKDPSDM," in x).split(","), strict=True))
    assert line["hours_to_answer_p90"] == "139.2"
    assert line["declined_by_reason_incomplete_file"] == "1"


def test_statements_do_not_grow_with_the_data(world, client, headers_for, count_queries):
    headers = headers_for(world.coordinator)
    counts = []
    bawaslu_id, bkd_id = world.liaisons["BAWASLU"].id, world.liaisons["BKDPSDM"].id
    to = {"to_agency_id": world.agencies["BKDPSDM"].id, "purpose": "follow_up", "reason": "PNS"}
    for n in (1, 5):
        actor = db.session.get(User, bawaslu_id)
        for _ in range(n):
            handoff = start_handoff(db.session, actor, new_case(world, actor), to)
            accept_handoff(db.session, db.session.get(User, bkd_id), handoff)
        db.session.commit()
        with count_queries() as statements:
            response = client.get(URL, headers=headers)
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 5
