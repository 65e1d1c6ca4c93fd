"""Recommendations (rekomendasi), their follow-up and escalations (DESIGN §3, §6)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import url_for
from flask.views import MethodView
from flask_jwt_extended import current_user

from pokja.access.roles import acts_on_cases
from pokja.access.scopes import get_or_404, visible_recommendations
from pokja.api.base import ETAG_HEADER, Blueprint, check_if_match, etag_of
from pokja.api.idempotency import idempotent
from pokja.api.schemas.recommendations import (
    ESCALATION_EXAMPLE,
    FOLLOW_UP_EXAMPLE,
    RECOMMENDATION_EXAMPLE,
    EscalationCreateSchema,
    EscalationSchema,
    FollowUpSchema,
    RecommendationCreateSchema,
    RecommendationQuerySchema,
    RecommendationSchema,
)
from pokja.cases.editing import get_case
from pokja.extensions import db_session
from pokja.followup import presentation
from pokja.followup.escalations import escalate, escalations_of
from pokja.followup.follow_up import follow_up
from pokja.followup.recommendations import filter_recommendations, issue_recommendation
from pokja.models import Escalation, Recommendation

blp = Blueprint(
    "recommendations",
    __name__,
    url_prefix="/api/v1",
    description="Recommendations to the deciding authority, their follow-up, escalations "
    "and sanctions",
)


LOCATION_HEADER = {
    "Location": {"description": "URL of the created resource", "schema": {"type": "string"}}
}


SORTS = {
    "due": [(Recommendation.follow_up_due_at, False), (Recommendation.id, False)],
    "-issued_at": [(Recommendation.issued_at, True), (Recommendation.id, True)],
}


def _get(recommendation_id: uuid.UUID) -> Recommendation:
    """A recommendation the caller may see; any other is not found."""
    stmt = visible_recommendations(current_user).where(Recommendation.id == recommendation_id)
    return get_or_404(db_session(), stmt, "Recommendation")


def _show(rec: Recommendation, status: int = 200, **headers: str) -> Any:
    db_session().commit()
    rec = _get(rec.id)
    return presentation.present(db_session(), [rec])[0], status, {"ETag": etag_of(rec), **headers}


@blp.route("/cases/<uuid:case_id>/recommendations")
class CaseRecommendations(MethodView):
    @blp.auth_required(acts_on_cases)
    @blp.doc(operationId="createRecommendation")
    @idempotent
    @blp.arguments(RecommendationCreateSchema, example=RECOMMENDATION_EXAMPLE)
    @blp.response(201, RecommendationSchema, headers={**LOCATION_HEADER, **ETAG_HEADER})
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="The case's stage does not allow it")
    def post(self, data: dict[str, Any], case_id: uuid.UUID) -> Any:
        """Issue a recommendation on a case to the authority that decides.

        The holding agency's liaison or a coordinator; the case moves to `recommended`. The
        follow-up deadline comes from the Pokja's clock (14 working days by default) and is
        fixed when issued. The addressee (for an outside authority: the agency acting for it,
        BKDPSDM for the PPK, BKN or KASN) gets a share of the case and a
        `recommendation.received` message.
        """
        case = get_case(db_session(), current_user, case_id)
        rec = issue_recommendation(db_session(), current_user, case, data)
        location = url_for("recommendations.RecommendationById", recommendation_id=rec.id)
        return _show(rec, 201, Location=location)


@blp.route("/recommendations")
class Recommendations(MethodView):
    @blp.auth_required()
    @blp.arguments(RecommendationQuerySchema, location="query", as_kwargs=True)
    @blp.paginate_keyset(RecommendationSchema, sorts=SORTS)
    def get(self, **filters: Any) -> Any:
        """List recommendations, earliest deadline first (`overdue=true`: the late ones).

        Those on the cases the caller sees in full, and those its agency issued, receives or
        acts on for an outside addressee. `days_left` and `overdue` are derived when read.
        """
        stmt = filter_recommendations(visible_recommendations(current_user), **filters)
        return stmt, lambda rows: presentation.present(db_session(), rows)


@blp.route("/recommendations/<uuid:recommendation_id>")
class RecommendationById(MethodView):
    @blp.auth_required()
    @blp.response(200, RecommendationSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, recommendation_id: uuid.UUID) -> Any:
        """Read a recommendation with its deadline, escalations and sanctions."""
        return _show(_get(recommendation_id))


@blp.route("/recommendations/<uuid:recommendation_id>/follow-up")
class FollowUp(MethodView):
    @blp.auth_required(acts_on_cases)
    @blp.doc(operationId="recordFollowUp")
    @blp.if_match_optional
    @blp.arguments(FollowUpSchema, example=FOLLOW_UP_EXAMPLE)
    @blp.response(200, RecommendationSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="Followed up or rejected already")
    def post(self, data: dict[str, Any], recommendation_id: uuid.UUID) -> Any:
        """Record the addressee's follow-up: `followed_up` with its sanctions, or `rejected`.

        The addressee's liaison (for an outside authority: the acting agency's, BKDPSDM for
        the PPK) or a coordinator. Each sanction must fit its subject's type (422
        `invalid_sanction` names the kinds that do). Records whether it came on time or late
        by how many working days; the case moves to `decided`.
        """
        rec = _get(recommendation_id)
        check_if_match(rec, required=False)
        return _show(follow_up(db_session(), current_user, rec, data))


@blp.route("/recommendations/<uuid:recommendation_id>/escalations")
class RecommendationEscalations(MethodView):
    @blp.auth_required()
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.paginate_keyset(
        EscalationSchema, order=[(Escalation.created_at, False), (Escalation.id, False)]
    )
    def get(self, recommendation_id: uuid.UUID) -> Any:
        """List a recommendation's escalations, oldest first, each with its own deadline."""
        rec = _get(recommendation_id)
        stmt = escalations_of(rec)
        return stmt, lambda rows: presentation.present_escalations(db_session(), rec, rows)

    @blp.auth_required(acts_on_cases)
    @idempotent
    @blp.arguments(EscalationCreateSchema, example=ESCALATION_EXAMPLE)
    @blp.response(201, EscalationSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="Followed up or rejected already")
    def post(self, data: dict[str, Any], recommendation_id: uuid.UUID) -> Any:
        """Escalate a recommendation the addressee has not acted on.

        The issuing agency's liaison or a coordinator, while the recommendation is issued: a
        reminder letter, a request to BKN to block personnel data, a report to the Ministry.
        Each escalation has its own deadline (by default the follow-up clock from its date).
        """
        rec = _get(recommendation_id)
        escalation = escalate(db_session(), current_user, rec, data)
        db_session().commit()
        return presentation.present_escalations(db_session(), rec, [escalation])[0], 201
