"""Schemas for shares (tembusan) of a case."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from pokja.api.base import Schema
from pokja.api.schemas.fields import TEXT_LENGTH, not_blank


class ShareSchema(Schema):
    id = fields.UUID(dump_only=True)
    case_id = fields.UUID(dump_only=True)
    agency_id = fields.UUID(
        required=True, metadata={"description": "The agency of the same Pokja to read the case"}
    )
    reason = fields.String(required=True, validate=[TEXT_LENGTH, not_blank])
    active = fields.Function(
        lambda share: share.revoked_at is None, dump_only=True, metadata={"type": "boolean"}
    )
    granted_by_id = fields.UUID(dump_only=True, allow_none=True)
    granted_at = fields.AwareDateTime(dump_only=True)
    revoked_by_id = fields.UUID(dump_only=True, allow_none=True)
    revoked_at = fields.AwareDateTime(dump_only=True, allow_none=True)


class ShareQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    include_revoked = fields.Boolean(
        load_default=False, metadata={"description": "Also list revoked shares"}
    )
