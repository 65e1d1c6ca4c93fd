"""Schemas for a case's subjects (terlapor): personal data (DESIGN §5)."""

from __future__ import annotations

from marshmallow import fields

from pokja.api.base import Schema
from pokja.api.schemas.fields import bounded_string, one_of
from pokja.models import (
    SUBJECT_TYPES,
)


class SubjectSchema(Schema):
    """A subject (terlapor). Personal data (DESIGN §5)."""

    id = fields.UUID(dump_only=True)
    name = bounded_string(200, min_length=1, required=True, metadata={"example": "Budi Santoso"})
    identifier = bounded_string(
        40,
        allow_none=True,
        metadata={"description": "NIP, NRP or NIK", "example": "198001012005011001"},
    )
    subject_type = one_of(SUBJECT_TYPES, required=True, metadata={"example": "pns"})
    position = bounded_string(200, allow_none=True, metadata={"example": "Kepala Sekolah"})
    employer_unit = bounded_string(200, allow_none=True, metadata={"example": "SDN 3 Manna"})


SUBJECT_EXAMPLE = {
    "name": "Budi Santoso",
    "identifier": "198001012005011001",
    "subject_type": "pns",
    "position": "Kepala Sekolah",
    "employer_unit": "SDN 3 Manna",
}
