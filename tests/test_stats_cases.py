"""Case statistics (DESIGN §8): every figure equals the total of the case list it links to,
for every dimension, pairs of them and filter combinations, per kind of caller."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

import pytest

from pokja.extensions import db
from pokja.handoffs.lifecycle import accept_handoff
from pokja.models import User
from tests.factories import assert_problem, hand_off, new_case

URL = "/api/v1/stats/cases"

SINGLE = [
    "stage",
    "holder",
    "category",
    "source",
    "violation_type",
    "subject_type",
    "kecamatan",
    "election",
    "month",
]
PAIRS = [("stage", "holder"), ("violation_type", "subject_type"), ("month", "kecamatan")]


def subject(kind: str, name: str = "Budi") -> dict:
    return {"name": name, "subject_type": kind}


@pytest.fixture
def cases(world):
    """Nine cases across three months (one registered on 31 January 20:00 UTC, which is
    1 February in Jakarta), kecamatan missing or empty on two, held by three agencies."""
    tni, bkd = world.liaisons["TNI"], world.liaisons["BKDPSDM"]
    specs = [
        dict(registered_at=datetime(2024, 1, 10, 3, tzinfo=UTC), kecamatan="Manna"),
        dict(
            registered_at=datetime(2024, 1, 31, 20, tzinfo=UTC),
            category="administrative",
            subjects=[subject("tni", "Serka Joko"), subject("pns")],
            violation_types=["campaigning", "social_media"],
        ),
        dict(
            registered_at=datetime(2024, 2, 5, 3, tzinfo=UTC),
            source="finding",
            kecamatan=None,
            election="pilkada-2024",
            election_kind="pilkada",
        ),
        dict(
            registered_at=datetime(2024, 2, 20, 3, tzinfo=UTC),
            kecamatan="",
            subjects=[subject("village_head"), subject("village_head", "Siti")],
        ),
        dict(
            registered_at=datetime(2024, 3, 1, 3, tzinfo=UTC),
            kecamatan="Pino",
            subjects=[subject("tni", "Kopda Ari")],
            violation_types=["state_facilities"],
        ),
        dict(registered_at=datetime(2024, 3, 2, 3, tzinfo=UTC), source="complaint_post"),
        dict(
            registered_at=datetime(2024, 3, 31, 18, tzinfo=UTC),
            category="election_crime",
            kecamatan="=HYPERLINK(1)",
        ),
    ]
    made = [new_case(world, **spec) for spec in specs]
    # Held elsewhere: BKDPSDM holds the first; TNI holds the fifth; the second was handed
    # to TNI and is pending.
    accept_handoff(db.session, bkd, hand_off(world, made[0], "BKDPSDM"))
    accept_handoff(db.session, tni, hand_off(world, made[4], "TNI", purpose="internal_discipline"))
    hand_off(world, made[1], "TNI")
    db.session.commit()
    return made


def total_of(client, headers, url: str) -> int:
    response = client.get(
        f"{url}&count=true" if "?" in url else f"{url}?count=true", headers=headers
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["total"]


def filter_sets(world) -> list[dict[str, str]]:
    return [
        {},
        {"category": "neutrality"},
        {"registered_from": "2024-02-01", "registered_to": "2024-03-31"},
        {"election": "pemilu-2024", "stage": "received"},
        {"holder_id": str(world.agencies["BKDPSDM"].id)},
    ]


def service_token_headers(client, headers_for, world) -> dict[str, str]:
    """A dashboard machine's read-only token (it reads what the Pokja's viewer reads)."""
    response = client.post(
        "/api/v1/service-tokens",
        json={"name": "Dasbor statistik"},
        headers=headers_for(world.coordinator),
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def test_every_figure_equals_the_total_of_its_case_list(world, client, headers_for, cases):
    callers = {
        "coordinator": headers_for(world.coordinator),
        "tni liaison": headers_for(world.liaisons["TNI"]),
        "service token": service_token_headers(client, headers_for, world),
    }
    checked = 0
    checked_by: dict[str, int] = {}
    for caller, headers in callers.items():
        checked_by[caller] = checked
        for group_by in [[d] for d in SINGLE] + [list(p) for p in PAIRS]:
            for filters in filter_sets(world):
                params = [("group_by", d) for d in group_by] + list(filters.items())
                response = client.get(URL, query_string=params, headers=headers)
                assert response.status_code == 200, response.get_data(as_text=True)
                body = response.get_json()
                assert body["group_by"] == group_by
                for row in body["rows"]:
                    assert row["count"] > 0
                    listed = total_of(client, headers, row["cases"])
                    assert row["count"] == listed, (caller, group_by, filters, row)
                    linked = dict(parse_qsl(urlsplit(row["cases"]).query, keep_blank_values=True))
                    for name, value in filters.items():
                        if name not in ("registered_from", "registered_to"):
                            assert linked[name] == value
                    checked += 1
                if group_by[0] not in ("violation_type", "subject_type") and len(group_by) == 1:
                    # Nothing is left out: the rows add up to the filtered list.
                    base = "/api/v1/cases?" + "&".join(f"{k}={v}" for k, v in filters.items())
                    assert sum(r["count"] for r in body["rows"]) == total_of(client, headers, base)
        checked_by[caller] = checked - checked_by[caller]
    assert checked > 150
    # Every caller had figures to check (a viewer's token none by subject or violation type,
    # which only a full view shows, but every other dimension).
    assert all(n > 20 for n in checked_by.values()), checked_by


def rows_by(client, headers, *group_by: str, **filters: str) -> dict:
    params = [("group_by", d) for d in group_by] + list(filters.items())
    response = client.get(URL, query_string=params, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return {tuple(r["keys"][d] for d in group_by): r for r in response.get_json()["rows"]}


def test_months_are_the_pokjas_and_labels_come_from_the_code_lists(
    world, client, headers_for, cases
):
    headers = headers_for(world.coordinator)
    months = rows_by(client, headers, "month")
    # 31 January 20:00 UTC is 1 February 03:00 in Jakarta; 31 March 18:00 UTC is 1 April.
    assert {k[0]: r["count"] for k, r in months.items()} == {
        "2024-01": 1,
        "2024-02": 3,
        "2024-03": 2,
        "2024-04": 1,
    }
    assert months[("2024-02",)]["labels"]["month"] == {"id": "Februari 2024", "en": "February 2024"}
    stages = rows_by(client, headers, "stage")
    assert stages[("received",)]["labels"]["stage"] == {"id": "Diterima", "en": "Received"}
    kecamatan = rows_by(client, headers, "kecamatan")
    assert kecamatan[(None,)]["count"] == 2  # missing and empty are both "not recorded"
    assert kecamatan[(None,)]["labels"]["kecamatan"]["en"] == "Not recorded"
    holders = rows_by(client, headers, "holder")
    tni = holders[(str(world.agencies["TNI"].id),)]
    assert tni["count"] == 1
    assert tni["labels"]["holder"]["id"] == world.agencies["TNI"].name
    subjects = rows_by(client, headers, "subject_type")
    assert subjects[("village_head",)]["count"] == 1  # two subjects, one case


def test_a_liaison_counts_subject_types_only_on_the_cases_it_sees_in_full(
    world, client, headers_for, cases
):
    coordinator = rows_by(client, headers_for(world.coordinator), "subject_type")
    tni = rows_by(client, headers_for(world.liaisons["TNI"]), "subject_type")
    # TNI sees in full the case it holds and the one handed to it, nothing else.
    assert {k[0]: r["count"] for k, r in tni.items()} == {"tni": 2, "pns": 1}
    assert coordinator[("pns",)]["count"] == 5
    # Redacted summaries still count by stage, as the case list shows them.
    assert (
        sum(
            r["count"]
            for r in rows_by(client, headers_for(world.liaisons["TNI"]), "stage").values()
        )
        == 7
    )


def test_a_viewer_counts_summaries_and_an_administrator_nothing(world, client, headers_for, cases):
    viewer = rows_by(client, headers_for(world.viewer), "category")
    assert sum(r["count"] for r in viewer.values()) == 7
    assert rows_by(client, headers_for(world.viewer), "violation_type") == {}
    assert rows_by(client, headers_for(world.admin), "stage") == {}
    other = rows_by(client, headers_for(world.other_coordinator), "stage")
    assert other == {}


def test_the_csv_form_has_a_line_per_row_and_neutralises_formulas(
    world, client, headers_for, cases
):
    response = client.get(
        URL,
        query_string={"group_by": "kecamatan", "format": "csv"},
        headers=headers_for(world.coordinator),
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "keys_kecamatan,labels_kecamatan_id,labels_kecamatan_en,count,cases"
    assert len(lines) == 1 + 4
    assert any(line.startswith("'=HYPERLINK(1),'=HYPERLINK(1),") for line in lines)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"group_by": "colour"},
        {"group_by": ["stage", "holder", "month"]},
        {"group_by": ["stage", "stage"]},
        {"group_by": "stage", "registered_from": "0001-01-01"},
        {"group_by": "stage", "format": "xml"},
    ],
)
def test_bad_queries_are_422_with_the_field(world, client, headers_for, query):
    response = client.get(URL, query_string=query, headers=headers_for(world.coordinator))
    body = assert_problem(response, 422)
    assert body["errors"]


def test_statements_do_not_grow_with_the_data(world, client, headers_for, count_queries):
    headers = headers_for(world.coordinator)
    query = {
        "group_by": ["violation_type", "month"],
        "registered_from": "2024-01-01",
        "registered_to": "2024-12-31",
    }
    counts = []
    bawaslu_id = world.liaisons["BAWASLU"].id
    for n in (1, 6):
        actor = db.session.get(User, bawaslu_id)
        for day in range(n):
            new_case(world, actor, registered_at=datetime(2024, 1, 2 + day, 3, tzinfo=UTC))
        db.session.commit()
        with count_queries() as statements:
            response = client.get(URL, query_string=query, headers=headers)
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
    assert counts[0] <= 4
