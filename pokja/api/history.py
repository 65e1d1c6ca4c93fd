"""A case's history: its hash-chained events, oldest first (DESIGN §3)."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_jwt_extended import current_user

from pokja.api.base import Blueprint
from pokja.api.schemas.history import HistoryEventSchema
from pokja.audit import history
from pokja.audit.access_log import record_personal_data_view
from pokja.cases import presentation
from pokja.cases.editing import get_case
from pokja.extensions import db_session
from pokja.models import Case, Event

blp = Blueprint("history", __name__, url_prefix="/api/v1/cases", description="A case's history")


def _history_page(case: Case, full: bool, rows: list[Any]) -> list[dict[str, Any]]:
    items = [history.event_view(event, name, agency, full) for event, name, agency in rows]
    if full and history.names_subjects(rows):
        record_personal_data_view(db_session(), current_user, case, ["subjects"])
        db_session().commit()
    return items


@blp.route("/<uuid:case_id>/history")
class CaseHistory(MethodView):
    @blp.auth_required()
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.paginate_keyset(HistoryEventSchema, order=[(Event.seq, False)])
    def get(self, case_id: uuid.UUID) -> Any:
        """The case's changes, oldest first; redacted viewers get no values.

        Reads of personal data are audited elsewhere and left out here.
        """
        case = get_case(db_session(), current_user, case_id)
        full = presentation.sees_full(db_session(), current_user, case)
        return history.history_of(case), lambda rows: _history_page(case, full, rows)
