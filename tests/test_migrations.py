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


def test_migrations_apply_to_a_database_that_has_data(tmp_path):
    """Batch migrations on SQLite copy and drop tables; with rows that reference them (agencies
    of a Pokja) a careless migration fails only on real, non-empty databases."""
    base = os.environ.get("POKJA_TEST_DATABASE_URL")
    if base:
        url, drop = create_postgres_database(base)
    else:
        url, drop = f"sqlite:///{tmp_path / f'{uuid.uuid4().hex}.sqlite3'}", lambda: None
    fresh = make_test_app(url)
    pokja_id, agency_id = uuid.uuid4(), uuid.uuid4()
    try:
        with fresh.app_context():
            upgrade(revision="0003_webhooks")
            with db.engine.begin() as connection:
                connection.execute(
                    sa.text(
                        "INSERT INTO pokjas (id, name, region_code, region_name, level, timezone,"
                        " locale, active, created_at, updated_at, version) VALUES (:id, 'P',"
                        " '17.01', 'Bengkulu Selatan', 'kabupaten', 'Asia/Jakarta', 'id', :t,"
                        " :now, :now, 1)"
                    ),
                    {"id": _uuid_param(pokja_id), "t": True, "now": "2024-01-01 00:00:00+00:00"},
                )
                connection.execute(
                    sa.text(
                        "INSERT INTO agencies (id, pokja_id, kind, name, active, created_at,"
                        " updated_at, version) VALUES (:id, :pokja, 'BAWASLU', 'Bawaslu', :t,"
                        " :now, :now, 1)"
                    ),
                    {
                        "id": _uuid_param(agency_id),
                        "pokja": _uuid_param(pokja_id),
                        "t": True,
                        "now": "2024-01-01 00:00:00+00:00",
                    },
                )
            upgrade()
            assert _differences(db.engine) == []
            with db.engine.connect() as connection:
                assert connection.scalar(sa.text("SELECT count(*) FROM agencies")) == 1
            db.engine.dispose()
    finally:
        drop()


def _uuid_param(value: uuid.UUID) -> str:
    # SQLAlchemy's Uuid type stores 32 hex digits on SQLite and a native uuid on PostgreSQL;
    # both accept this literal through a text() parameter.
    return value.hex if not os.environ.get("POKJA_TEST_DATABASE_URL") else str(value)
