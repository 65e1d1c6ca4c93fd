"""HTTP layer: blueprints, schemas and the glue that turns domain errors into problems."""

from __future__ import annotations

from pathlib import Path

import flask_swagger_ui
from flask import Flask, send_from_directory
from flask.wrappers import Response

from pokja.api import (
    action_needed,
    agencies,
    agenda,
    agenda_items,
    auth,
    authority_rules,
    case_exports,
    cases,
    clock_extensions,
    code_lists,
    deadlines,
    decisions,
    events,
    evidence,
    faults,
    handoffs,
    health,
    history,
    meetings,
    metrics,
    pokja_settings,
    pokjas,
    recommendations,
    sanctions,
    service_tokens,
    shares,
    stats,
    subjects,
    users,
    webhooks,
)
from pokja.api.base import Api
from pokja.api.contract import register_query_check
from pokja.api.headers import register_security_headers
from pokja.api.inputs import register_body_checks
from pokja.api.security import register_jwt_callbacks

API_DESCRIPTION = """\
The shared record of a *Pokja Netralitas ASN, TNI dan Polri*: cases, the one agency that holds
authority over each, handoffs between agencies, recommendations and their deadlines.

Authenticate with `POST /api/v1/auth/login` and send the access token as
`Authorization: Bearer <token>`. Errors are RFC 9457 `application/problem+json` documents with a
stable `code`. Lists are keyset-paginated: pass `next_cursor` back as `cursor`.
"""

BLUEPRINTS = (
    health.blp,
    auth.blp,
    pokjas.blp,
    agencies.blp,
    users.blp,
    case_exports.blp,
    cases.blp,
    subjects.blp,
    evidence.blp,
    history.blp,
    handoffs.blp,
    shares.blp,
    authority_rules.blp,
    webhooks.blp,
    recommendations.blp,
    sanctions.blp,
    pokja_settings.blp,
    code_lists.blp,
    deadlines.blp,
    clock_extensions.blp,
    stats.blp,
    action_needed.blp,
    meetings.blp,
    agenda.blp,
    agenda_items.blp,
    decisions.blp,
    service_tokens.blp,
    events.blp,
    metrics.blp,
)
SWAGGER_UI_DIST = Path(flask_swagger_ui.__file__).parent / "dist"


def _swagger_asset(filename: str) -> Response:
    return send_from_directory(SWAGGER_UI_DIST, filename, max_age=86400)


def init_api(app: Flask) -> Api:
    app.config.setdefault("API_SPEC_OPTIONS", {})
    app.config["API_SPEC_OPTIONS"].update(
        {
            "info": {
                "description": API_DESCRIPTION,
                "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
            },
            "servers": [{"url": "/", "description": "This server"}],
        }
    )
    api = Api(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    )
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    register_jwt_callbacks(app)
    register_body_checks(app)
    register_query_check(app)
    register_security_headers(app)
    faults.install(app)
    # Swagger UI assets come from the flask-swagger-ui package: the docs work offline.
    app.add_url_rule("/docs/assets/<path:filename>", "swagger_ui_asset", _swagger_asset)
    return api
