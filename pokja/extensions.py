"""Flask extensions, created once and bound to the app in :func:`pokja.create_app`."""

from collections.abc import Callable
from typing import Any

import orjson
import sqlalchemy as sa
from flask_jwt_extended import JWTManager
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from pokja.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
jwt = JWTManager()


def db_session() -> Session:
    """The session of the request (or command) at hand, typed as the domain expects it.

    Flask-SQLAlchemy's ``db.session`` is a scoped session that proxies to this one; the domain
    takes a plain :class:`~sqlalchemy.orm.Session` and never knows about the scoping.
    """
    return db.session()


# No default limits: only the endpoints that need one (login) declare it.
limiter = Limiter(key_func=get_remote_address)


def configure_postgresql() -> None:
    """psycopg decodes JSON columns (the read models' aggregates) with orjson: the same values,
    several times faster than the standard library."""
    from psycopg.types.json import set_json_loads

    set_json_loads(orjson.loads)


def configure_sqlite(engine: Engine) -> None:
    """Make SQLite behave like the production database where it matters.

    pysqlite delays BEGIN and ignores SAVEPOINT semantics; SQLAlchemy's documented recipe
    hands transaction control back to SQLAlchemy. Foreign keys are off in SQLite by default.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


def watch_pool(
    engine: Engine, in_use: Callable[[int], None], opened: Callable[[int], None]
) -> None:
    """Report the pool's moves (``+1``/``-1``): connections checked out and in, opened and
    closed (the metrics' pool gauges)."""
    event.listen(engine, "checkout", lambda *_: in_use(1))
    event.listen(engine, "checkin", lambda *_: in_use(-1))
    event.listen(engine, "connect", lambda *_: opened(1))
    event.listen(engine, "close", lambda *_: opened(-1))


def database_answers() -> bool:
    """Whether the database answers a trivial query (the readiness probe)."""
    try:
        db_session().execute(sa.text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True
