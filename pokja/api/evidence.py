"""A case's evidence: links, and uploaded files stored by their SHA-256 (DESIGN §3: evidence is
never silently lost)."""

from __future__ import annotations

import os
import uuid
from typing import Any

from flask import current_app, request
from flask.views import MethodView
from flask_jwt_extended import current_user

from pokja.access.roles import acts_on_cases
from pokja.api.base import ETAG_HEADER, Blueprint, check_if_match, etag_of
from pokja.api.schemas.evidence import (
    EvidenceFormSchema,
    EvidenceLinkSchema,
    EvidenceSchema,
    EvidenceUploadSchema,
)
from pokja.cases import presentation
from pokja.cases.editing import check_can_edit, get_case
from pokja.cases.evidence import add_evidence, evidence_of, store_evidence_file
from pokja.errors import field_error
from pokja.extensions import db_session
from pokja.models import Case

blp = Blueprint("evidence", __name__, url_prefix="/api/v1/cases", description="A case's evidence")


def _evidence_dir() -> str:
    configured = current_app.config.get("POKJA_EVIDENCE_DIR") or os.environ.get(
        "POKJA_EVIDENCE_DIR"
    )
    return configured or os.path.join(current_app.instance_path, "evidence")


def _evidence_input(case: Case) -> dict[str, Any]:
    """A JSON link, or a multipart upload stored (and fsynced) before the row is committed."""
    parser = blp.ARGUMENTS_PARSER
    if request.mimetype != "multipart/form-data":
        return parser.parse(EvidenceLinkSchema, request, location="json")
    data = parser.parse(EvidenceFormSchema, request, location="form")
    upload = request.files.get("file")
    if upload is None:
        raise field_error("file", "Attach the file as the form field `file`.")
    check_can_edit(db_session(), current_user, case)  # before anything reaches the disk
    stored = store_evidence_file(upload.stream, _evidence_dir())
    return {
        **data,
        "file_path": stored.path,
        "sha256": stored.sha256,
        "size_bytes": stored.size_bytes,
    }


@blp.route("/<uuid:case_id>/evidence")
class CaseEvidence(MethodView):
    # pokja.__init__ lets these methods take multipart/form-data (everything else is JSON).
    multipart_methods = ("POST",)

    @blp.auth_required()
    @blp.response(200, EvidenceSchema(many=True))
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, case_id: uuid.UUID) -> Any:
        """The case's evidence, oldest first (full access only: 403 when seen redacted)."""
        case = get_case(db_session(), current_user, case_id)
        presentation.require_full_view(db_session(), current_user, case)
        rows = evidence_of(db_session(), case)
        return [presentation.evidence_view(e) for e in rows]

    @blp.auth_required(acts_on_cases)
    @blp.if_match_optional
    @blp.doc(
        requestBody={
            "required": True,
            "content": {
                "application/json": {
                    "schema": EvidenceLinkSchema,
                    "example": {
                        "description": "Tangkapan layar 'like' pada unggahan calon",
                        "kind": "screenshot",
                        "url": "https://facebook.com/posts/123",
                    },
                },
                "multipart/form-data": {"schema": EvidenceUploadSchema},
            },
        }
    )
    @blp.response(201, EvidenceSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, case_id: uuid.UUID) -> Any:
        """Add evidence: a link as JSON, or a file as multipart/form-data (`file`,
        `description`, `kind`), stored by its SHA-256 with its size."""
        case = get_case(db_session(), current_user, case_id)
        check_if_match(case, required=False)
        evidence = add_evidence(db_session(), current_user, case, _evidence_input(case))
        view, etag = presentation.evidence_view(evidence), etag_of(case)
        db_session().commit()
        return view, 201, {"ETag": etag}
