"""The changes feed: the Pokja's events in chain order, for dashboards that sync (DESIGN §8).

``next_cursor`` is always present: at the end of the feed it is where to poll from later.
A page that shows subjects by name (a case's creation, a subject added) is a personal-data
read and is logged like a case's history.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from flask import request
from flask.views import MethodView
from flask_jwt_extended import current_user

from pokja.api.base import Blueprint, json_response
from pokja.api.pagination import LINK_HEADER, decode_cursor, encode_cursor
from pokja.api.schemas.events import ChangesPageSchema, ChangesQuerySchema
from pokja.audit import feed
from pokja.audit.access_log import record_personal_data_views
from pokja.errors import DomainError
from pokja.extensions import db_session

blp = Blueprint(
    "events", __name__, url_prefix="/api/v1/events", description="The changes feed (dashboards)"
)


def _after(cursor: str | None) -> int:
    """The last seq the client has seen (0: none)."""
    if not cursor:
        return 0
    seq = decode_cursor(cursor, [int])[0]
    if not 0 <= seq < 2**31:
        raise DomainError("The cursor is not valid.", code="invalid_cursor")
    return int(seq)


@blp.route("")
class Changes(MethodView):
    @blp.auth_required()
    @blp.arguments(ChangesQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, ChangesPageSchema, headers=LINK_HEADER)
    def get(
        self,
        limit: int,
        cursor: str | None = None,
        type: str | None = None,
        case_id: uuid.UUID | None = None,
    ) -> Any:
        """The Pokja's changes, oldest first, in the order they were committed.

        Poll with `next_cursor` (always present): no change is skipped or repeated while
        others write. Events of cases you see in full carry their data; others only their
        envelope. Reads of personal data are not changes and are not in the feed.
        """
        session, user = db_session(), current_user._get_current_object()
        after = _after(cursor)
        rows = feed.changes(session, user, after_seq=after, limit=limit, type=type, case_id=case_id)
        named = feed.cases_named(rows)
        if named and user.pokja_id is not None:
            record_personal_data_views(session, user, user.pokja_id, named, ["subjects"])
            session.commit()
        next_cursor = encode_cursor([rows[-1].seq if rows else after])
        headers = {}
        if len(rows) == limit:
            args = {**request.args.to_dict(), "cursor": next_cursor}
            headers["Link"] = f'<{request.base_url}?{urlencode(args)}>; rel="next"'
        body = {"items": [feed.change_view(row) for row in rows], "next_cursor": next_cursor}
        return json_response(body, 200, headers)
