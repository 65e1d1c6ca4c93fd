"""A meeting's manual agenda items (DESIGN §7, section 7) and their minutes."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_jwt_extended import current_user

from pokja.access.roles import manages_meetings
from pokja.api.base import ETAG_HEADER, Blueprint, check_if_match, etag_of
from pokja.api.idempotency import idempotent
from pokja.api.schemas.meetings import (
    AGENDA_ITEM_EXAMPLE,
    AgendaItemCreateSchema,
    AgendaItemSchema,
    AgendaItemUpdateSchema,
    MinutesSchema,
)
from pokja.extensions import db_session
from pokja.meetings import items
from pokja.meetings.presentation import present_items
from pokja.meetings.queries import get_meeting
from pokja.models import AgendaItem

blp = Blueprint(
    "agenda_items",
    __name__,
    url_prefix="/api/v1",
    description="A meeting's manual agenda items and their minutes",
)
LOCKED = "The meeting has started (items are fixed), or is closed (`meeting_closed`)"


def _show(item: AgendaItem, status: int = 200) -> Any:
    session = db_session()
    session.commit()
    session.refresh(item)
    return present_items(session, current_user, [item])[0], status, {"ETag": etag_of(item)}


def _item(meeting_id: uuid.UUID, item_id: uuid.UUID) -> tuple[Any, AgendaItem]:
    meeting = get_meeting(db_session(), current_user, meeting_id)
    return meeting, items.get_item(db_session(), meeting, item_id)


@blp.route("/meetings/<uuid:meeting_id>/agenda-items")
class AgendaItems(MethodView):
    @blp.auth_required()
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.paginate_keyset(
        AgendaItemSchema,
        order=[
            (AgendaItem.position, False),
            (AgendaItem.created_at, False),
            (AgendaItem.id, False),
        ],
    )
    def get(self, meeting_id: uuid.UUID) -> Any:
        """List a meeting's manual agenda items in their order."""
        meeting = get_meeting(db_session(), current_user, meeting_id)
        return items.items_of(meeting).order_by(None), lambda rows: present_items(
            db_session(), current_user, rows
        )

    @blp.auth_required(manages_meetings)
    @idempotent
    @blp.arguments(AgendaItemCreateSchema, example=AGENDA_ITEM_EXAMPLE)
    @blp.response(201, AgendaItemSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description=LOCKED)
    def post(self, data: dict[str, Any], meeting_id: uuid.UUID) -> Any:
        """Add a manual item (title, notes, optional case, presenter agency, planned minutes),
        last unless a `position` is given; until the meeting starts."""
        meeting = get_meeting(db_session(), current_user, meeting_id)
        return _show(items.add_item(db_session(), current_user, meeting, data), 201)


@blp.route("/meetings/<uuid:meeting_id>/agenda-items/<uuid:item_id>")
class AgendaItemById(MethodView):
    @blp.auth_required(manages_meetings)
    @blp.if_match_required
    @blp.arguments(AgendaItemUpdateSchema)
    @blp.response(200, AgendaItemSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description=LOCKED)
    def patch(self, data: dict[str, Any], meeting_id: uuid.UUID, item_id: uuid.UUID) -> Any:
        """Change a manual item (or move it: `position`) until the meeting starts."""
        meeting, item = _item(meeting_id, item_id)
        check_if_match(item)
        return _show(items.update_item(db_session(), current_user, meeting, item, data))

    @blp.auth_required(manages_meetings)
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description=LOCKED)
    def delete(self, meeting_id: uuid.UUID, item_id: uuid.UUID) -> Any:
        """Remove a manual item until the meeting starts."""
        meeting, item = _item(meeting_id, item_id)
        items.remove_item(db_session(), current_user, meeting, item)
        db_session().commit()
        return "", 204


@blp.route("/meetings/<uuid:meeting_id>/agenda-items/<uuid:item_id>/minutes")
class AgendaItemMinutes(MethodView):
    @blp.auth_required(manages_meetings)
    @blp.arguments(MinutesSchema)
    @blp.response(200, AgendaItemSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="Not in progress")
    def put(self, data: dict[str, Any], meeting_id: uuid.UUID, item_id: uuid.UUID) -> Any:
        """Write an item's minutes (Markdown) while the meeting is in progress."""
        meeting, item = _item(meeting_id, item_id)
        items.write_minutes(db_session(), current_user, meeting, data["minutes"], item)
        return _show(item)
