"""Pokjas: the working groups an installation hosts."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_jwt_extended import current_user

from pokja.access.roles import is_admin, may_manage_pokjas
from pokja.access.scopes import get_or_404, visible_pokjas
from pokja.api.base import ETAG_HEADER, Blueprint, check_if_match, etag_of
from pokja.api.schemas.pokjas import PokjaSchema, PokjaUpdateSchema
from pokja.directory.pokjas import create_pokja, update_pokja
from pokja.extensions import db_session
from pokja.models import Pokja

blp = Blueprint(
    "pokjas",
    __name__,
    url_prefix="/api/v1/pokjas",
    description="Working groups (Pokja) hosted by this installation",
)


def _get(pokja_id: uuid.UUID) -> Pokja:
    return get_or_404(
        db_session(), visible_pokjas(current_user).where(Pokja.id == pokja_id), "Pokja"
    )


@blp.route("")
class Pokjas(MethodView):
    @blp.auth_required()
    @blp.paginate_keyset(PokjaSchema, order=[(Pokja.name, False), (Pokja.id, False)])
    def get(self) -> Any:
        """List Pokjas (an administrator sees all, anyone else their own)."""
        return visible_pokjas(current_user)

    @blp.auth_required(is_admin)
    @blp.arguments(
        PokjaSchema,
        example={
            "name": "Pokja Netralitas Kabupaten Bengkulu Selatan",
            "region_code": "17.01",
            "region_name": "Kabupaten Bengkulu Selatan",
            "level": "kabupaten",
            "timezone": "Asia/Jakarta",
        },
    )
    @blp.response(201, PokjaSchema, headers=ETAG_HEADER)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data: dict[str, Any]) -> Any:
        """Create a Pokja (administrators)."""
        pokja = create_pokja(db_session(), current_user, data)
        db_session().commit()
        return pokja, 201, {"ETag": etag_of(pokja)}


@blp.route("/<uuid:pokja_id>")
class PokjaById(MethodView):
    @blp.auth_required()
    @blp.response(200, PokjaSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, pokja_id: uuid.UUID) -> Any:
        """Read a Pokja."""
        pokja = _get(pokja_id)
        return pokja, 200, {"ETag": etag_of(pokja)}

    @blp.auth_required(may_manage_pokjas)
    @blp.if_match_required
    @blp.arguments(PokjaUpdateSchema)
    @blp.response(200, PokjaSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def patch(self, changes: dict[str, Any], pokja_id: uuid.UUID) -> Any:
        """Change a Pokja; `active: false` deactivates it (administrators)."""
        pokja = _get(pokja_id)
        check_if_match(pokja)
        update_pokja(db_session(), current_user, pokja, changes)
        db_session().commit()
        return pokja, 200, {"ETag": etag_of(pokja)}
