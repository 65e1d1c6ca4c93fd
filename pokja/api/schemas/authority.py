"""Schemas of the ``authority`` block every case carries (DESIGN §4): the holder, any pending
handoff, where the case may go next and what the caller may do with it."""

from __future__ import annotations

from marshmallow import fields

from pokja.api.base import Schema
from pokja.api.schemas.users import AgencyRefSchema
from pokja.models import (
    HANDOFF_PURPOSES,
)


class PendingHandoffSchema(Schema):
    id = fields.UUID()
    from_agency = fields.Nested(AgencyRefSchema)
    to_agency = fields.Nested(AgencyRefSchema)
    purpose = fields.String(metadata={"enum": list(HANDOFF_PURPOSES)})
    created_at = fields.AwareDateTime()
    due_on = fields.Date(allow_none=True)


class PermissionsSchema(Schema):
    """The caller's own rights on the case now (``pokja.authority.permissions``)."""

    can_edit = fields.Boolean()
    can_change_stage = fields.Boolean()
    can_handoff = fields.Boolean()
    can_accept = fields.Boolean()
    can_decline = fields.Boolean()
    can_withdraw = fields.Boolean()
    can_share = fields.Boolean()
    can_view_full = fields.Boolean()
    can_view_reporter = fields.Boolean()


class AuthoritySchema(Schema):
    holder = fields.Nested(AgencyRefSchema)
    pending_handoff = fields.Nested(PendingHandoffSchema, allow_none=True)
    allowed_agencies = fields.List(
        fields.Nested(AgencyRefSchema),
        metadata={"description": "Active agencies the authority rules allow to hold it next"},
    )
    permissions = fields.Nested(PermissionsSchema)
