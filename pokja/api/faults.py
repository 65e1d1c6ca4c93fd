"""Database faults (DESIGN §9 "Faults", issue 9): a database that is away, failing over, or
holding a lock too long is a 503 problem with ``Retry-After``, never a 500.

Transaction conflicts (a serialization failure, a deadlock, SQLite's "database is locked")
are retried: the request's transaction is rolled back and the view runs again, at most
``POKJA_DB_RETRIES`` times with a short, growing pause. Only a conflict that outlasts the
retries is answered 503. A view's work is one transaction that either committed or left
nothing (DESIGN STYLE "Transactions at the edge"), so running it again cannot write twice;
an ``Idempotency-Key`` of a failed run is released by :mod:`pokja.api.idempotency` first.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, current_app, g, request
from flask.wrappers import Response
from sqlalchemy.exc import SQLAlchemyError

from pokja.api.problems import handle_unexpected, problem
from pokja.extensions import db_session, is_retryable, is_unavailable

log = logging.getLogger("pokja.faults")

_PAUSE = 0.05  # seconds before the first retry; doubled for each next one


def retrying(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``view`` again after a transaction conflict, a bounded number of times."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        retries = current_app.config["POKJA_DB_RETRIES"]
        for attempt in range(retries + 1):
            try:
                return view(*args, **kwargs)
            except SQLAlchemyError as exc:
                if attempt == retries or not is_retryable(exc):
                    raise
                log.info("retrying %s %s after %s", request.method, request.path, exc.orig)  # type: ignore[attr-defined]
                db_session().rollback()
                time.sleep(_PAUSE * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    return wrapper


def handle_database_error(error: SQLAlchemyError) -> Response:
    """503 with ``Retry-After`` for the database's faults; anything else is a bug (500)."""
    if not is_unavailable(error):
        return handle_unexpected(error)
    log.warning(
        "database unavailable on %s %s [request %s]: %s",
        request.method,
        request.path,
        g.get("request_id"),
        str(error).splitlines()[0],
    )
    try:
        db_session().rollback()
    except SQLAlchemyError:
        log.debug("rollback after a database fault failed", exc_info=True)
    return problem(
        503,
        "The database is unavailable or busy; retry in a moment.",
        code="database_unavailable",
        headers={"Retry-After": str(current_app.config["POKJA_RETRY_AFTER"])},
    )


def install(app: Flask) -> None:
    """Wrap every view in :func:`retrying` and answer database faults 503."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint != "static":
            app.view_functions[endpoint] = retrying(view)
    app.register_error_handler(SQLAlchemyError, handle_database_error)
