"""Cases (dugaan pelanggaran): register, list, read, edit, move through stages, and the
authority block (DESIGN §3-§5, §9).

Every representation is full or redacted per caller (``pokja.cases.presentation``). A case's own
representation (GET, and the answer to PATCH and to a stage change), its subjects and its
history log a personal-data read (§3) whenever they show subject identity or the reporter; the
answer to a registration does not (the caller has just supplied the data), and lists neither
log nor carry the reporter, so that a page costs a fixed number of statements and no writes.

The case list and a case's own representation are hot reads (DESIGN §12): rows of the read
model (``pokja.cases.read_model``), presented once and encoded once; ``CaseSchema`` documents
what they return, and the tests check real responses against it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask.views import MethodView
from flask.wrappers import Response
from flask_jwt_extended import current_user

from pokja.access.roles import acts_on_cases
from pokja.api.base import ETAG_HEADER, Blueprint, check_if_match, json_response
from pokja.api.idempotency import idempotent
from pokja.api.problems import PROBLEM_MEDIA_TYPE
from pokja.api.schemas.cases import (
    AuthoritySchema,
    CaseCreateSchema,
    CaseQuerySchema,
    CaseSchema,
    CaseUpdateSchema,
    DuplicateRefProblemSchema,
    StageChangeSchema,
    TransitionProblemSchema,
)
from pokja.api.schemas.subjects import SUBJECT_EXAMPLE
from pokja.audit.access_log import record_personal_data_view
from pokja.cases import presentation, read_model
from pokja.cases.editing import change_stage, get_case, update_case
from pokja.cases.registration import create_case
from pokja.extensions import db_session
from pokja.models import Case


@dataclass(frozen=True)
class _Read:
    """The case whose personal data a view showed (for the access log)."""

    id: uuid.UUID
    pokja_id: uuid.UUID


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


def _get(case_id: uuid.UUID) -> Case:
    return get_case(db_session(), current_user, case_id)


def _show(case_id: uuid.UUID, status: int = 200, **headers: str) -> Response:
    """The case's own representation, encoded once; a read of personal data in it is logged
    in the access log (§3), committed with the request's one transaction."""
    session, user = db_session(), current_user._get_current_object()
    view = presentation.read_case(session, user, case_id)
    shown = presentation.personal_data_in(view)
    if shown and status == 200:
        record_personal_data_view(session, user, _Read(view["id"], user.pokja_id), shown)
    session.commit()
    return json_response(view, status, {"ETag": f'"{view["version"]}"', **headers})


@blp.route("")
class Cases(MethodView):
    @blp.auth_required(with_pokja_facts=True)
    @blp.arguments(CaseQuerySchema, location="query", as_kwargs=True)
    @blp.paginate_keyset(CaseSchema, sorts=SORTS, serialize_once=True)
    def get(self, **filters: Any) -> Any:
        """List the Pokja's cases, each in full or as a redacted summary for the caller.

        Items carry no reporter (see a case's own representation), and reading a list is not
        logged as a personal-data read.
        """
        session, user = db_session(), current_user._get_current_object()
        stmt, params = read_model.case_list(session, user, filters)
        return stmt, lambda rows: presentation.present_rows(session, user, rows), params

    @blp.auth_required(acts_on_cases)
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
        case = create_case(db_session(), current_user, data)
        # The caller has just supplied the personal data: showing it back is not a read of it.
        return _show(case.id, 201, Location=url_for("cases.CaseById", case_id=case.id))


@blp.route("/<uuid:case_id>")
class CaseById(MethodView):
    @blp.auth_required(with_pokja_facts=True)
    @blp.response(200, CaseSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, case_id: uuid.UUID) -> Any:
        """Read a case: in full, or as a redacted summary; a full read is logged."""
        return _show(case_id)

    @blp.auth_required(acts_on_cases)
    @blp.if_match_required
    @blp.arguments(CaseUpdateSchema, example={"title": "Kepala SDN 3 Manna menyukai unggahan"})
    @blp.response(200, CaseSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    def patch(self, changes: dict[str, Any], case_id: uuid.UUID) -> Any:
        """Edit a case (the holding agency's liaison, coordinators); needs `If-Match`."""
        case = _get(case_id)
        check_if_match(case)
        update_case(db_session(), current_user, case, changes)
        return _show(case_id)


@blp.route("/<uuid:case_id>/stage")
class CaseStage(MethodView):
    @blp.auth_required(acts_on_cases)
    @blp.doc(operationId="changeCaseStage")
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
        case = _get(case_id)
        check_if_match(case, required=False)
        change_stage(
            db_session(),
            current_user,
            case,
            data["stage"],
            dismissal_reason=data.get("dismissal_reason"),
            note=data.get("note"),
        )
        return _show(case_id)


@blp.route("/<uuid:case_id>/authority")
class CaseAuthority(MethodView):
    @blp.auth_required()
    @blp.response(200, AuthoritySchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, case_id: uuid.UUID) -> Any:
        """Who holds the case, any pending handoff, who may hold it next, and what the caller
        may do with it."""
        user = current_user._get_current_object()
        return json_response(presentation.present_authority(db_session(), user, case_id))
