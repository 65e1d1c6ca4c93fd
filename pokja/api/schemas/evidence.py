"""Schemas for a case's evidence: a link, or an uploaded file stored by its SHA-256."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import fields, validate

from pokja.api.base import Schema
from pokja.api.schemas.fields import TEXT_MAX, bounded_string, one_of
from pokja.models import (
    EVIDENCE_KINDS,
)


class EvidenceSchema(Schema):
    """Evidence as a link (JSON body) or an uploaded file (multipart/form-data)."""

    id = fields.UUID(dump_only=True)
    description = bounded_string(TEXT_MAX, min_length=1, required=True)
    kind = one_of(EVIDENCE_KINDS, required=True, metadata={"example": "screenshot"})
    url = fields.Url(
        schemes={"http", "https"},
        validate=validate.Length(max=2000),
        allow_none=True,
        metadata={
            "description": "null for an uploaded file",
            "example": "https://facebook.com/posts/123",
        },
    )
    stored = fields.Boolean(dump_only=True, metadata={"description": "An uploaded file is kept"})
    sha256 = fields.String(dump_only=True, allow_none=True)
    size_bytes = fields.Integer(dump_only=True, allow_none=True)
    added_by_id = fields.UUID(dump_only=True, allow_none=True)
    created_at = fields.AwareDateTime(dump_only=True)


class EvidenceLinkSchema(EvidenceSchema):
    url = fields.Url(
        required=True,
        schemes={"http", "https"},
        validate=validate.Length(max=2000),
        metadata={"example": "https://facebook.com/posts/123"},
    )


class EvidenceFormSchema(Schema):
    """The form fields of an upload (the file itself comes as ``file``)."""

    description = bounded_string(TEXT_MAX, min_length=1, required=True)
    kind = one_of(EVIDENCE_KINDS, required=True)


class EvidenceUploadSchema(EvidenceFormSchema):
    file = Upload(required=True, metadata={"description": "The file; stored by its SHA-256"})
