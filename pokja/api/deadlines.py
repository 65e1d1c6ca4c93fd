"""Deadlines: what falls due for the caller's agency, and explicit extensions of a case's
clocks (DESIGN §6: extensions are events with a reason, never a silent recalculation)."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_jwt_extended import current_user

from pokja.access.scopes import get_or_404, visible_cases
from pokja.api.base import Blueprint
from pokja.api.idempotency import idempotent
from pokja.api.schemas.deadlines import CaseClockExtensionSchema, ExtensionCreateSchema
from pokja.api.schemas.due import DueListSchema, DueQuerySchema
from pokja.extensions import db
from pokja.models import Case
from pokja.models.base import utcnow
from pokja.time import case_clocks
from pokja.time.due import due_items

blp = Blueprint(
    "deadlines",
    __name__,
    url_prefix="/api/v1",
    description="Deadlines falling due, and case clock extensions",
)


@blp.route("/deadlines")
class Deadlines(MethodView):
    @blp.auth_required("coordinator", "secretary", "liaison")
    @blp.arguments(DueQuerySchema, location="query")
    @blp.response(200, DueListSchema)
    def get(self, query: dict[str, Any]) -> Any:
        """What falls due for your agency (the whole Pokja for its coordinator and
        secretary): overdue first, then by due time."""
        items = due_items(
            db.session,
            current_user,
            within_days=query["within_days"],
            overdue=query.get("overdue"),
            now=utcnow(),
        )
        return {"items": items}


@blp.route("/cases/<uuid:case_id>/extensions")
class CaseExtensions(MethodView):
    @blp.auth_required("coordinator", "liaison")
    @idempotent
    @blp.arguments(ExtensionCreateSchema)
    @blp.response(201, CaseClockExtensionSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data: dict[str, Any], case_id: uuid.UUID) -> Any:
        """Extend a case's clock once, with a reason (holder's liaison, coordinator): the
        decision clock, when Bawaslu needs more information (pemilu: 14 working days from
        registration; pilkada: 2 more days)."""
        case = get_or_404(db.session, visible_cases(current_user).where(Case.id == case_id), "Case")
        extension = case_clocks.extend_clock(
            db.session, current_user, case, data["clock"], data["reason"]
        )
        db.session.commit()
        return case_clocks.extension_view(extension), 201
