"""Flask extensions, created once and bound to the app in :func:`pokja.create_app`."""

from datetime import UTC, datetime, timedelta
from typing import Any

import flask_jwt_extended
import orjson
import sqlalchemy as sa
from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from pokja.models.base import Base


class JWTManager(flask_jwt_extended.JWTManager):
    """flask-jwt-extended, verifying each access token once per process instead of per request.

    Decoding a token is a quarter of a short read's CPU: flask-jwt-extended parses it three
    times (claims, header, then verified), and PyJWT checks every character of every segment
    in Python. A token is short-lived and sent many times, so its verified claims are kept,
    keyed by the signing secret and the exact token text: the same bytes under the same key
    verify the same way. Expiry is still checked on every request (a remembered token past its
    ``exp`` is decoded again, which raises the usual expired-token error), and revocation and
    deactivation are looked up in the database on every request as before.
    """

    VERIFIED_TOKENS_KEPT = 4096

    def __init__(self, app: Any = None, add_context_processor: bool = False) -> None:
        super().__init__(app, add_context_processor)
        self._verified: dict[tuple[Any, str], dict[str, Any]] = {}

    def _decode_jwt_from_config(
        self, encoded_token: str, csrf_value: Any = None, allow_expired: bool = False
    ) -> dict[str, Any]:
        if csrf_value is not None or allow_expired:
            return super()._decode_jwt_from_config(encoded_token, csrf_value, allow_expired)
        key = (current_app.config["JWT_SECRET_KEY"], encoded_token)
        claims = self._verified.get(key)
        if claims is not None and self._unexpired(claims):
            return dict(claims)
        claims = super()._decode_jwt_from_config(encoded_token)
        if len(self._verified) >= self.VERIFIED_TOKENS_KEPT:
            self._verified.clear()  # rare, and only costs a fresh verification each
        self._verified[key] = claims
        return dict(claims)

    @staticmethod
    def _unexpired(claims: dict[str, Any]) -> bool:
        """PyJWT's own test (``exp`` after now minus the leeway), with PyJWT's own clock."""
        exp = claims.get("exp")
        leeway = current_app.config.get("JWT_DECODE_LEEWAY", 0)
        if isinstance(leeway, timedelta):
            leeway = leeway.total_seconds()
        return exp is None or exp > datetime.now(tz=UTC).timestamp() - leeway


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


def database_answers() -> bool:
    """Whether the database answers a trivial query (the readiness probe)."""
    try:
        db_session().execute(sa.text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True
