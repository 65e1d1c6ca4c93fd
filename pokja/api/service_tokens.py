"""Service tokens: read-only credentials for dashboard machines (DESIGN §2 ``viewer``, §9).

The Pokja's coordinator creates one per dashboard, sees its secret once, and revokes it; a
request made with it reads what a viewer reads, and any write made with it is a 403.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_jwt_extended import current_user

from pokja.access.roles import manages_service_tokens
from pokja.api.base import Blueprint
from pokja.api.schemas.service_tokens import ServiceTokenSchema, ServiceTokenWithSecretSchema
from pokja.directory import service_tokens
from pokja.extensions import db_session
from pokja.models import ServiceToken

blp = Blueprint(
    "service_tokens",
    __name__,
    url_prefix="/api/v1/service-tokens",
    description="Read-only tokens for dashboards (coordinators)",
)


@blp.route("")
class ServiceTokens(MethodView):
    @blp.auth_required(manages_service_tokens)
    @blp.paginate_keyset(
        ServiceTokenSchema, order=[(ServiceToken.created_at, True), (ServiceToken.id, True)]
    )
    def get(self) -> Any:
        """List the Pokja's service tokens, revoked ones included (never their secrets)."""
        return service_tokens.visible_service_tokens(current_user)

    @blp.auth_required(manages_service_tokens)
    @blp.arguments(ServiceTokenSchema, example={"name": "Dasbor Bawaslu Provinsi"})
    @blp.response(201, ServiceTokenWithSecretSchema)
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, data: dict[str, Any]) -> Any:
        """Create a service token; the response shows the token once: store it now.

        It reads what the Pokja's `viewer` reads (statistics, the changes feed, redacted case
        lists and exports) and never writes.
        """
        key = current_app.config["SECRET_KEY"].encode()
        token, secret = service_tokens.create_service_token(db_session(), current_user, data, key)
        db_session().commit()
        fields = ServiceTokenSchema().fields
        return {**{name: getattr(token, name) for name in fields}, "token": secret}, 201


@blp.route("/<uuid:token_id>")
class ServiceTokenById(MethodView):
    @blp.auth_required(manages_service_tokens)
    @blp.response(200, ServiceTokenSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, token_id: uuid.UUID) -> Any:
        """Read a service token."""
        return service_tokens.get_service_token(db_session(), current_user, token_id)

    @blp.auth_required(manages_service_tokens)
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, token_id: uuid.UUID) -> None:
        """Revoke a service token: refused from the next request on, on every instance. It
        stays listed, with `revoked_at`."""
        session = db_session()
        token = service_tokens.get_service_token(session, current_user, token_id)
        service_tokens.revoke_service_token(session, current_user, token)
        session.commit()
