"""Recommendations (rekomendasi), their follow-up and escalations, and a case's sanctions."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask.views import MethodView
from flask_jwt_extended import current_user

from pokja.access.scopes import can_see_full, get_or_404, visible_recommendations
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
    SanctionSchema,
)
from pokja.cases.editing import get_case
from pokja.errors import NotPermitted
from pokja.extensions import db
from pokja.followup.escalations import escalate
from pokja.followup.recommendations import (
    deadline_view,
    follow_up,
    issue_recommendation,
    overdue_condition,
    sanctions_of,
)
from pokja.models import Case, Escalation, Pokja, Recommendation, Sanction
from pokja.time import clock
from pokja.time.calendar import PokjaCalendar
from pokja.time.settings import calendar_for

blp = Blueprint(
    "recommendations",
    __name__,
    url_prefix="/api/v1",
    description="Recommendations to the deciding authority, their follow-up, escalations "
    "and sanctions",
)

WRITERS = ("coordinator", "liaison")
LOCATION_HEADER = {
    "Location": {"description": "URL of the created resource", "schema": {"type": "string"}}
}
SORTS = {
    "due": [(Recommendation.follow_up_due_at, False), (Recommendation.id, False)],
    "-issued_at": [(Recommendation.issued_at, True), (Recommendation.id, True)],
}


def _columns(obj: Any) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in sa.inspect(obj).mapper.column_attrs}


def _escalation(e: Escalation, calendar: PokjaCalendar, now: Any, *, open: bool) -> dict:
    deadline = deadline_view(calendar, e.due_at, e.due_unit, now, open=open)
    return {**_columns(e), **deadline, "deadline": deadline}


def present(recs: list[Recommendation]) -> list[dict[str, Any]]:
    """The recommendations with their escalations, sanctions and deadlines derived now: one
    statement each for escalations, sanctions, register numbers and the calendar."""
    if not recs:
        return []
    now = clock.now()
    ids = [r.id for r in recs]
    escalations: dict[uuid.UUID, list[Escalation]] = defaultdict(list)
    for e in db.session.scalars(
        sa.select(Escalation)
        .where(Escalation.recommendation_id.in_(ids))
        .order_by(Escalation.created_at, Escalation.id)
    ):
        escalations[e.recommendation_id].append(e)
    sanctions: dict[uuid.UUID, list[Sanction]] = defaultdict(list)
    for s in db.session.scalars(
        sa.select(Sanction)
        .where(Sanction.recommendation_id.in_(ids))
        .order_by(Sanction.created_at, Sanction.id)
    ):
        sanctions[s.recommendation_id].append(s)  # type: ignore[index]
    numbers = {
        case_id: number
        for case_id, number in db.session.execute(
            sa.select(Case.id, Case.register_number).where(Case.id.in_({r.case_id for r in recs}))
        )
    }
    calendars = {
        pokja_id: calendar_for(db.session, db.session.get_one(Pokja, pokja_id))
        for pokja_id in {r.pokja_id for r in recs}
    }
    items = []
    for rec in recs:
        calendar, open_ = calendars[rec.pokja_id], rec.status == "issued"
        deadline = deadline_view(calendar, rec.follow_up_due_at, rec.due_unit, now, open=open_)
        items.append(
            {
                **_columns(rec),
                "case_register_number": numbers.get(rec.case_id),
                "follow_up_due_at": deadline["due_at"],
                "days_left": deadline["days_left"],
                "overdue": deadline["overdue"],
                "deadline": deadline,
                "escalations": [
                    _escalation(e, calendar, now, open=open_) for e in escalations[rec.id]
                ],
                "sanctions": sanctions[rec.id],
            }
        )
    return items


def _get(recommendation_id: uuid.UUID) -> Recommendation:
    """A recommendation the caller may see; any other is not found."""
    stmt = visible_recommendations(current_user).where(Recommendation.id == recommendation_id)
    return get_or_404(db.session, stmt, "Recommendation")


def _show(rec: Recommendation, status: int = 200, **headers: str) -> Any:
    db.session.commit()
    rec = _get(rec.id)
    return present([rec])[0], status, {"ETag": etag_of(rec), **headers}


@blp.route("/cases/<uuid:case_id>/recommendations")
class CaseRecommendations(MethodView):
    @blp.auth_required(*WRITERS)
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
        case = get_case(db.session, current_user, case_id)
        rec = issue_recommendation(db.session, current_user, case, data)
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
        stmt = visible_recommendations(current_user)
        if filters.get("addressee_id"):
            stmt = stmt.where(Recommendation.addressee_agency_id == filters["addressee_id"])
        if filters.get("case_id"):
            stmt = stmt.where(Recommendation.case_id == filters["case_id"])
        if filters.get("status"):
            stmt = stmt.where(Recommendation.status == filters["status"])
        if filters.get("due_before"):
            stmt = stmt.where(Recommendation.follow_up_due_at < filters["due_before"])
        if filters.get("overdue") is not None:
            late = overdue_condition(clock.now())
            stmt = stmt.where(late if filters["overdue"] else sa.not_(late))
        return stmt, present


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
    @blp.auth_required(*WRITERS)
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
        return _show(follow_up(db.session, current_user, rec, data))


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
        calendar = calendar_for(db.session, db.session.get_one(Pokja, rec.pokja_id))
        now, open_ = clock.now(), rec.status == "issued"
        stmt = sa.select(Escalation).where(Escalation.recommendation_id == rec.id)
        return stmt, lambda rows: [_escalation(e, calendar, now, open=open_) for e in rows]

    @blp.auth_required(*WRITERS)
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
        escalation = escalate(db.session, current_user, rec, data)
        db.session.commit()
        calendar = calendar_for(db.session, db.session.get_one(Pokja, rec.pokja_id))
        return _escalation(escalation, calendar, clock.now(), open=True), 201


@blp.route("/cases/<uuid:case_id>/sanctions")
class CaseSanctions(MethodView):
    @blp.auth_required()
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.paginate_keyset(SanctionSchema, order=[(Sanction.created_at, False), (Sanction.id, False)])
    def get(self, case_id: uuid.UUID) -> Any:
        """List the sanctions decided on a case's subjects, oldest first.

        For those who see the case in full; anyone else gets 403 `redacted`.
        """
        case = get_case(db.session, current_user, case_id)
        if not can_see_full(db.session, current_user, case):
            raise NotPermitted("You see this case only as a redacted summary.", code="redacted")
        return sanctions_of(db.session, case)
