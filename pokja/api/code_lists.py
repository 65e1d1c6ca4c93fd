"""Code lists: every code the API accepts, with Indonesian and English labels."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_jwt_extended import current_user

from pokja.api.base import Blueprint
from pokja.api.schemas.code_lists import CodeListsSchema
from pokja.directory.code_lists import code_lists_for
from pokja.extensions import db_session

blp = Blueprint(
    "code_lists",
    __name__,
    url_prefix="/api/v1/code-lists",
    description="Code lists with Indonesian and English labels",
)


@blp.route("")
class CodeLists(MethodView):
    @blp.auth_required()
    @blp.response(200, CodeListsSchema)
    def get(self) -> Any:
        """Every code list; `violation_tracks` is the caller's Pokja's table."""
        return code_lists_for(db_session(), current_user)
