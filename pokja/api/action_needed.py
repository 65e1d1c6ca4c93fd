"""Action needed: what an agency must act on now, each item with the link of its action
(DESIGN §8)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.views import MethodView
from flask_jwt_extended import current_user

from pokja.access.roles import acts_for_an_agency
from pokja.action.needed import action_needed
from pokja.api.base import Blueprint, json_response
from pokja.api.schemas.action_needed import ActionNeededQuerySchema, ActionNeededSchema
from pokja.extensions import db_session
from pokja.time import clock

blp = Blueprint(
    "action_needed",
    __name__,
    url_prefix="/api/v1",
    description="What an agency must act on now",
)

# kind -> (method, endpoint, the item's field naming the target, the action). A kind without
# a row here (a deadline source added later) links the case it belongs to.
ACTIONS = {
    "handoff": ("POST", "handoffs.AcceptHandoff", "handoff_id", "item_id", "accept"),
    "declined_handoff": ("POST", "handoffs.CaseHandoffs", "case_id", "case_id", "hand_off"),
    "recommendation": (
        "POST",
        "recommendations.FollowUp",
        "recommendation_id",
        "item_id",
        "follow_up",
    ),
    "escalation": (
        "POST",
        "recommendations.RecommendationEscalations",
        "recommendation_id",
        "recommendation_id",
        "escalate",
    ),
    "case_decision": ("POST", "cases.CaseStage", "case_id", "case_id", "change_stage"),
}
DEFAULT_ACTION = ("GET", "cases.CaseById", "case_id", "case_id", "read")


def _link(item: dict[str, Any]) -> dict[str, str]:
    method, endpoint, param, field, action = ACTIONS.get(item["kind"], DEFAULT_ACTION)
    return {"method": method, "href": url_for(endpoint, **{param: item[field]}), "action": action}


@blp.route("/action-needed")
class ActionNeeded(MethodView):
    @blp.auth_required(acts_for_an_agency, with_pokja_facts=True)
    @blp.arguments(ActionNeededQuerySchema, location="query")
    @blp.response(200, ActionNeededSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, query: dict[str, Any]) -> Any:
        """What your agency must act on (a coordinator may name `agency_id`): every
        deadline overdue or due within 7 days, oldest first — incoming handoffs,
        recommendations it receives or acts for, escalation letters awaiting an answer, case
        clocks, and any other deadline source — then the handoffs it sent that were declined
        and need a new route; each with the link of the action to take."""
        session, user = db_session(), current_user._get_current_object()
        view = action_needed(session, user, clock.now(), query.get("agency_id"))
        for item in view["items"]:
            item["action"] = _link(item)
        return json_response(view)
