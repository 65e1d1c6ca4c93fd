"""Deadlines: what falls due for the caller's agency (DESIGN §6, §8)."""

from __future__ import annotations

import uuid
from dataclasses import astuple
from datetime import datetime
from typing import Any

from flask.views import MethodView
from flask_jwt_extended import current_user

from pokja.access.roles import acts_for_an_agency
from pokja.api.base import Blueprint, json_response
from pokja.api.pagination import LINK_HEADER, decode_cursor, encode_cursor, next_link
from pokja.api.schemas.deadlines import DueListSchema, DueQuerySchema
from pokja.extensions import db_session
from pokja.time import clock
from pokja.time.due import due_page
from pokja.time.scope import DueKey

blp = Blueprint(
    "deadlines",
    __name__,
    url_prefix="/api/v1",
    description="Deadlines falling due",
)


@blp.route("/deadlines")
class Deadlines(MethodView):
    @blp.auth_required(acts_for_an_agency, with_pokja_facts=True)
    @blp.arguments(DueQuerySchema, location="query")
    @blp.response(200, DueListSchema, headers=LINK_HEADER)
    def get(self, query: dict[str, Any]) -> Any:
        """What falls due for your agency (the whole Pokja for its coordinator and
        secretary): overdue first, then by due time; keyset-paginated like every list."""
        after = None
        if query.get("cursor"):
            after = DueKey(*decode_cursor(query["cursor"], (datetime, str, uuid.UUID)))
        items, next_key = due_page(
            db_session(),
            current_user,
            within_days=query["within_days"],
            overdue=query.get("overdue"),
            now=clock.now(),
            limit=query["limit"],
            after=after,
        )
        next_cursor = encode_cursor(astuple(next_key)) if next_key else None
        # Encoded once: a coordinator's page may hold hundreds of items (DueListSchema
        # documents it; the tests check real responses against it).
        return json_response(
            {"items": items, "next_cursor": next_cursor},
            headers=next_link(next_cursor) if next_cursor else None,
        )
