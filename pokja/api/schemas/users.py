"""Schemas for users and authentication."""

import marshmallow as ma
from marshmallow import fields, validate

from pokja.api.base import Schema
from pokja.models import ROLES

_password = validate.Length(min=8, max=256)
_username = validate.Regexp(
    r"^[a-z0-9][a-z0-9._-]{1,63}$",
    error="2-64 characters: lower-case letters, digits, '.', '_' or '-'",
)


class AgencyRefSchema(Schema):
    id = fields.UUID()
    kind = fields.String()
    name = fields.String()


class PokjaRefSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    timezone = fields.String()


class UserSchema(Schema):
    id = fields.UUID(dump_only=True)
    username = fields.String(required=True, validate=_username, metadata={"example": "bawaslu"})
    display_name = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"example": "Rina Marlina"},
    )
    password = fields.String(required=True, load_only=True, validate=_password)
    role = fields.String(
        required=True, validate=validate.OneOf(ROLES), metadata={"example": "liaison"}
    )
    pokja_id = fields.UUID(
        allow_none=True,
        metadata={"description": "Required when an admin creates a non-admin user"},
    )
    agency_id = fields.UUID(
        allow_none=True,
        metadata={"description": "Required for liaisons, secretaries and coordinators"},
    )
    active = fields.Boolean(dump_only=True)
    last_login_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    version = fields.Integer(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


class UserUpdateSchema(Schema):
    display_name = fields.String(validate=validate.Length(min=1, max=200))
    password = fields.String(load_only=True, validate=_password)
    role = fields.String(validate=validate.OneOf(ROLES))
    agency_id = fields.UUID(allow_none=True)
    active = fields.Boolean(
        metadata={"description": "false deactivates the user and revokes every token at once"}
    )


class UserQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    pokja_id = fields.UUID()
    agency_id = fields.UUID()
    role = fields.String(validate=validate.OneOf(ROLES))
    active = fields.Boolean()


class MeSchema(UserSchema):
    pokja = fields.Nested(PokjaRefSchema, allow_none=True, dump_only=True)
    agency = fields.Nested(AgencyRefSchema, allow_none=True, dump_only=True)


class LoginSchema(Schema):
    username = fields.String(
        required=True, validate=validate.Length(min=1, max=64), metadata={"example": "coordinator"}
    )
    password = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(min=1, max=256),
        metadata={"example": "pokja-demo"},
    )


class RefreshSchema(Schema):
    refresh_token = fields.String(required=True, validate=validate.Length(min=1, max=4096))


class TokenSchema(Schema):
    access_token = fields.String(required=True)
    refresh_token = fields.String(required=True)
    token_type = fields.String(required=True, metadata={"example": "Bearer"})
    expires_in = fields.Integer(
        required=True,
        metadata={"description": "Seconds until the access token expires", "example": 900},
    )
