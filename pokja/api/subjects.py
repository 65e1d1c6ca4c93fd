"""A case's subjects (terlapor): personal data, read only in full and logged (DESIGN §3, §5)."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_jwt_extended import current_user

from pokja.access.roles import acts_on_cases
from pokja.api.base import ETAG_HEADER, Blueprint, check_if_match, etag_of
from pokja.api.schemas.subjects import SUBJECT_EXAMPLE, SubjectSchema
from pokja.audit.access_log import record_personal_data_view
from pokja.cases import presentation
from pokja.cases.editing import get_case
from pokja.cases.subjects import add_subject, subjects_of
from pokja.extensions import db_session

blp = Blueprint(
    "subjects", __name__, url_prefix="/api/v1/cases", description="A case's subjects (terlapor)"
)


@blp.route("/<uuid:case_id>/subjects")
class CaseSubjects(MethodView):
    @blp.auth_required()
    @blp.response(200, SubjectSchema(many=True))
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, case_id: uuid.UUID) -> Any:
        """The case's subjects (full access only: 403 when seen redacted); the read is logged."""
        case = get_case(db_session(), current_user, case_id)
        presentation.require_full_view(db_session(), current_user, case)
        views = [presentation.subject_view(subject) for subject in subjects_of(db_session(), case)]
        if views:
            record_personal_data_view(db_session(), current_user, case, ["subjects"])
            db_session().commit()
        return views

    @blp.auth_required(acts_on_cases)
    @blp.if_match_optional
    @blp.arguments(SubjectSchema, example=SUBJECT_EXAMPLE)
    @blp.response(201, SubjectSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, data: dict[str, Any], case_id: uuid.UUID) -> Any:
        """Add a subject (the holding agency's liaison, coordinators); ETag: the case's."""
        case = get_case(db_session(), current_user, case_id)
        check_if_match(case, required=False)
        subject = add_subject(db_session(), current_user, case, data)
        view, etag = presentation.subject_view(subject), etag_of(case)
        db_session().commit()
        return view, 201, {"ETag": etag}
