"""Explicit extensions of a case's clocks (DESIGN §6: extensions are events with a reason,
never a silent recalculation)."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_jwt_extended import current_user

from pokja.access.roles import acts_on_cases
from pokja.api.base import Blueprint
from pokja.api.idempotency import idempotent
from pokja.api.schemas.clock_extensions import CaseClockExtensionSchema, ExtensionCreateSchema
from pokja.cases import clock_extensions
from pokja.cases.editing import get_case
from pokja.extensions import db_session
from pokja.time import case_clocks

blp = Blueprint(
    "clock_extensions",
    __name__,
    url_prefix="/api/v1/cases",
    description="Extensions of a case's clocks",
)


@blp.route("/<uuid:case_id>/extensions")
class CaseExtensions(MethodView):
    @blp.auth_required(acts_on_cases)
    @idempotent
    @blp.arguments(ExtensionCreateSchema)
    @blp.response(201, CaseClockExtensionSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data: dict[str, Any], case_id: uuid.UUID) -> Any:
        """Extend a case's clock once, with a reason (holder's liaison, coordinator): the
        decision clock, when Bawaslu needs more information (pemilu: 14 working days from
        registration; pilkada: 2 more days)."""
        case = get_case(db_session(), current_user, case_id)
        extension = clock_extensions.extend_clock(
            db_session(), current_user, case, data["clock"], data["reason"]
        )
        db_session().commit()
        return case_clocks.extension_view(extension), 201
