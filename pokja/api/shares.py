"""Shares (tembusan): read access to a case for another agency, without moving authority."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_jwt_extended import current_user

from pokja.access.roles import acts_on_cases
from pokja.api.base import Blueprint
from pokja.api.schemas.shares import ShareQuerySchema, ShareSchema
from pokja.cases.editing import get_case
from pokja.extensions import db_session
from pokja.handoffs import shares
from pokja.models import Share

blp = Blueprint(
    "shares",
    __name__,
    url_prefix="/api/v1/cases",
    description="Shares (tembusan) of a case with other agencies",
)


@blp.route("/<uuid:case_id>/shares")
class CaseShares(MethodView):
    @blp.auth_required()
    @blp.arguments(ShareQuerySchema, location="query", as_kwargs=True)
    @blp.paginate_keyset(ShareSchema, order=[(Share.granted_at, False), (Share.id, False)])
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, case_id: uuid.UUID, include_revoked: bool = False) -> Any:
        """List a case's shares (tembusan), oldest first.

        For those who see the case in full; anyone else gets 403 `redacted`.
        """
        case = get_case(db_session(), current_user, case_id)
        return shares.shares_of(db_session(), current_user, case, include_revoked=include_revoked)

    @blp.auth_required(acts_on_cases)
    @blp.arguments(
        ShareSchema,
        example={
            "agency_id": "5d7c1b9e-2f4a-4e8b-a6c3-0b9d8e7f6a51",
            "reason": "Tembusan untuk Sentra Gakkumdu: dugaan tindak pidana pemilu.",
        },
    )
    @blp.response(201, ShareSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="The agency has a share already")
    def post(self, data: dict[str, Any], case_id: uuid.UUID) -> Any:
        """Share a case with another agency, which then reads it in full.

        The holding agency's liaison or a coordinator; authority does not move. Recorded in
        the case history.
        """
        case = get_case(db_session(), current_user, case_id)
        share = shares.grant_share(
            db_session(), current_user, case, data["agency_id"], data["reason"]
        )
        db_session().commit()
        return share, 201


@blp.route("/<uuid:case_id>/shares/<uuid:share_id>")
class CaseShareById(MethodView):
    @blp.auth_required(acts_on_cases)
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="The share was revoked already")
    def delete(self, case_id: uuid.UUID, share_id: uuid.UUID) -> None:
        """Revoke a share (the holding agency's liaison or a coordinator)."""
        case = get_case(db_session(), current_user, case_id)
        shares.revoke_share(db_session(), current_user, case, share_id)
        db_session().commit()
