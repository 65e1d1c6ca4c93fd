"""Handoffs (pelimpahan) of authority over a case between agencies (DESIGN §4)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import url_for
from flask.views import MethodView
from flask_jwt_extended import current_user

from pokja.access.roles import acts_on_cases
from pokja.api.base import Blueprint
from pokja.api.idempotency import idempotent
from pokja.api.schemas.handoffs import (
    HANDOFF_EXAMPLE,
    DeclineSchema,
    HandoffCreateSchema,
    HandoffQuerySchema,
    HandoffSchema,
)
from pokja.cases.editing import get_case
from pokja.extensions import db_session
from pokja.handoffs.lifecycle import (
    accept_handoff,
    decline_handoff,
    start_handoff,
    withdraw_handoff,
)
from pokja.handoffs.queries import get_handoff, handoff_reader, listed_handoffs
from pokja.models import Handoff

blp = Blueprint(
    "handoffs",
    __name__,
    url_prefix="/api/v1",
    description="Handoffs of authority between agencies",
)


LOCATION_HEADER = {
    "Location": {"description": "URL of the created resource", "schema": {"type": "string"}}
}


def _get(handoff_id: uuid.UUID) -> Handoff:
    return get_handoff(db_session(), current_user, handoff_id)


def _answered(handoff: Handoff) -> tuple[Handoff, int]:
    """Commit an accept, decline or withdraw, and read the handoff back as it is now."""
    read_back = handoff_reader(db_session(), current_user, handoff.id)
    db_session().commit()
    return read_back(), 200


@blp.route("/cases/<uuid:case_id>/handoffs")
class CaseHandoffs(MethodView):
    @blp.auth_required(acts_on_cases)
    @blp.doc(operationId="createHandoff")
    @idempotent
    @blp.arguments(HandoffCreateSchema, example=HANDOFF_EXAMPLE)
    @blp.response(201, HandoffSchema, headers=LOCATION_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="The case has a pending handoff")
    def post(self, data: dict[str, Any], case_id: uuid.UUID) -> Any:
        """Hand a case to another agency.

        The holding agency's liaison or a coordinator. The handoff is pending until the
        receiving agency answers, due in 3 working days (`due_on`, in the Pokja's zone). An
        agency the authority rules do not allow is refused (422 `authority_not_permitted`)
        unless a coordinator gives `override_justification`, which is recorded.
        """
        case = get_case(db_session(), current_user, case_id)
        handoff = start_handoff(db_session(), current_user, case, data)
        db_session().commit()
        location = url_for("handoffs.HandoffById", handoff_id=handoff.id)
        return _get(handoff.id), 201, {"Location": location}


@blp.route("/handoffs")
class Handoffs(MethodView):
    @blp.auth_required()
    @blp.arguments(HandoffQuerySchema, location="query", as_kwargs=True)
    @blp.paginate_keyset(HandoffSchema, order=[(Handoff.created_at, False), (Handoff.id, False)])
    def get(self, **filters: Any) -> Any:
        """List handoffs, oldest first (`direction=incoming&status=pending`: the inbox).

        Only handoffs on the cases the caller sees in full: Bawaslu, coordinators and
        secretaries see all of the Pokja's; another agency's liaison those on the cases it
        holds, has held, was handed or has a share of. `overdue` is derived when read.
        """
        return listed_handoffs(db_session(), current_user, **filters)


@blp.route("/handoffs/<uuid:handoff_id>")
class HandoffById(MethodView):
    @blp.auth_required()
    @blp.response(200, HandoffSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, handoff_id: uuid.UUID) -> Any:
        """Read a handoff (on a case the caller sees in full)."""
        return _get(handoff_id)


@blp.route("/handoffs/<uuid:handoff_id>/accept")
class AcceptHandoff(MethodView):
    @blp.auth_required(acts_on_cases)
    @blp.response(200, HandoffSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="The handoff is not pending")
    def post(self, handoff_id: uuid.UUID) -> Any:
        """Accept a pending handoff: the receiving agency becomes the case's holder.

        The receiving agency's liaison or a coordinator. Of two simultaneous answers only
        one succeeds; the other gets 409 `handoff_not_pending`.
        """
        return _answered(accept_handoff(db_session(), current_user, _get(handoff_id)))


@blp.route("/handoffs/<uuid:handoff_id>/decline")
class DeclineHandoff(MethodView):
    @blp.auth_required(acts_on_cases)
    @blp.arguments(
        DeclineSchema,
        example={
            "decline_reason": "not_our_authority",
            "decline_text": "Terlapor guru PPPK pemerintah provinsi, bukan kewenangan kabupaten.",
            "suggested_agency_id": "3c0e8a4b-8f5e-4d36-9d0a-6a1f2b3c4d5e",
        },
    )
    @blp.response(200, HandoffSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="The handoff is not pending")
    def post(self, data: dict[str, Any], handoff_id: uuid.UUID) -> Any:
        """Decline a pending handoff with a reason code and a text; the sender keeps the case.

        The receiving agency's liaison or a coordinator; `suggested_agency_id` may name the
        agency that should take the case instead.
        """
        handoff = _get(handoff_id)
        return _answered(decline_handoff(db_session(), current_user, handoff, data))


@blp.route("/handoffs/<uuid:handoff_id>/withdraw")
class WithdrawHandoff(MethodView):
    @blp.auth_required(acts_on_cases)
    @blp.response(200, HandoffSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="The handoff is not pending")
    def post(self, handoff_id: uuid.UUID) -> Any:
        """Withdraw a pending handoff (the sending agency's liaison or a coordinator)."""
        return _answered(withdraw_handoff(db_session(), current_user, _get(handoff_id)))
