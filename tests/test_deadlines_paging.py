"""``/deadlines`` is keyset-paginated like every list (DESIGN §9, issue 9): no source is cut
at a fixed number of items; a page is the next ``limit`` items in (due instant, kind, id)
order, overdue first, with ``next_cursor`` and a ``Link`` header."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from pokja.extensions import db
from pokja.models import Escalation, Recommendation
from tests.factories import new_case

JAKARTA = ZoneInfo("Asia/Jakarta")
BASE = datetime(2024, 5, 6, 23, 59, 59, 999999, tzinfo=JAKARTA)


def _fill(world, n: int = 600) -> set[str]:
    """``n`` open recommendations and ``n`` escalation letters, their deadlines in threes on
    the same instant and the two kinds on the same instants too (ties everywhere)."""
    case = new_case(world)
    issuer, addressee = world.agencies["BAWASLU"].id, world.agencies["INSPEKTORAT"].id
    recs = [
        {
            "id": uuid.uuid4(),
            "pokja_id": world.pokja.id,
            "case_id": case.id,
            "issuing_agency_id": issuer,
            "addressee_agency_id": addressee,
            "number": f"{i:04d}/REK",
            "date": date(2024, 4, 1),
            "text": "Rekomendasi",
            "issued_at": BASE - timedelta(days=30),
            "follow_up_due_at": BASE + timedelta(hours=i // 3),
            "due_unit": "working",
            "status": "issued",
        }
        for i in range(n)
    ]
    db.session.execute(sa.insert(Recommendation), recs)
    letters = [
        {
            "id": uuid.uuid4(),
            "pokja_id": world.pokja.id,
            "recommendation_id": recs[0]["id"],
            "case_id": case.id,
            "kind": "reminder",
            "letter_number": f"{i:04d}/ESK",
            "date": date(2024, 4, 2),
            "addressee": "Inspektur",
            "text": "",
            "due_at": BASE + timedelta(hours=i // 3),
            "due_unit": "working",
        }
        for i in range(n)
    ]
    db.session.execute(sa.insert(Escalation), letters)
    db.session.commit()
    return {str(r["id"]) for r in recs} | {str(e["id"]) for e in letters}


def test_paging_through_1200_due_items_lists_each_once_in_order(
    world, client, headers_for, count_queries
):
    expected = _fill(world)
    headers = headers_for(world.coordinator)
    url, pages, seen = "/api/v1/deadlines?within_days=0&limit=200", 0, []
    budgets = []
    while url:
        with count_queries() as statements:
            response = client.get(url, headers=headers)
        assert response.status_code == 200, response.get_json()
        budgets.append(len(statements))
        body = response.get_json()
        pages += 1
        seen += body["items"]
        if body["next_cursor"]:
            assert len(body["items"]) == 200
            link = response.headers["Link"]
            assert f"cursor={body['next_cursor']}" in link
            url = f"/api/v1/deadlines?within_days=0&limit=200&cursor={body['next_cursor']}"
        else:
            assert "Link" not in response.headers
            url = None

    ids = [item["item_id"] for item in seen if item["kind"] in ("recommendation", "escalation")]
    assert len(ids) == len(set(ids)) == 1200
    assert set(ids) == expected
    assert len(seen) == len({(i["kind"], i["item_id"]) for i in seen})
    keys = [(datetime.fromisoformat(i["due_at"]), i["kind"], uuid.UUID(i["item_id"])) for i in seen]
    assert keys == sorted(keys)
    assert pages == -(-len(seen) // 200) >= 6
    assert max(budgets) == min(budgets)  # a page costs the same wherever it starts


def test_a_filter_holds_across_pages(world, client, headers_for):
    _fill(world, n=30)
    headers = headers_for(world.coordinator)
    url = "/api/v1/deadlines?within_days=0&limit=25&overdue=true"
    items, cursor = [], ""
    while cursor is not None:
        body = client.get(url + (f"&cursor={cursor}" if cursor else ""), headers=headers).get_json()
        items += body["items"]
        cursor = body["next_cursor"]
    assert all(item["overdue"] for item in items)
    assert len({item["item_id"] for item in items}) == len(items) == 60


def test_a_bad_cursor_is_a_400_problem(world, client, headers_for):
    response = client.get(
        "/api/v1/deadlines?cursor=not-a-cursor", headers=headers_for(world.coordinator)
    )
    assert response.status_code == 400
    assert response.get_json()["code"] == "invalid_cursor"


def test_small_pages_of_every_kind_add_up_to_the_whole_list(world, client, headers_for):
    """Handoffs (due at the end of a day), derived decision deadlines, and letters due at the
    very same instants: pages of 2 concatenate to the unpaged list."""
    from tests.factories import hand_off

    cases = [new_case(world) for _ in range(4)]
    handoffs = [hand_off(world, case, "BKDPSDM") for case in cases[:3]]
    db.session.commit()
    day_end = datetime.combine(handoffs[0].due_on, datetime.max.time(), tzinfo=JAKARTA)
    issuer, addressee = world.agencies["BAWASLU"].id, world.agencies["INSPEKTORAT"].id
    db.session.execute(
        sa.insert(Recommendation),
        [
            {
                "id": uuid.uuid4(),
                "pokja_id": world.pokja.id,
                "case_id": cases[3].id,
                "issuing_agency_id": issuer,
                "addressee_agency_id": addressee,
                "number": f"{i}/REK",
                "date": date(2024, 4, 1),
                "text": "Rekomendasi",
                "issued_at": BASE,
                "follow_up_due_at": day_end + timedelta(microseconds=-1 if i == 0 else 0),
                "due_unit": "working",
                "status": "issued",
            }
            for i in range(3)
        ],
    )
    db.session.commit()
    headers = headers_for(world.coordinator)
    url = "/api/v1/deadlines?within_days=30"
    whole = client.get(url + "&limit=200", headers=headers).get_json()
    assert whole["next_cursor"] is None
    kinds = {item["kind"] for item in whole["items"]}
    assert {"handoff", "case_decision", "recommendation"} <= kinds

    paged, cursor = [], ""
    while cursor is not None:
        body = client.get(
            url + "&limit=2" + (f"&cursor={cursor}" if cursor else ""), headers=headers
        ).get_json()
        paged += body["items"]
        cursor = body["next_cursor"]
    assert paged == whole["items"]
