"""Sanctions decided on a case's subjects (DESIGN §3)."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_jwt_extended import current_user

from pokja.api.base import Blueprint
from pokja.api.schemas.sanctions import SanctionSchema
from pokja.cases.editing import get_case
from pokja.cases.presentation import require_full_view
from pokja.extensions import db_session
from pokja.followup.recommendations import sanctions_of
from pokja.models import Sanction

blp = Blueprint(
    "sanctions",
    __name__,
    url_prefix="/api/v1/cases",
    description="Sanctions decided on a case's subjects",
)


@blp.route("/<uuid:case_id>/sanctions")
class CaseSanctions(MethodView):
    @blp.auth_required()
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.paginate_keyset(SanctionSchema, order=[(Sanction.created_at, False), (Sanction.id, False)])
    def get(self, case_id: uuid.UUID) -> Any:
        """List the sanctions decided on a case's subjects, oldest first.

        For those who see the case in full; anyone else gets 403 `redacted`.
        """
        case = get_case(db_session(), current_user, case_id)
        require_full_view(db_session(), current_user, case)
        return sanctions_of(db_session(), case)
