"""Schemas for the dashboards' service tokens."""

from marshmallow import fields

from pokja.api.base import Schema
from pokja.api.schemas.fields import bounded_string


class ServiceTokenSchema(Schema):
    id = fields.UUID(dump_only=True)
    pokja_id = fields.UUID(dump_only=True)
    name = bounded_string(
        100,
        min_length=1,
        required=True,
        metadata={"description": "What the token is for", "example": "Dasbor Bawaslu Provinsi"},
    )
    expires_at = fields.AwareDateTime(
        allow_none=True,
        metadata={"description": "When the token stops working (never when absent or null)"},
    )
    created_by_id = fields.UUID(dump_only=True, allow_none=True)
    created_at = fields.AwareDateTime(dump_only=True)
    revoked_at = fields.AwareDateTime(
        dump_only=True, allow_none=True, metadata={"description": "Set once revoked"}
    )
    last_used_at = fields.AwareDateTime(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Last request made with it (to the minute)"},
    )


class ServiceTokenWithSecretSchema(ServiceTokenSchema):
    token = fields.String(
        dump_only=True,
        metadata={
            "description": "The token, shown only in this response: send it as "
            "`Authorization: Bearer <token>`",
            "example": "pst_Jx0nH2q0Xv1sS3d0m1vEo7iQ0cQ3bVb8r2mJ9yq1Zt4",
        },
    )
