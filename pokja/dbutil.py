"""Small SQL helpers that differ between SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session


def insert_missing(session: Session, model: Any, values: dict[str, Any]) -> None:
    """INSERT a row unless one with the same key exists, without failing the transaction when a
    concurrent one inserts it first (PostgreSQL then waits for that one, and does nothing)."""
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(insert(model).values(**values).on_conflict_do_nothing())
        return
    try:
        with session.begin_nested():
            session.execute(sa.insert(model).values(**values))
    except IntegrityError:
        pass
