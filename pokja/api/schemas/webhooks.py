"""Schemas for webhook subscriptions and their deliveries."""

import marshmallow as ma
from marshmallow import fields, validate

from pokja.api.base import Schema
from pokja.models import OUTBOX_STATUSES, WEBHOOK_EVENT_TYPES

_url = fields.Url(
    schemes={"http", "https"},
    require_tld=False,
    validate=validate.Length(max=2000),
    metadata={
        "description": "Where notifications are POSTed (http or https)",
        "example": "https://simpeg.bengkuluselatankab.go.id/hooks/pokja",
    },
)
_events = fields.List(
    fields.String(validate=validate.OneOf(WEBHOOK_EVENT_TYPES)),
    validate=validate.Length(min=1),
    metadata={
        "description": "The event types to send: " + ", ".join(WEBHOOK_EVENT_TYPES),
        "example": ["handoff.received", "deadline.approaching", "deadline.passed"],
    },
)
_description = fields.String(
    validate=validate.Length(max=200), metadata={"example": "SIMPEG BKPSDM inbox"}
)


class WebhookSchema(Schema):
    id = fields.UUID(dump_only=True)
    pokja_id = fields.UUID(dump_only=True)
    agency_id = fields.UUID(
        metadata={
            "description": "The agency notified; a liaison's own agency by default. Only a "
            "coordinator names another agency of the Pokja."
        }
    )
    url = _url
    events = _events
    description = _description
    active = fields.Boolean(metadata={"description": "false pauses the subscription"})
    secret_hint = fields.String(
        dump_only=True,
        metadata={
            "description": "The secret's first and last characters, to tell secrets apart",
            "example": "whsec_…x7Qa",
        },
    )
    created_by_id = fields.UUID(dump_only=True, allow_none=True)
    version = fields.Integer(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


class WebhookCreateSchema(WebhookSchema):
    url = fields.Url(
        required=True,
        schemes={"http", "https"},
        require_tld=False,
        validate=validate.Length(max=2000),
        metadata=_url.metadata,
    )
    events = fields.List(
        fields.String(validate=validate.OneOf(WEBHOOK_EVENT_TYPES)),
        required=True,
        validate=validate.Length(min=1),
        metadata=_events.metadata,
    )


class WebhookWithSecretSchema(WebhookSchema):
    secret = fields.String(
        dump_only=True,
        metadata={
            "description": "The signing secret, shown only in this response: store it now",
            "example": "whsec_3q2+7w6b0hH4r4yRz1m2PpW9aXcVbN8kLs5tQe1uYi0",
        },
    )


class WebhookUpdateSchema(Schema):
    url = _url
    events = _events
    description = _description
    active = fields.Boolean(metadata={"description": "false pauses the subscription"})


class WebhookQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE  # the page arguments are read by the paginator

    agency_id = fields.UUID(metadata={"description": "Only this agency's subscriptions"})
    active = fields.Boolean()


class DeliverySchema(Schema):
    id = fields.UUID(
        dump_only=True,
        metadata={"description": "The delivery id, sent as X-Pokja-Delivery on every attempt"},
    )
    subscription_id = fields.UUID(dump_only=True)
    agency_id = fields.UUID(dump_only=True)
    event_type = fields.String(dump_only=True, metadata={"example": "handoff.received"})
    payload = fields.Dict(dump_only=True, metadata={"description": "The notification's `data`"})
    status = fields.String(
        dump_only=True,
        metadata={"description": "pending, delivered or dead", "enum": list(OUTBOX_STATUSES)},
    )
    attempts = fields.Integer(dump_only=True)
    next_attempt_at = fields.AwareDateTime(
        dump_only=True, allow_none=True, metadata={"description": "Null unless pending"}
    )
    last_attempt_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    last_status_code = fields.Integer(dump_only=True, allow_none=True)
    last_error = fields.String(
        dump_only=True, allow_none=True, metadata={"example": "HTTP 503: Service Unavailable"}
    )
    delivered_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    created_at = fields.AwareDateTime(dump_only=True)


class DeliveryQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    status = fields.String(validate=validate.OneOf(OUTBOX_STATUSES))
