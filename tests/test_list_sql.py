"""The case list's SQL on PostgreSQL (issue 8, item 7; bench/RESULTS.md "Case list SQL"): the
keyset cursor as a row-value comparison keeps ties on the sort key in order, and the planner
statistics the migration creates exist on a database built from the models too."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from pokja.extensions import db
from pokja.models.case import CASES_POKJA_HOLDER_STATISTICS
from tests.conftest import create_postgres_database
from tests.factories import new_case

URL = "/api/v1/cases"


def test_pages_through_ties_on_the_sort_key_in_both_directions(world, client, headers_for):
    """Seven cases, four registered at the same instant: a page boundary inside the tie
    neither repeats nor skips one, and the order is (registered_at, id) both ways."""
    start = datetime(2024, 5, 1, 3, tzinfo=UTC)
    moments = [start, start + timedelta(hours=1)] + [start + timedelta(hours=2)] * 4
    cases = [new_case(world, registered_at=m) for m in [*moments, start + timedelta(hours=3)]]
    db.session.commit()
    newest_first = [
        str(c.id) for c in sorted(cases, key=lambda c: (c.registered_at, c.id), reverse=True)
    ]
    headers = headers_for(world.coordinator)
    for sort, expected in (("-registered_at", newest_first), ("registered_at", newest_first[::-1])):
        seen, url = [], f"{URL}?limit=2&sort={sort}"
        while url:
            body = client.get(url, headers=headers).get_json()
            seen += [item["id"] for item in body["items"]]
            url = body["next_cursor"] and f"{URL}?limit=2&sort={sort}&cursor={body['next_cursor']}"
        assert seen == expected, sort


@pytest.mark.skipif(
    not os.environ.get("POKJA_TEST_DATABASE_URL"), reason="planner statistics: PostgreSQL only"
)
def test_the_pokja_holder_statistics_exist_migrated_and_from_the_models(app):
    """The session database is migrated (conftest): the migration made them; a database made
    by create_all gets them from the table's after_create DDL (pokja.models.case)."""
    query = sa.text("SELECT stxname FROM pg_statistic_ext")
    assert CASES_POKJA_HOLDER_STATISTICS in db.session.scalars(query).all()
    url, drop = create_postgres_database(os.environ["POKJA_TEST_DATABASE_URL"])
    engine = sa.create_engine(url)
    try:
        db.metadata.create_all(engine)
        with engine.connect() as connection:
            assert CASES_POKJA_HOLDER_STATISTICS in connection.scalars(query).all()
    finally:
        engine.dispose()
        drop()
