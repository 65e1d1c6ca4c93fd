"""Who may call what: every route the app registers, for every kind of caller.

The rows live in ``tests/matrix_rows_*.py`` (one module per feature, see tests/matrix.py). A
route without a row fails ``test_every_registered_route_has_a_row``, so no endpoint can be
added without deciding who may use it.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import sqlalchemy as sa

from pokja.extensions import db, limiter
from pokja.models import Base
from tests.matrix import CALLERS, Row, caller_user


def _collect_rows() -> list[Row]:
    rows: list[Row] = []
    for path in sorted(Path(__file__).parent.glob("matrix_rows_*.py")):
        rows.extend(importlib.import_module(f"tests.{path.stem}").ROWS)
    return rows


ROWS = _collect_rows()


def database_state() -> tuple[int, ...]:
    """Every table's row count and every versioned table's sum of versions, in one statement:
    an insert, delete or versioned update anywhere changes it."""
    parts = []
    for table in Base.metadata.sorted_tables:
        parts.append(sa.select(sa.func.count()).select_from(table).scalar_subquery())
        if "version" in table.c:
            total = sa.func.coalesce(sa.func.sum(table.c.version), 0)
            parts.append(sa.select(total).scalar_subquery())
    return tuple(db.session.execute(sa.select(*parts)).one())


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.method} {r.rule}")
def test_authorization_matrix(row, world, client, headers_for, db_connection):
    """One world per row; each caller's request runs in a savepoint rolled back afterwards,
    so that one caller's write (a logout, a PATCH) cannot change what the next one sees."""
    actual: dict[str, int] = {}
    for caller in CALLERS:
        # The test's own session must not hold a savepoint that encloses ours: releasing it
        # would release ours too.
        db.session.commit()
        savepoint = db_connection.begin_nested()
        limiter.reset()  # twelve logins in a row must not trip the per-username limit
        try:
            call = row.build(world, client, headers_for, caller)
            user = caller_user(world, caller)
            headers = dict(call.headers)
            if user is not None and call.authenticated:
                headers.update(headers_for(user))
            before = database_state()
            response = client.open(call.url, method=call.method, json=call.json, headers=headers)
            actual[caller] = response.status_code
            if response.status_code >= 400:
                assert response.mimetype == "application/problem+json", caller
                # A refused request writes nothing (DESIGN §9).
                assert database_state() == before, f"{caller} was refused but wrote"
        finally:
            db.session.rollback()
            savepoint.rollback()
    assert actual == row.expected


def test_every_row_names_every_caller():
    for row in ROWS:
        assert set(row.expected) == set(CALLERS), f"{row.method} {row.rule}"


def test_every_registered_route_has_a_row(app):
    registered = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = {(row.method, row.rule) for row in ROWS}
    assert registered - covered == set(), "routes without a row in the authorization matrix"
    assert covered - registered == set(), "rows for routes that do not exist"
