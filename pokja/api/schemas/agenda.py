"""Schemas of a meeting's agenda and minutes documents (DESIGN §7)."""

from __future__ import annotations

from marshmallow import fields

from pokja.api.base import Schema
from pokja.meetings.render.dates import LANGUAGES
from pokja.meetings.render.documents import AGENDA_FORMATS, MINUTES_FORMATS


class DocumentQuerySchema(Schema):
    format = fields.String(
        metadata={
            "description": "The document's format (instead of `Accept`): "
            + ", ".join(f"`{name}`" for name in AGENDA_FORMATS)
            + "; the minutes come in "
            + ", ".join(f"`{name}`" for name in MINUTES_FORMATS)
            + ". Another is a 406."
        }
    )
    lang = fields.String(
        metadata={
            "enum": list(LANGUAGES),
            "description": "Language of the human formats (default: `Accept-Language`, then "
            "the Pokja's locale)",
        }
    )


class IcsQuerySchema(Schema):
    lang = fields.String(metadata={"enum": list(LANGUAGES)})


class AgencyNameSchema(Schema):
    kind = fields.String()
    name = fields.String()


class DocumentInvitationSchema(Schema):
    agency_id = fields.UUID()
    attendance = fields.String(allow_none=True, metadata={"enum": ["present", "absent", "excused"]})
    attendees = fields.List(fields.Dict())


class MeetingHeadSchema(Schema):
    id = fields.UUID()
    pokja = fields.Dict()
    timezone = fields.String()
    title = fields.String()
    status = fields.String()
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    place = fields.String(allow_none=True)
    online_url = fields.String(allow_none=True)
    sequence = fields.Integer()
    cancel_reason = fields.String(allow_none=True)
    invited = fields.List(fields.Nested(DocumentInvitationSchema))


class SectionSchema(Schema):
    key = fields.String(
        metadata={
            "enum": [
                "new_cases",
                "handoffs",
                "recommendations",
                "open_decisions",
                "deadlines",
                "statistics",
                "manual_items",
            ]
        }
    )
    number = fields.Integer()
    items = fields.List(
        fields.Dict(),
        metadata={
            "description": "Each names its `object` (case, handoff, recommendation, decision, "
            "deadline, agenda_item) by `id` and `case_id`, says `why` it is listed, and carries "
            "its `case` in full or as a redacted summary (`redacted`); free `text` only with "
            "the full case"
        },
    )
    figures = fields.Dict(metadata={"description": "Section 6 only: the statistics"})


class WindowSchema(Schema):
    starts_at = fields.AwareDateTime()
    since = fields.AwareDateTime()
    since_meeting_id = fields.UUID(allow_none=True)
    until = fields.AwareDateTime()
    until_meeting_id = fields.UUID(allow_none=True)


class AgendaSchema(Schema):
    meeting = fields.Nested(MeetingHeadSchema)
    frozen = fields.Boolean(metadata={"description": "false: generated now (a draft meeting)"})
    frozen_at = fields.AwareDateTime(allow_none=True)
    generated_at = fields.AwareDateTime()
    window = fields.Nested(WindowSchema)
    agencies = fields.Dict(keys=fields.UUID(), values=fields.Nested(AgencyNameSchema))
    sections = fields.List(fields.Nested(SectionSchema))


class DecisionLineSchema(Schema):
    id = fields.UUID()
    text = fields.String(allow_none=True)
    redacted = fields.Boolean()
    owner_agency_id = fields.UUID()
    due_on = fields.Date()
    status = fields.String()
    done_at = fields.AwareDateTime(allow_none=True)
    case_id = fields.UUID(allow_none=True)
    register_number = fields.String(allow_none=True)


class DocumentChainHeadSchema(Schema):
    seq = fields.Integer(allow_none=True)
    hash = fields.String(allow_none=True)


class MinutesDocumentSchema(Schema):
    meeting = fields.Nested(MeetingHeadSchema)
    agencies = fields.Dict(keys=fields.UUID(), values=fields.Nested(AgencyNameSchema))
    closed_at = fields.AwareDateTime(allow_none=True)
    minutes = fields.String()
    sections = fields.List(fields.Nested(SectionSchema))
    decisions = fields.List(fields.Nested(DecisionLineSchema))
    chain_head = fields.Nested(DocumentChainHeadSchema)
