"""Schemas for a Pokja's calendar and deadline settings, and for the code lists."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from pokja.api.base import Schema
from pokja.followup.sanctions import SANCTION_LEVELS
from pokja.followup.tracks import TRACKS
from pokja.models import VIOLATION_TYPES
from pokja.models.settings import DAY_UNITS, POKJA_DAY_KINDS
from pokja.time.catalogue import Clock, ElectionKind

CLOCK_CODES = [str(c) for c in Clock]
KIND_CODES = [str(k) for k in ElectionKind]


class DeclaredDaySchema(Schema):
    day = fields.Date(required=True, metadata={"example": "2024-02-14"})
    kind = fields.String(
        required=True,
        validate=validate.OneOf(POKJA_DAY_KINDS),
        metadata={"description": "off: cuti bersama, election day; working: a holiday worked"},
    )
    note = fields.String(
        load_default="",
        validate=validate.Length(max=200),
        metadata={"example": "Hari pemungutan suara"},
    )


class PublicHolidaySchema(Schema):
    day = fields.Date()
    name = fields.String(allow_none=True)


class CalendarSchema(Schema):
    time_zone = fields.String(dump_only=True)
    days = fields.List(
        fields.Nested(DeclaredDaySchema),
        required=True,
        validate=validate.Length(max=1000),
        metadata={"description": "The days the Pokja declares off or working, by date"},
    )
    public_holidays = fields.List(
        fields.Nested(PublicHolidaySchema),
        dump_only=True,
        metadata={"description": "Indonesia's public holidays of the requested `year`"},
    )
    version = fields.Integer(dump_only=True)


class CalendarQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    year = fields.Integer(
        validate=validate.Range(min=2000, max=2100),
        metadata={"description": "Also list Indonesia's public holidays of this year"},
    )


class ClockLengthSchema(Schema):
    length = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=366))
    unit = fields.String(required=True, validate=validate.OneOf(DAY_UNITS))


class ClockSettingSchema(Schema):
    length = fields.Integer()
    unit = fields.String(metadata={"enum": list(DAY_UNITS)})
    follows = fields.String(allow_none=True, metadata={"enum": CLOCK_CODES})
    default = fields.Boolean(metadata={"description": "false: the Pokja overrides the default"})


class ClockSettingsSchema(Schema):
    label_id = fields.String()
    label_en = fields.String()
    starts_from = fields.String()
    pemilu = fields.Nested(ClockSettingSchema)
    pilkada = fields.Nested(ClockSettingSchema)


class TrackSchema(Schema):
    track = fields.String(required=True, validate=validate.OneOf(TRACKS))
    level = fields.String(required=True, validate=validate.OneOf(list(SANCTION_LEVELS)))


class TrackSettingSchema(TrackSchema):
    default = fields.Boolean(dump_only=True)


class SettingsSchema(Schema):
    clocks = fields.Dict(
        keys=fields.String(metadata={"enum": CLOCK_CODES}),
        values=fields.Nested(ClockSettingsSchema),
    )
    register_format = fields.String(
        allow_none=True, metadata={"description": "null: Bawaslu's own register number form"}
    )
    violation_tracks = fields.Dict(
        keys=fields.String(metadata={"enum": list(VIOLATION_TYPES)}),
        values=fields.Nested(TrackSettingSchema),
    )
    version = fields.Integer()


class SettingsPatchSchema(Schema):
    """A JSON merge-patch: give only what changes; `null` restores the default."""

    clocks = fields.Dict(
        keys=fields.String(validate=validate.OneOf(CLOCK_CODES)),
        values=fields.Dict(
            keys=fields.String(validate=validate.OneOf(KIND_CODES)),
            values=fields.Nested(ClockLengthSchema, allow_none=True),
            allow_none=True,
        ),
        metadata={"example": {"decision": {"pilkada": {"length": 5, "unit": "calendar"}}}},
    )
    register_format = fields.String(allow_none=True, validate=validate.Length(min=1, max=200))
    violation_tracks = fields.Dict(
        keys=fields.String(validate=validate.OneOf(list(VIOLATION_TYPES))),
        values=fields.Nested(TrackSchema, allow_none=True),
        metadata={"example": {"social_media": {"track": "discipline", "level": "light"}}},
    )
