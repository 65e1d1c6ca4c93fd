"""Recommendation compliance (DESIGN §8): counts per addressee and the follow-up rate equal
values computed by hand on a fixed set (on time, late, rejected, overdue, open)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

import pokja.time.clock
from pokja.extensions import db
from pokja.models import Escalation, Recommendation
from tests.factories import new_case

URL = "/api/v1/stats/recommendations"
NOW = datetime(2024, 4, 2, 3, tzinfo=UTC)
PAST_DUE = datetime(2024, 3, 22, 16, 59, 59, tzinfo=UTC)
FUTURE_DUE = datetime(2024, 4, 20, 16, 59, 59, tzinfo=UTC)
DONE = datetime(2024, 3, 20, 3, tzinfo=UTC)

# addressee kind -> outcomes: on time, late, rejected, overdue (open past due), open
FIXED = {
    "INSPEKTORAT": ["on_time", "on_time", "late", "rejected", "overdue", "overdue", "open"],
    "BKDPSDM": ["on_time", "open"],
}


def ids_of(world) -> dict:
    """Plain ids, usable after the test session was emptied (count_queries)."""
    return {"pokja": world.pokja.id, **{k: a.id for k, a in world.agencies.items()}}


def recommendation(ids, case_id, addressee: str, outcome: str) -> Recommendation:
    rec = Recommendation(
        pokja_id=ids["pokja"],
        case_id=case_id,
        issuing_agency_id=ids["BAWASLU"],
        addressee_agency_id=ids[addressee],
        number=f"{addressee}-{outcome}",
        date=date(2024, 3, 1),
        text="Merekomendasikan sanksi.",
        issued_at=datetime(2024, 3, 1, 3, tzinfo=UTC),
        follow_up_due_at=FUTURE_DUE if outcome == "open" else PAST_DUE,
        due_unit="working",
        status={"on_time": "followed_up", "late": "followed_up", "rejected": "rejected"}.get(
            outcome, "issued"
        ),
    )
    if outcome in ("on_time", "late", "rejected"):
        rec.completed_at = DONE if outcome != "late" else NOW
        rec.on_time = outcome != "late"
        rec.reasons = "Tidak cukup bukti" if outcome == "rejected" else None
    db.session.add(rec)
    return rec


@pytest.fixture
def recommendations(world, monkeypatch):
    monkeypatch.setattr(pokja.time.clock, "now", lambda: NOW)
    case = new_case(world)
    made = {
        (kind, i): recommendation(ids_of(world), case.id, kind, outcome)
        for kind, outcomes in FIXED.items()
        for i, outcome in enumerate(outcomes)
    }
    db.session.flush()
    overdue = made["INSPEKTORAT", 4]
    for kind in ("reminder", "reminder", "report_to_ministry"):
        db.session.add(
            Escalation(
                pokja_id=world.pokja.id,
                recommendation_id=overdue.id,
                case_id=case.id,
                kind=kind,
                letter_number=f"ESC-{kind}",
                date=date(2024, 3, 25),
                addressee="Inspektur",
                due_at=FUTURE_DUE,
                due_unit="working",
            )
        )
    db.session.commit()
    return made


def stats(client, headers, **query) -> dict:
    response = client.get(URL, query_string=query, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_compliance_counts_and_rate_equal_the_hand_computed_values(
    world, client, headers_for, recommendations
):
    body = stats(client, headers_for(world.coordinator))
    rows = {row["agency_kind"]: row for row in body["rows"]}
    inspektorat = rows["INSPEKTORAT"]
    assert {k: inspektorat[k] for k in ("issued", "followed_up_on_time", "followed_up_late")} == {
        "issued": 7,
        "followed_up_on_time": 2,
        "followed_up_late": 1,
    }
    assert (inspektorat["rejected"], inspektorat["overdue"], inspektorat["open_not_due"]) == (
        1,
        2,
        1,
    )
    # followed up 3 ÷ (completed 4 + overdue 2) = 0.5; the open one is not yet counted
    assert inspektorat["follow_up_rate"] == 0.5
    assert inspektorat["escalations"] == {
        "reminder": 2,
        "request_data_block": 0,
        "report_to_ministry": 1,
        "other": 0,
    }
    assert rows["BKDPSDM"]["follow_up_rate"] == 1.0
    assert rows["KEJARI"]["issued"] == 0
    assert rows["KEJARI"]["follow_up_rate"] is None
    total = body["total"]
    assert (total["issued"], total["open_not_due"], total["overdue"]) == (9, 2, 2)
    # followed up 4 ÷ (5 completed + 2 overdue)
    assert total["follow_up_rate"] == round(4 / 7, 4)
    assert total["escalations"]["reminder"] == 2


def test_an_open_recommendation_becomes_overdue_when_its_deadline_passes(
    world, client, headers_for, recommendations, monkeypatch
):
    monkeypatch.setattr(pokja.time.clock, "now", lambda: FUTURE_DUE)
    rows = {r["agency_kind"]: r for r in stats(client, headers_for(world.coordinator))["rows"]}
    assert (rows["BKDPSDM"]["overdue"], rows["BKDPSDM"]["open_not_due"]) == (1, 0)
    assert rows["BKDPSDM"]["follow_up_rate"] == 0.5


def test_filters_and_scope_narrow_what_is_counted(world, client, headers_for, recommendations):
    empty = stats(client, headers_for(world.coordinator), category="election_crime")
    assert empty["total"]["issued"] == 0
    assert stats(client, headers_for(world.admin))["rows"] == []
    assert stats(client, headers_for(world.other_coordinator))["total"]["issued"] == 0


def test_the_csv_form_ends_with_the_total(world, client, headers_for, recommendations):
    response = client.get(
        URL, query_string={"format": "csv"}, headers=headers_for(world.coordinator)
    )
    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert len(lines) == 1 + 6 + 1
    assert lines[-1].startswith(",Total,,9,3,1,1,2,2,2,0,1,0,")


def test_statements_do_not_grow_with_the_data(world, client, headers_for, count_queries):
    headers = headers_for(world.coordinator)
    ids, case_id = ids_of(world), new_case(world).id
    db.session.commit()
    counts = []
    for n in (1, 8):
        for i in range(n):
            recommendation(ids, case_id, "INSPEKTORAT", ["on_time", "open", "overdue"][i % 3])
        db.session.commit()
        with count_queries() as statements:
            assert client.get(URL, headers=headers).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 4
