"""The case list: filters, search, sort, keyset pages, and a statement count that does not grow
with the page (DESIGN §9, §11)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from pokja.cases.editing import get_case, update_case
from pokja.extensions import db
from pokja.handoffs.lifecycle import accept_handoff
from tests.factories import (
    assert_problem,
    case_data,
    hand_off,
    held_by_bkdpsdm_pending_to_inspektorat,
    new_case,
)

URL = "/api/v1/cases"


def ids(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["id"] for item in response.get_json()["items"]]


def at(day: int, hour: int = 3) -> datetime:
    return datetime(2024, 3, day, hour, tzinfo=UTC)


@pytest.fixture
def three(world):
    """Three cases registered on 1, 2 and 3 March 2024 (03:00 UTC), the second one held by
    BKDPSDM with a pending handoff to INSPEKTORAT."""
    first = new_case(world, registered_at=at(1), category="administrative")
    second = held_by_bkdpsdm_pending_to_inspektorat(
        world,
        registered_at=at(2),
        election="pilkada-2024",
        election_kind="pilkada",
        violation_types=["campaigning"],
        external_refs=[{"system": "LAPOR", "reference": "LAPOR-77"}],
        subjects=[
            {"name": "Serka Joko", "identifier": "NRP-31000", "subject_type": "tni"},
            {"name": "Rudi Hartono", "subject_type": "pns"},
        ],
    )
    third = new_case(world, registered_at=at(3), title="Camat hadir di deklarasi", source="finding")
    db.session.commit()
    return [str(first.id), str(second.id), str(third.id)]


def test_the_list_is_newest_first_by_default_and_sorts_on_request(
    world, client, headers_for, three
):
    headers = headers_for(world.coordinator)
    assert ids(client.get(URL, headers=headers)) == three[::-1]
    assert ids(client.get(f"{URL}?sort=registered_at", headers=headers)) == three
    first = get_case(db.session, world.coordinator, uuid.UUID(three[0]))
    update_case(db.session, world.coordinator, first, {"title": "Diubah terakhir"})
    db.session.commit()
    assert ids(client.get(f"{URL}?sort=-updated_at", headers=headers)) == [
        three[i] for i in (0, 2, 1)
    ]
    assert ids(client.get(f"{URL}?sort=updated_at", headers=headers)) == [
        three[i] for i in (1, 2, 0)
    ]


def test_pages_follow_the_cursor_without_gaps_or_repeats(world, client, headers_for, three):
    headers = headers_for(world.coordinator)
    for sort in ("-registered_at", "registered_at", "-updated_at", "updated_at"):
        seen, url = [], f"{URL}?limit=2&sort={sort}&count=true"
        while url:
            response = client.get(url, headers=headers)
            body = response.get_json()
            assert body["total"] == 3
            seen += ids(response)
            if body["next_cursor"]:
                assert response.headers["Link"].endswith('; rel="next"')
                assert f"sort={sort.replace('-', '-')}" in response.headers["Link"]
                url = f"{URL}?limit=2&sort={sort}&count=true&cursor={body['next_cursor']}"
            else:
                assert "Link" not in response.headers
                url = None
        assert sorted(seen) == sorted(three), sort
        assert len(seen) == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stage=received", [0, 1, 2]),
        ("stage=examination", []),
        ("holder_kind=BKDPSDM", [1]),
        ("holder_kind=BAWASLU", [0, 2]),
        ("category=administrative", [0]),
        ("subject_type=tni", [1]),
        ("subject_type=pns", [0, 1, 2]),
        ("violation_type=campaigning", [1]),
        ("violation_type=social_media", [0, 2]),
        ("election=pilkada-2024", [1]),
        ("registered_from=2024-03-02", [1, 2]),
        ("registered_to=2024-03-02", [0, 1]),
        ("registered_from=2024-03-02&registered_to=2024-03-02", [1]),
        ("pending_handoff=true", [1]),
        ("pending_handoff=false", [0, 2]),
        ("external_ref=LAPOR-77", [1]),
        ("external_ref=LAPOR-7", []),
        ("q=deklarasi", [2]),
        ("q=serka", [1]),
        ("q=NRP-310", [1]),
        ("q=%25", []),  # a literal %, which no text holds: not a wildcard
        ("q=001%2FTM", [2]),
        ("q=003%2FTM", []),
        ("stage=received&category=neutrality", [1, 2]),
    ],
)
def test_filters(world, client, headers_for, three, query, expected):
    response = client.get(
        f"{URL}?{query}&sort=registered_at", headers=headers_for(world.coordinator)
    )
    assert ids(response) == [three[i] for i in expected]


def test_search_matches_the_register_number(world, client, headers_for, three):
    headers = headers_for(world.coordinator)
    number = client.get(f"{URL}/{three[2]}", headers=headers).get_json()["register_number"]
    assert ids(client.get(f"{URL}?q={number[:6]}", headers=headers)) == [three[2]]


def test_holder_filter_by_agency_id(world, client, headers_for, three):
    headers = headers_for(world.coordinator)
    bkd = world.agencies["BKDPSDM"].id
    assert ids(client.get(f"{URL}?holder_id={bkd}", headers=headers)) == [three[1]]


def test_another_pokjas_agency_as_holder_filter_finds_nothing(world, client, headers_for, three):
    new_case(world, actor=world.other_coordinator)
    db.session.commit()
    response = client.get(
        f"{URL}?holder_id={world.other_agency.id}", headers=headers_for(world.coordinator)
    )
    assert ids(response) == []


def test_registered_dates_are_days_in_the_pokjas_time_zone(world, client, headers_for):
    # 17:30 UTC on 1 March is 00:30 on 2 March in Asia/Jakarta (UTC+7).
    late = new_case(world, registered_at=datetime(2024, 3, 1, 17, 30, tzinfo=UTC))
    db.session.commit()
    headers = headers_for(world.coordinator)
    assert ids(client.get(f"{URL}?registered_from=2024-03-02", headers=headers)) == [str(late.id)]
    assert ids(client.get(f"{URL}?registered_to=2024-03-01", headers=headers)) == []


def test_lists_never_show_another_pokjas_cases(world, client, headers_for, three):
    other = new_case(world, actor=world.other_coordinator)
    db.session.commit()
    assert ids(client.get(URL, headers=headers_for(world.other_liaison))) == [str(other.id)]
    assert str(other.id) not in ids(client.get(URL, headers=headers_for(world.coordinator)))
    assert ids(client.get(URL, headers=headers_for(world.admin))) == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("stage=archived", "stage"),
        ("holder_id=not-a-uuid", "holder_id"),
        ("holder_kind=KODIM", "holder_kind"),
        ("category=x", "category"),
        ("subject_type=soldier", "subject_type"),
        ("violation_type=bribery", "violation_type"),
        ("registered_from=01-03-2024", "registered_from"),
        ("pending_handoff=maybe", "pending_handoff"),
        ("sort=title", "sort"),
        ("sort=-id", "sort"),
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=ten", "limit"),
        ("count=perhaps", "count"),
        ("q=", "q"),
        ("q=" + "x" * 201, "q"),
        ("q=a%00b", "q"),
    ],
)
def test_bad_list_parameters_are_422(world, client, headers_for, query, field):
    response = client.get(f"{URL}?{query}", headers=headers_for(world.coordinator))
    assert field in assert_problem(response, 422)["errors"]


def test_a_forged_cursor_is_a_400(world, client, headers_for, three):
    response = client.get(f"{URL}?cursor=bm9wZQ", headers=headers_for(world.coordinator))
    assert_problem(response, 400, "invalid_cursor")


# --- statement budget ------------------------------------------------------------------------


@pytest.fixture
def many_cases(world):
    """205 cases: a third with a pending handoff, some with two subjects, some held by
    BKDPSDM, one shared, so that every part of an item's view has something to load."""
    bawaslu, bkd = world.liaisons["BAWASLU"], world.liaisons["BKDPSDM"]
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for i in range(205):
        subjects = case_data()["subjects"]
        if i % 4 == 0:
            subjects = [*subjects, {"name": f"Prajurit {i}", "subject_type": "tni"}]
        case = new_case(world, registered_at=start + timedelta(hours=i), subjects=subjects)
        if i % 3 == 0:
            hand_off(world, case, "BKDPSDM")
        elif i % 3 == 1:
            accept_handoff(db.session, bkd, hand_off(world, case, "BKDPSDM", actor=bawaslu))
    db.session.commit()


def test_a_page_costs_the_same_statements_for_5_items_as_for_200(
    world, client, headers_for, count_queries, many_cases
):
    """Holder, uninvolved liaison (all redacted), Bawaslu-side coordinator and viewer; with a
    total, and with a search that a redacted caller cannot match."""
    measured, sizes = {}, {}
    callers = {
        name: headers_for(world.liaisons.get(name) or getattr(world, name))
        for name in ("coordinator", "TNI", "BKDPSDM", "viewer")
    }
    for name, headers in callers.items():
        for extra in ("", "&count=true", "&q=Budi&pending_handoff=false&sort=updated_at"):
            for limit in (5, 200):
                with count_queries() as statements:
                    response = client.get(f"{URL}?limit={limit}{extra}", headers=headers)
                assert response.status_code == 200
                measured[name, extra, limit] = len(statements)
                sizes[name, extra, limit] = len(response.get_json()["items"])
    for (name, extra, limit), count in measured.items():
        assert count == measured[name, extra, 5], measured
        # DESIGN §11: at most 4, authentication included (the token's user, the Pokja's
        # facts, the page; the total when asked).
        assert count <= (4 if "count" in extra else 3), measured
        if name in ("TNI", "viewer") and "q=" in extra:
            assert sizes[name, extra, limit] == 0  # the subjects' names are redacted for them
        else:
            assert sizes[name, extra, limit] == 5 if limit == 5 else sizes[name, extra, 200] > 60


def test_a_kept_list_statement_serves_each_caller_with_its_own_values(
    world, client, headers_for, three
):
    """The list's statement is built once per kind of caller and set of filters (issue 8):
    whoever asks next gets their own Pokja, agency, filter values and cursor, never the
    first caller's."""
    from pokja.cases import read_model

    other = new_case(world, actor=world.other_liaison, stage="received")
    db.session.commit()
    first, second, third = three
    pages = {
        "coordinator": ids(client.get(URL, headers=headers_for(world.coordinator))),
        "other Pokja": ids(client.get(URL, headers=headers_for(world.other_coordinator))),
        "examination": ids(
            client.get(
                URL, query_string={"stage": "examination"}, headers=headers_for(world.coordinator)
            )
        ),
        "received": ids(
            client.get(
                URL, query_string={"stage": "received"}, headers=headers_for(world.coordinator)
            )
        ),
        "other Pokja, received": ids(
            client.get(
                URL,
                query_string={"stage": "received"},
                headers=headers_for(world.other_coordinator),
            )
        ),
    }
    assert pages["coordinator"] == [third, second, first]
    assert pages["other Pokja"] == [str(other.id)]
    assert pages["received"] == [third, second, first]
    assert pages["examination"] == []
    assert pages["other Pokja, received"] == [str(other.id)]
    # Liaisons share a statement too: each sees in full what its own agency may.
    full = {}
    for kind in ("BKDPSDM", "INSPEKTORAT", "TNI"):
        response = client.get(URL, headers=headers_for(world.liaisons[kind]))
        full[kind] = {item["id"] for item in response.get_json()["items"] if not item["redacted"]}
    assert full == {"BKDPSDM": {second}, "INSPEKTORAT": {second}, "TNI": set()}
    # Pages after a cursor, for two callers of the same kind.
    page = client.get(URL, query_string={"limit": 1}, headers=headers_for(world.coordinator))
    cursor = page.get_json()["next_cursor"]
    after = client.get(
        URL, query_string={"limit": 1, "cursor": cursor}, headers=headers_for(world.coordinator)
    )
    assert ids(after) == [second]
    kept = [key for key in read_model._LIST if key[3] == frozenset({"stage"})]
    assert kept, "the stage-filtered list was built for this request, not kept"


def test_a_listed_case_reads_as_its_own_representation_but_for_the_reporter(
    world, client, headers_for
):
    """The list and the detail share one read model: the same children, in the same order
    (violation types by code, subjects in their order, external numbers as registered)."""
    case = new_case(
        world,
        violation_types=["social_media", "campaigning"],
        external_refs=[
            {"system": "BKN", "reference": "BKN-2"},
            {"system": "LAPOR", "reference": "LAPOR-1"},
        ],
        subjects=[
            {"name": "Yanti", "subject_type": "village_head"},
            {"name": "Serka Joko", "identifier": "NRP-31000", "subject_type": "tni"},
        ],
    )
    db.session.commit()
    headers = headers_for(world.coordinator)
    [listed] = client.get(URL, headers=headers).get_json()["items"]
    detail = client.get(f"{URL}/{case.id}", headers=headers).get_json()
    assert listed["violation_types"] == ["campaigning", "social_media"]
    yanti, joko = listed["subjects"]
    assert str(uuid.UUID(yanti["id"])) == yanti["id"]
    assert {k: v for k, v in yanti.items() if k != "id"} == {
        "name": "Yanti",
        "identifier": None,
        "subject_type": "village_head",
        "position": None,
        "employer_unit": None,
    }
    assert (joko["name"], joko["identifier"], joko["subject_type"]) == (
        "Serka Joko",
        "NRP-31000",
        "tni",
    )
    assert [r["reference"] for r in listed["external_refs"]] == ["BKN-2", "LAPOR-1"]
    assert "reporter" in detail
    assert listed == {key: value for key, value in detail.items() if key != "reporter"}
