"""Schemas for Pokjas and agencies."""

import marshmallow as ma
from marshmallow import fields, validate

from pokja.api.base import Schema
from pokja.models import AGENCY_KINDS, POKJA_LEVELS, POKJA_TIMEZONES

_name = validate.Length(min=1, max=200)


class PokjaSchema(Schema):
    id = fields.UUID(dump_only=True)
    name = fields.String(
        required=True,
        validate=_name,
        metadata={"example": "Pokja Netralitas ASN, TNI dan Polri Kabupaten Bengkulu Selatan"},
    )
    region_code = fields.String(
        required=True,
        validate=validate.Length(min=1, max=32),
        metadata={
            "description": "Opaque region code (Bawaslu's or the Home Ministry's)",
            "example": "17.01",
        },
    )
    region_name = fields.String(
        required=True, validate=_name, metadata={"example": "Kabupaten Bengkulu Selatan"}
    )
    level = fields.String(
        required=True, validate=validate.OneOf(POKJA_LEVELS), metadata={"example": "kabupaten"}
    )
    timezone = fields.String(
        load_default="Asia/Jakarta",
        validate=validate.OneOf(POKJA_TIMEZONES),
        metadata={"description": "IANA zone in which deadlines and dates are computed"},
    )
    locale = fields.String(load_default="id", validate=validate.OneOf(("id", "en")))
    active = fields.Boolean(dump_only=True)
    version = fields.Integer(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


class PokjaUpdateSchema(Schema):
    name = fields.String(validate=_name)
    region_code = fields.String(validate=validate.Length(min=1, max=32))
    region_name = fields.String(validate=_name)
    level = fields.String(validate=validate.OneOf(POKJA_LEVELS))
    timezone = fields.String(validate=validate.OneOf(POKJA_TIMEZONES))
    locale = fields.String(validate=validate.OneOf(("id", "en")))
    active = fields.Boolean(metadata={"description": "false deactivates the Pokja (admin only)"})


class AgencySchema(Schema):
    id = fields.UUID(dump_only=True)
    pokja_id = fields.UUID(
        metadata={
            "description": "Required when an admin creates an agency; a coordinator's "
            "agencies always belong to its own Pokja"
        },
    )
    kind = fields.String(
        required=True,
        validate=validate.OneOf(AGENCY_KINDS),
        metadata={
            "description": "One of the six member agencies or an outside authority",
            "example": "TNI",
        },
    )
    name = fields.String(
        required=True, validate=_name, metadata={"example": "Kodim 0408/Bengkulu Selatan"}
    )
    valid_from = fields.Date(allow_none=True)
    valid_to = fields.Date(allow_none=True)
    is_member = fields.Boolean(dump_only=True)
    active = fields.Boolean(dump_only=True)
    version = fields.Integer(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)

    @ma.validates_schema
    def _dates_in_order(self, data: dict, **_: object) -> None:
        if (
            data.get("valid_from")
            and data.get("valid_to")
            and data["valid_to"] < data["valid_from"]
        ):
            raise ma.ValidationError("must not be before valid_from", "valid_to")


class AgencyUpdateSchema(Schema):
    name = fields.String(validate=_name)
    valid_from = fields.Date(allow_none=True)
    valid_to = fields.Date(allow_none=True)
    active = fields.Boolean()


class AgencyQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    pokja_id = fields.UUID(metadata={"description": "Admins: only this Pokja's agencies"})
    kind = fields.String(validate=validate.OneOf(AGENCY_KINDS))
