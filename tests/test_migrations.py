"""The Alembic migrations build exactly the schema the models declare, on this database."""

from __future__ import annotations

import os
import uuid

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from pokja.extensions import db
from tests.conftest import create_postgres_database, make_test_app


def _differences(engine: sa.Engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_migrated_schema_matches_the_models(app):
    """The session database was built by `upgrade()` alone (see conftest)."""
    assert _differences(db.engine) == []


def test_migrations_go_down_to_nothing_and_up_again(tmp_path):
    base = os.environ.get("POKJA_TEST_DATABASE_URL")
    if base:
        url, drop = create_postgres_database(base)
    else:
        url, drop = f"sqlite:///{tmp_path / f'{uuid.uuid4().hex}.sqlite3'}", lambda: None
    fresh = make_test_app(url)
    try:
        with fresh.app_context():
            upgrade()
            downgrade(revision="base")
            assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
            upgrade()
            assert _differences(db.engine) == []
            db.engine.dispose()
    finally:
        drop()
