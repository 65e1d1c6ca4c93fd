"""Flask extensions, created once and bound to the app in :func:`pokja.create_app`."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

import flask_jwt_extended
import orjson
import sqlalchemy as sa
from flask import current_app, has_request_context, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Engine, event
from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
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

    def init_app(self, app: Any, add_context_processor: bool = False) -> None:
        super().init_app(app, add_context_processor)
        _remember_token_headers()

    @staticmethod
    def _unexpired(claims: dict[str, Any]) -> bool:
        """PyJWT's own test (``exp`` after now minus the leeway), with PyJWT's own clock."""
        exp = claims.get("exp")
        leeway = current_app.config.get("JWT_DECODE_LEEWAY", 0)
        if isinstance(leeway, timedelta):
            leeway = leeway.total_seconds()
        return exp is None or exp > datetime.now(tz=UTC).timestamp() - leeway


def _remember_token_headers() -> None:
    """After verifying a token, flask-jwt-extended parses its header once more (PyJWT checks
    each character of it in Python). A token's header is a function of its text alone, so
    it is parsed once per process too; each request gets its own copy."""
    from flask_jwt_extended import view_decorators

    parse = view_decorators.get_unverified_jwt_headers
    if getattr(parse, "remembered", False):
        return
    parsed = lru_cache(maxsize=JWTManager.VERIFIED_TOKENS_KEPT)(parse)

    def remembered(encoded_token: str) -> dict[str, Any]:
        return dict(parsed(encoded_token))

    remembered.remembered = True  # type: ignore[attr-defined]
    view_decorators.get_unverified_jwt_headers = remembered


_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

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


def configure_postgresql(engine: Engine) -> None:
    """psycopg decodes JSON columns (the read models' aggregates) with orjson: the same values,
    several times faster than the standard library; and reads keep their prepared statements
    (:func:`end_reads_with_commit`)."""
    from psycopg.types.json import set_json_loads

    set_json_loads(orjson.loads)
    end_reads_with_commit(engine)


_WROTE = "pokja_wrote"


def end_reads_with_commit(engine: Engine) -> None:
    """End a transaction that sent only SELECTs with COMMIT instead of ROLLBACK.

    For such a transaction the two are the same, but psycopg forgets every prepared statement
    of the connection on a ROLLBACK (it cannot know what the rolled-back work prepared). The
    session ends each request with a rollback, so the hot reads, which run the same few
    statements over and over, would be parsed and planned anew on every request; ended with
    COMMIT, psycopg prepares them after a few runs and PostgreSQL plans them once per
    connection. Any other statement (an INSERT, an UPDATE, a SAVEPOINT, a data-modifying WITH)
    marks the transaction, which then rolls back as before; so does a failed one.
    """
    import psycopg
    from psycopg.pq import TransactionStatus

    @event.listens_for(engine, "before_cursor_execute")
    def _note_writes(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.startswith("SELECT"):
            conn.info[_WROTE] = True

    @event.listens_for(engine, "rollback")
    def _commit_reads(conn: Any) -> None:
        if conn.invalidated or conn.closed:
            return  # a lost connection: SQLAlchemy's own handling, untouched
        if conn.info.pop(_WROTE, False):
            return
        dbapi_connection = conn.connection.dbapi_connection
        if dbapi_connection is None or dbapi_connection.closed:
            return
        if dbapi_connection.info.transaction_status == TransactionStatus.INTRANS:
            # The rollback SQLAlchemy performs next finds the connection idle: a no-op.
            try:
                dbapi_connection.commit()
            except psycopg.Error as exc:
                # Lost meanwhile (the server went away after the last SELECT): discarded, as
                # SQLAlchemy discards a lost connection; the rollback then has nothing to do.
                conn.invalidate(exc)

    @event.listens_for(engine, "commit")
    def _forget_writes(conn: Any) -> None:
        conn.info.pop(_WROTE, None)


def configure_sqlite(engine: Engine, busy_timeout_ms: int = 3000) -> None:
    """Make SQLite behave like the production database where it matters.

    pysqlite delays BEGIN and ignores SAVEPOINT semantics; SQLAlchemy's documented recipe
    hands transaction control back to SQLAlchemy. Foreign keys are off in SQLite by default.

    Concurrent clients (the demo, issue 9): WAL lets readers run beside the one writer, and a
    writer waits up to ``busy_timeout_ms`` for the write lock instead of failing at once. A
    request that writes (POST, PUT, PATCH, DELETE) takes the write lock when its transaction
    begins (``BEGIN IMMEDIATE``): a deferred transaction that read first could not wait for
    it, only fail with "database is locked" once another writer had committed. The odd read
    that writes (the access log) and loses that race is retried (:mod:`pokja.api.faults`).
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        writes = has_request_context() and request.method not in _READ_METHODS
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


# SQLSTATEs of faults that are the database's state, not the request's (issue 9): connection
# lost or refused (class 08), the server shutting down or starting (57P01-57P03), a failover
# that left us on a read-only standby (25006), a lock or statement timeout (55P03, 57014),
# and the transaction conflicts a retry resolves (40001 serialization, 40P01 deadlock).
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
_UNAVAILABLE_SQLSTATES = frozenset({"25006", "55P03", "57014", "57P01", "57P02", "57P03", "53300"})
_SQLITE_BUSY = ("database is locked", "database table is locked")


def _sqlstate(error: BaseException) -> str | None:
    orig = getattr(error, "orig", None)
    return getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)


def is_retryable(error: BaseException) -> bool:
    """A transaction conflict that the same request, run again, may well not meet."""
    if not isinstance(error, DBAPIError):
        return False
    if _sqlstate(error) in RETRYABLE_SQLSTATES:
        return True
    return isinstance(error, OperationalError) and str(error.orig).startswith(_SQLITE_BUSY)


def is_unavailable(error: BaseException) -> bool:
    """The database is away, failing over, or too busy to answer in time: a 503, not a bug."""
    if isinstance(error, PoolTimeout | DisconnectionError) or is_retryable(error):
        return True
    if not isinstance(error, DBAPIError):
        return False
    state = _sqlstate(error)
    if state in _UNAVAILABLE_SQLSTATES or (state or "").startswith("08"):
        return True
    # No SQLSTATE from psycopg: the connection was refused or dropped before the server could
    # say why. (SQLite's own OperationalErrors without one are bugs, except "locked" above.)
    from_psycopg = type(getattr(error, "orig", None)).__module__.startswith("psycopg")
    return error.connection_invalidated or (
        state is None and from_psycopg and isinstance(error, OperationalError | InterfaceError)
    )


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
