"""The application factory: configuration, extensions, the HTTP layer and the CLI commands."""

from __future__ import annotations

import logging
import os
import uuid
from typing import Any

from flask import Flask, current_app, g, request
from flask.wrappers import Response
from werkzeug.middleware.proxy_fix import ProxyFix

from pokja.config import ConfigError, load_config

REQUEST_ID_HEADER = "X-Request-ID"
_BODY_METHODS = {"POST", "PUT", "PATCH"}


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Application factory. ``config`` overrides what the environment says."""
    # No static folder: the API serves JSON only (Swagger UI assets have their own route).
    app = Flask(__name__, instance_relative_config=True, static_folder=None)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(load_config(app.instance_path, config))
    app.json.sort_keys = False  # type: ignore[attr-defined]
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")

    from pokja import models  # noqa: F401 - registers the tables for Alembic
    from pokja.api import init_api
    from pokja.api.metrics import init_metrics
    from pokja.audit import keys
    from pokja.cli import register_commands
    from pokja.directory import passwords
    from pokja.extensions import configure_postgresql, configure_sqlite, db, jwt, limiter, migrate

    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine, app.config["POKJA_DB_LOCK_TIMEOUT_MS"])
        elif db.engine.dialect.name == "postgresql":
            configure_postgresql(db.engine)
    migrate.init_app(
        app,
        db,
        directory=os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "migrations")),
        render_as_batch=True,
        compare_type=True,
    )
    try:
        keyring = keys.keyring_from_config(app.config)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    if keyring.derived and app.config["POKJA_ENV"] == "production":
        logging.getLogger("pokja").warning(
            "POKJA_AUDIT_KEYS is not set: the audit chain is keyed with a key derived from "
            "SECRET_KEY; configure a dedicated key (POKJA_AUDIT_KEYS, POKJA_AUDIT_KEY_ID)"
        )
    keys.install(keyring)
    jwt.init_app(app)
    # Password hashes use the profile of the app serving the request (or running the command).
    passwords.profile = lambda: current_app.config.get("ARGON2_PROFILE", passwords.DEFAULT_PROFILE)
    if app.config["POKJA_TRUSTED_PROXIES"]:
        hops = app.config["POKJA_TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    limiter.init_app(app)
    _register_request_hooks(app)
    app.extensions["pokja_api"] = init_api(app)
    if app.config["POKJA_METRICS_ENABLED"]:
        with app.app_context():
            init_metrics(app)
    register_commands(app)
    return app


def _takes_multipart(app: Flask) -> bool:
    """Whether the matched view accepts uploads: its class lists the method in
    ``multipart_methods`` (e.g. evidence files)."""
    view = app.view_functions.get(request.endpoint or "")
    view_class = getattr(view, "view_class", None)
    return request.method in getattr(view_class, "multipart_methods", ())


def _register_request_hooks(app: Flask) -> None:
    from pokja.api.problems import problem
    from pokja.api.security import refuse_service_token_writes

    @app.before_request
    def assign_request_id() -> None:
        supplied = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = supplied[:64] if supplied.isprintable() and supplied else uuid.uuid4().hex

    # Right after the request id: a write with a service token is a 403, whatever its body.
    app.before_request(refuse_service_token_writes)

    @app.before_request
    def require_json_body() -> Response | None:
        """A body that is not JSON is a 415, not a confusing "field missing" 422."""
        streamed = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
        has_body = request.method in _BODY_METHODS and (
            (request.content_length or 0) > 0 or streamed
        )
        if has_body and not request.is_json and request.path.startswith("/api/"):
            if request.mimetype == "multipart/form-data" and _takes_multipart(app):
                return None
            return problem(415, "Send the request body as application/json.")
        return None

    @app.after_request
    def echo_request_id(response: Response) -> Response:
        response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
        return response
