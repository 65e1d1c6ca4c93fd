"""Cases (dugaan pelanggaran): register, list, read, edit, move through stages; their subjects,
evidence, history and authority block (DESIGN §3-§5, §9).

Every representation is full or redacted per caller (``pokja.cases.presentation``). A case's own
representation (GET, and the answer to PATCH and to a stage change), its subjects and its
history log a personal-data read (§3) whenever they show subject identity or the reporter; the
answer to a registration does not (the caller has just supplied the data), and lists neither
log nor carry the reporter, so that a page costs a fixed number of statements and no writes.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

import sqlalchemy as sa
from flask import current_app, request, url_for
from flask.views import MethodView
from flask_jwt_extended import current_user
from sqlalchemy.orm import selectinload

from pokja.api.base import ETAG_HEADER, Blueprint, check_if_match, etag_of
from pokja.api.idempotency import idempotent
from pokja.api.problems import PROBLEM_MEDIA_TYPE
from pokja.api.schemas.cases import (
    AuthoritySchema,
    CaseCreateSchema,
    CaseQuerySchema,
    CaseSchema,
    CaseUpdateSchema,
    DuplicateRefProblemSchema,
    EvidenceFormSchema,
    EvidenceLinkSchema,
    EvidenceSchema,
    EvidenceUploadSchema,
    HistoryEventSchema,
    StageChangeSchema,
    SubjectSchema,
    TransitionProblemSchema,
)
from pokja.audit.events import PERSONAL_DATA_VIEWED
from pokja.cases import presentation
from pokja.cases.details import (
    add_evidence,
    add_subject,
    check_can_edit,
    record_personal_data_view,
    store_evidence_file,
)
from pokja.cases.editing import change_stage, get_case, update_case
from pokja.cases.filters import filtered_cases
from pokja.cases.registration import create_case
from pokja.errors import NotPermitted, field_error
from pokja.extensions import db
from pokja.models import Agency, Case, Event, Evidence, User

blp = Blueprint(
    "cases",
    __name__,
    url_prefix="/api/v1/cases",
    description="Cases, their subjects, evidence, history and authority",
)

SORTS = {
    "-registered_at": [(Case.registered_at, True), (Case.id, True)],
    "registered_at": [(Case.registered_at, False), (Case.id, False)],
    "-updated_at": [(Case.updated_at, True), (Case.id, True)],
    "updated_at": [(Case.updated_at, False), (Case.id, False)],
}
LOCATION_HEADER = {"Location": {"description": "URL of the new case", "schema": {"type": "string"}}}
SUBJECT_EXAMPLE = {
    "name": "Budi Santoso",
    "identifier": "198001012005011001",
    "subject_type": "pns",
    "position": "Kepala Sekolah",
    "employer_unit": "SDN 3 Manna",
}
CREATE_EXAMPLE = {
    "title": "Kepala sekolah memberi 'like' pada unggahan calon bupati",
    "summary": "Dilaporkan di posko pengaduan Kecamatan Manna.",
    "source": "report",
    "category": "neutrality",
    "election": "pilkada-2024",
    "occurred_on": "2024-09-20",
    "discovered_on": "2024-09-22",
    "location": {"kecamatan": "Manna", "desa": "Pasar Baru"},
    "violation_types": ["social_media"],
    "subjects": [SUBJECT_EXAMPLE],
    "reporter": {"name": "Siti Aminah", "contact": "0812-0000-0000"},
    "external_refs": [{"system": "SIGAPLAPOR", "reference": "LP-2024-0042"}],
}


def _get(case_id: uuid.UUID, *options: Any) -> Case:
    return get_case(db.session, current_user, case_id, *options)


def _show(case: Case) -> tuple[dict[str, Any], int, dict[str, str]]:
    """The case's own representation; a read of personal data in it is logged (§3)."""
    view = presentation.present_case(db.session, current_user, case)
    shown = presentation.personal_data_in(view)
    if shown:
        record_personal_data_view(db.session, current_user, case, shown)
    etag = etag_of(case)
    db.session.commit()
    return view, 200, {"ETag": etag}


def _require_full(case: Case) -> None:
    if not presentation.sees_full(db.session, current_user, case):
        raise NotPermitted("You see this case only as a redacted summary.", code="redacted")


@blp.route("")
class Cases(MethodView):
    @blp.auth_required()
    @blp.arguments(CaseQuerySchema, location="query", as_kwargs=True)
    @blp.paginate_keyset(CaseSchema, sorts=SORTS)
    def get(self, **filters: Any) -> Any:
        """List the Pokja's cases, each in full or as a redacted summary for the caller.

        Items carry no reporter (see a case's own representation), and reading a list is not
        logged as a personal-data read.
        """
        stmt = filtered_cases(db.session, current_user, filters).options(*presentation.CASE_LOAD)
        return stmt, lambda rows: presentation.present_cases(db.session, current_user, rows)

    @blp.auth_required("liaison", "coordinator")
    @idempotent
    @blp.arguments(CaseCreateSchema, example=CREATE_EXAMPLE)
    @blp.response(201, CaseSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    @blp.alt_response(
        409,
        schema=DuplicateRefProblemSchema,
        content_type=PROBLEM_MEDIA_TYPE,
        description="An external reference is registered already (`case_id` names the case)",
    )
    def post(self, data: dict[str, Any]) -> Any:
        """Register a case (Bawaslu liaisons, coordinators): stage `received`, held by Bawaslu.

        `election_kind` may be left out when `election` names it (`pilkada-2024`). An
        external reference already registered in the Pokja is a 409.
        """
        case = create_case(db.session, current_user, data)
        view = presentation.present_case(db.session, current_user, case)
        headers = {"ETag": etag_of(case), "Location": url_for("cases.CaseById", case_id=case.id)}
        db.session.commit()
        return view, 201, headers


@blp.route("/<uuid:case_id>")
class CaseById(MethodView):
    @blp.auth_required()
    @blp.response(200, CaseSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, case_id: uuid.UUID) -> Any:
        """Read a case: in full, or as a redacted summary; a full read is logged."""
        return _show(_get(case_id, *presentation.CASE_DETAIL_LOAD))

    @blp.auth_required("liaison", "coordinator")
    @blp.if_match_required
    @blp.arguments(CaseUpdateSchema, example={"title": "Kepala SDN 3 Manna menyukai unggahan"})
    @blp.response(200, CaseSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    def patch(self, changes: dict[str, Any], case_id: uuid.UUID) -> Any:
        """Edit a case (the holding agency's liaison, coordinators); needs `If-Match`."""
        case = _get(case_id, *presentation.CASE_DETAIL_LOAD)
        check_if_match(case)
        update_case(db.session, current_user, case, changes)
        return _show(case)


@blp.route("/<uuid:case_id>/stage")
class CaseStage(MethodView):
    @blp.auth_required("liaison", "coordinator")
    @blp.if_match_optional
    @blp.arguments(
        StageChangeSchema,
        example={"stage": "dismissed", "dismissal_reason": "insufficient_evidence"},
    )
    @blp.response(200, CaseSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(
        409,
        schema=TransitionProblemSchema,
        content_type=PROBLEM_MEDIA_TYPE,
        description="The stage table does not allow the move; see `allowed`",
    )
    def post(self, data: dict[str, Any], case_id: uuid.UUID) -> Any:
        """Move a case to another stage (DESIGN §4); a dismissal needs `dismissal_reason`."""
        case = _get(case_id, *presentation.CASE_DETAIL_LOAD)
        check_if_match(case, required=False)
        change_stage(
            db.session,
            current_user,
            case,
            data["stage"],
            dismissal_reason=data.get("dismissal_reason"),
            note=data.get("note"),
        )
        return _show(case)


def _history_page(case: Case, full: bool, rows: list[Any]) -> list[dict[str, Any]]:
    items = [presentation.event_view(event, name, agency, full) for event, name, agency in rows]
    if full and any(event.type in presentation.EVENTS_WITH_SUBJECTS for event, _, _ in rows):
        record_personal_data_view(db.session, current_user, case, ["subjects"])
        db.session.commit()
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
        case = _get(case_id)
        full = presentation.sees_full(db.session, current_user, case)
        stmt = (
            sa.select(Event, User.display_name, Agency)
            .outerjoin(User, User.id == Event.actor_user_id)
            .outerjoin(Agency, Agency.id == Event.actor_agency_id)
            .where(Event.case_id == case.id, Event.type != PERSONAL_DATA_VIEWED)
        )
        return stmt, lambda rows: _history_page(case, full, rows)


@blp.route("/<uuid:case_id>/subjects")
class CaseSubjects(MethodView):
    @blp.auth_required()
    @blp.response(200, SubjectSchema(many=True))
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, case_id: uuid.UUID) -> Any:
        """The case's subjects (full access only: 403 when seen redacted); the read is logged."""
        case = _get(case_id, selectinload(Case.subjects))
        _require_full(case)
        views = [presentation.subject_view(subject) for subject in case.subjects]
        if views:
            record_personal_data_view(db.session, current_user, case, ["subjects"])
            db.session.commit()
        return views

    @blp.auth_required("liaison", "coordinator")
    @blp.if_match_optional
    @blp.arguments(SubjectSchema, example=SUBJECT_EXAMPLE)
    @blp.response(201, SubjectSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, data: dict[str, Any], case_id: uuid.UUID) -> Any:
        """Add a subject (the holding agency's liaison, coordinators); ETag: the case's."""
        case = _get(case_id)
        check_if_match(case, required=False)
        subject = add_subject(db.session, current_user, case, data)
        view, etag = presentation.subject_view(subject), etag_of(case)
        db.session.commit()
        return view, 201, {"ETag": etag}


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
    check_can_edit(db.session, current_user, case)  # before anything reaches the disk
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
        case = _get(case_id)
        _require_full(case)
        stmt = (
            sa.select(Evidence)
            .where(Evidence.case_id == case.id)
            .order_by(Evidence.created_at, Evidence.id)
        )
        return [presentation.evidence_view(e) for e in db.session.scalars(stmt)]

    @blp.auth_required("liaison", "coordinator")
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
        case = _get(case_id)
        check_if_match(case, required=False)
        evidence = add_evidence(db.session, current_user, case, _evidence_input(case))
        view, etag = presentation.evidence_view(evidence), etag_of(case)
        db.session.commit()
        return view, 201, {"ETag": etag}


@blp.route("/<uuid:case_id>/authority")
class CaseAuthority(MethodView):
    @blp.auth_required()
    @blp.response(200, AuthoritySchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, case_id: uuid.UUID) -> Any:
        """Who holds the case, any pending handoff, who may hold it next, and what the caller
        may do with it."""
        return presentation.present_authority(db.session, current_user, _get(case_id))
