"""Meeting decisions (action items): taken in a meeting, they outlive it (DESIGN §3)."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_jwt_extended import current_user

from pokja.access.roles import manages_meetings
from pokja.access.scopes import get_or_404, visible_decisions
from pokja.api.base import ETAG_HEADER, Blueprint, check_if_match, etag_of
from pokja.api.idempotency import idempotent
from pokja.api.schemas.decisions import (
    DECISION_EXAMPLE,
    DecisionCreateSchema,
    DecisionQuerySchema,
    DecisionSchema,
    DecisionUpdateSchema,
)
from pokja.extensions import db_session
from pokja.meetings.decisions import filter_decisions, mark_done, take_decision
from pokja.meetings.presentation import (
    decision_rows,
    pokja_calendar,
    present_decision,
    present_decision_rows,
)
from pokja.meetings.queries import get_meeting
from pokja.models import Decision

blp = Blueprint(
    "decisions",
    __name__,
    url_prefix="/api/v1",
    description="Meeting decisions: owner agency, due day, done",
)


def _get(decision_id: uuid.UUID) -> Decision:
    stmt = visible_decisions(current_user).where(Decision.id == decision_id)
    return get_or_404(db_session(), stmt, "Decision")  # type: ignore[no-any-return]


def _present(decision: Decision, status: int = 200) -> Any:
    view = present_decision(db_session(), current_user, decision)
    return view, status, {"ETag": etag_of(decision)}


def _show(decision: Decision, status: int = 200) -> Any:
    """After a change: committed, then read back as the caller sees it."""
    db_session().commit()
    return _present(_get(decision.id), status)


@blp.route("/meetings/<uuid:meeting_id>/decisions")
class MeetingDecisions(MethodView):
    @blp.auth_required(manages_meetings)
    @idempotent
    @blp.arguments(DecisionCreateSchema, example=DECISION_EXAMPLE)
    @blp.response(201, DecisionSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="The meeting is not in progress")
    def post(self, data: dict[str, Any], meeting_id: uuid.UUID) -> Any:
        """Record a decision while the meeting is in progress.

        Its owner is an agency of the Pokja (told by `decision.assigned`); it is due on
        `due_on` or after `due_in_working_days` of the Pokja's calendar; an optional case
        puts it in that case's history.
        """
        meeting = get_meeting(db_session(), current_user, meeting_id)
        return _show(take_decision(db_session(), current_user, meeting, data), 201)


@blp.route("/decisions")
class Decisions(MethodView):
    @blp.auth_required()
    @blp.arguments(DecisionQuerySchema, location="query", as_kwargs=True)
    @blp.paginate_keyset(
        DecisionSchema,
        order=[(Decision.due_on, False), (Decision.id, False)],
        serialize_once=True,
    )
    def get(self, **filters: Any) -> Any:
        """List the Pokja's decisions, earliest due first (`overdue=true`: open past their
        day). The text of one on a case you do not see in full is left out."""
        stmt = visible_decisions(current_user)
        if filters:
            stmt = filter_decisions(stmt, pokja_calendar(db_session(), current_user), **filters)
        return decision_rows(stmt, current_user), lambda rows: present_decision_rows(
            db_session(), current_user, rows
        )


@blp.route("/decisions/<uuid:decision_id>")
class DecisionById(MethodView):
    @blp.auth_required()
    @blp.response(200, DecisionSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, decision_id: uuid.UUID) -> Any:
        """Read a decision with its due day (and whether it is overdue, derived now)."""
        return _present(_get(decision_id))

    @blp.auth_required()
    @blp.if_match_required
    @blp.arguments(DecisionUpdateSchema)
    @blp.response(200, DecisionSchema, headers=ETAG_HEADER)
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="Done already")
    def patch(self, data: dict[str, Any], decision_id: uuid.UUID) -> Any:
        """Mark a decision done: its owner agency's liaison, a secretary or a coordinator."""
        decision = _get(decision_id)
        check_if_match(decision)
        return _show(mark_done(db_session(), current_user, decision, data.get("done_note")))
