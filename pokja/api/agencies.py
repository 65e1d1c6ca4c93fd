"""Agencies: the Pokja's members and the outside authorities it addresses."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_jwt_extended import current_user

from pokja.access.roles import may_manage_pokjas
from pokja.access.scopes import get_or_404, visible_agencies
from pokja.api.base import ETAG_HEADER, Blueprint, check_if_match, etag_of
from pokja.api.schemas.pokjas import AgencyQuerySchema, AgencySchema, AgencyUpdateSchema
from pokja.directory.agencies import create_agency, update_agency
from pokja.extensions import db_session
from pokja.models import Agency

blp = Blueprint(
    "agencies",
    __name__,
    url_prefix="/api/v1/agencies",
    description="A Pokja's member agencies and outside authorities",
)


def _get(agency_id: uuid.UUID) -> Agency:
    return get_or_404(
        db_session(), visible_agencies(current_user).where(Agency.id == agency_id), "Agency"
    )


@blp.route("")
class Agencies(MethodView):
    @blp.auth_required()
    @blp.arguments(AgencyQuerySchema, location="query", as_kwargs=True)
    @blp.paginate_keyset(AgencySchema, order=[(Agency.name, False), (Agency.id, False)])
    def get(self, pokja_id: uuid.UUID | None = None, kind: str | None = None) -> Any:
        """List the agencies of the caller's Pokja (administrators: of any Pokja)."""
        stmt = visible_agencies(current_user)
        if pokja_id is not None:
            stmt = stmt.where(Agency.pokja_id == pokja_id)
        if kind is not None:
            stmt = stmt.where(Agency.kind == kind)
        return stmt

    @blp.auth_required(may_manage_pokjas)
    @blp.arguments(AgencySchema, example={"kind": "TNI", "name": "Kodim 0408/Bengkulu Selatan"})
    @blp.response(201, AgencySchema, headers=ETAG_HEADER)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data: dict[str, Any]) -> Any:
        """Add an agency to a Pokja (administrators; coordinators to their own Pokja)."""
        agency = create_agency(db_session(), current_user, data)
        db_session().commit()
        return agency, 201, {"ETag": etag_of(agency)}


@blp.route("/<uuid:agency_id>")
class AgencyById(MethodView):
    @blp.auth_required()
    @blp.response(200, AgencySchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, agency_id: uuid.UUID) -> Any:
        """Read an agency."""
        agency = _get(agency_id)
        return agency, 200, {"ETag": etag_of(agency)}

    @blp.auth_required(may_manage_pokjas)
    @blp.if_match_required
    @blp.arguments(AgencyUpdateSchema)
    @blp.response(200, AgencySchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def patch(self, changes: dict[str, Any], agency_id: uuid.UUID) -> Any:
        """Change an agency; `active: false` deactivates it."""
        agency = _get(agency_id)
        check_if_match(agency)
        update_agency(db_session(), current_user, agency, changes)
        db_session().commit()
        return agency, 200, {"ETag": etag_of(agency)}
