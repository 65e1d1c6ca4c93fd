"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

from typing import Any

from marshmallow import fields

from pokja.api.base import Blueprint, Schema
from pokja.errors import DomainError
from pokja.extensions import database_answers

blp = Blueprint("health", __name__, description="Health probes (no authentication)")


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"example": "ok"})


class Unavailable(DomainError):
    status = 503
    code = "database_unavailable"
    title = "Service unavailable"


@blp.route("/healthz", methods=["GET"])
@blp.response(200, HealthSchema)
def healthz() -> Any:
    """The process is up."""
    return {"status": "ok"}


@blp.route("/readyz", methods=["GET"])
@blp.response(200, HealthSchema)
@blp.alt_response(503, response="SERVICE_UNAVAILABLE")
def readyz() -> Any:
    """The process is up and its database answers."""
    if not database_answers():
        raise Unavailable("The database does not answer.")
    return {"status": "ok"}
