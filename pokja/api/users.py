"""Users: the people and service accounts of each Pokja."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_jwt_extended import current_user

from pokja.access.roles import may_manage_pokjas
from pokja.access.scopes import get_or_404, visible_users
from pokja.api.base import ETAG_HEADER, Blueprint, check_if_match, etag_of
from pokja.api.schemas.users import UserQuerySchema, UserSchema, UserUpdateSchema
from pokja.directory.users import create_user, update_user
from pokja.extensions import db_session
from pokja.models import User

blp = Blueprint(
    "users", __name__, url_prefix="/api/v1/users", description="Users of a Pokja and administrators"
)


def _get(user_id: uuid.UUID) -> User:
    return get_or_404(db_session(), visible_users(current_user).where(User.id == user_id), "User")


@blp.route("")
class Users(MethodView):
    @blp.auth_required()
    @blp.arguments(UserQuerySchema, location="query", as_kwargs=True)
    @blp.paginate_keyset(UserSchema, order=[(User.username, False), (User.id, False)])
    def get(self, **filters: Any) -> Any:
        """List users: administrators all, coordinators their Pokja's, anyone else themselves."""
        stmt = visible_users(current_user)
        for name, value in filters.items():
            stmt = stmt.where(getattr(User, name) == value)
        return stmt

    @blp.auth_required(may_manage_pokjas)
    @blp.arguments(
        UserSchema,
        example={
            "username": "tni",
            "display_name": "Kapten Inf. Andi Saputra",
            "password": "s3cret-pass",
            "role": "liaison",
            "agency_id": "4f6b1c1e-3a57-4f0e-9d41-8c2d7d0c7a10",
        },
    )
    @blp.response(201, UserSchema, headers=ETAG_HEADER)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data: dict[str, Any]) -> Any:
        """Create a user (administrators; coordinators in their own Pokja)."""
        user = create_user(db_session(), current_user, data)
        db_session().commit()
        return user, 201, {"ETag": etag_of(user)}


@blp.route("/<uuid:user_id>")
class UserById(MethodView):
    @blp.auth_required()
    @blp.response(200, UserSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, user_id: uuid.UUID) -> Any:
        """Read a user."""
        user = _get(user_id)
        return user, 200, {"ETag": etag_of(user)}

    @blp.auth_required()
    @blp.if_match_required
    @blp.arguments(UserUpdateSchema)
    @blp.response(200, UserSchema, headers=ETAG_HEADER)
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, response="NOT_FOUND")
    def patch(self, changes: dict[str, Any], user_id: uuid.UUID) -> Any:
        """Change a user; `active: false` deactivates them and revokes their tokens at once.

        Everyone may change their own display name and password; nobody their own role.
        """
        user = _get(user_id)
        check_if_match(user)
        update_user(db_session(), current_user, user, changes)
        db_session().commit()
        return user, 200, {"ETag": etag_of(user)}
