"""A throw-away PostgreSQL database holding one Pokja, for the modules that run real concurrent
requests: the per-test rollback cannot host them, so such a module builds its own database,
commits for real, and drops the database at the end."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy.orm import Session

from pokja.directory.agencies import create_agency
from pokja.directory.pokjas import create_pokja
from pokja.directory.users import create_user
from pokja.extensions import db
from tests.conftest import create_postgres_database, make_test_app

BASE_URL = os.environ.get("POKJA_TEST_DATABASE_URL", "")

# The marks of a module that needs PostgreSQL.
NEEDS_POSTGRES = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not BASE_URL.startswith(("postgresql", "postgres:")),
        reason="needs POKJA_TEST_DATABASE_URL pointing at PostgreSQL",
    ),
]


@dataclass
class PostgresPokja:
    app: Flask
    engine: sa.Engine
    # "pokja", each agency's kind and each user's name -> its id
    ids: dict[str, uuid.UUID]


@contextmanager
def postgres_pokja(
    name: str,
    region_code: str,
    agency_kinds: Iterable[str],
    users: Iterable[tuple[str, str, str]],
) -> Iterator[PostgresPokja]:
    """A migrated database with Pokja ``name``, its agencies, and ``users`` given as
    (name, role, agency kind); all committed."""
    url, drop = create_postgres_database(BASE_URL)
    app = make_test_app(url)
    engine = sa.create_engine(url)
    try:
        with app.app_context():
            upgrade()
            with Session(engine) as session:
                regency = name.removeprefix("Pokja ")
                pokja = create_pokja(
                    session,
                    None,
                    {
                        "name": name,
                        "region_code": region_code,
                        "region_name": regency,
                        "level": "kabupaten",
                    },
                )
                agencies = {
                    kind: create_agency(
                        session, None, {"pokja_id": pokja.id, "kind": kind, "name": kind}
                    )
                    for kind in agency_kinds
                }
                made = {
                    user: create_user(
                        session,
                        None,
                        {
                            "username": f"{user}-{uuid.uuid4().hex[:6]}",
                            "display_name": user,
                            "password": "x" * 12,
                            "role": role,
                            "pokja_id": pokja.id,
                            "agency_id": agencies[kind].id,
                        },
                    )
                    for user, role, kind in users
                }
                session.commit()
                ids = {
                    "pokja": pokja.id,
                    **{k: a.id for k, a in agencies.items()},
                    **{k: u.id for k, u in made.items()},
                }
            yield PostgresPokja(app, engine, ids)
            db.engine.dispose()
    finally:
        engine.dispose()
        drop()
