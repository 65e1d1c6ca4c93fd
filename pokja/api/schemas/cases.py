"""Schemas for cases and their authority block (DESIGN §3-§5).

Input schemas reject unknown fields (the base ``Schema``); every string is held to its column's
length so that PostgreSQL never sees a value it would refuse.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from pokja.api.base import Schema
from pokja.api.problems import ProblemSchema
from pokja.api.schemas.authority import AuthoritySchema
from pokja.api.schemas.deadlines import CaseDeadlineSchema
from pokja.api.schemas.fields import TEXT_MAX, bounded_string, one_of
from pokja.api.schemas.subjects import SubjectSchema
from pokja.models import (
    AGENCY_KINDS,
    CASE_CATEGORIES,
    CASE_SOURCES,
    DISMISSAL_REASONS,
    ELECTION_KINDS,
    EXTERNAL_SYSTEMS,
    STAGES,
    SUBJECT_TYPES,
    VIOLATION_TYPES,
)


def election_kind_of(election: str) -> str | None:
    """The kind an election code names (``pilkada-2024`` → ``pilkada``), or None."""
    named = [kind for kind in ELECTION_KINDS if kind in election.split("-")]
    return named[0] if len(named) == 1 else None


def _check_election(data: dict[str, Any]) -> None:
    """Derive ``election_kind`` from ``election`` when it is not given; refuse a contradiction
    (the kind sets the legal clocks, DESIGN §6, so a wrong one would be worse than none)."""
    if "election" not in data:
        return
    derived = election_kind_of(data["election"])
    given = data.get("election_kind")
    if given is None and derived is None:
        raise ma.ValidationError(
            "Give election_kind: the election code names neither pemilu nor pilkada.",
            "election_kind",
        )
    if given is not None and derived is not None and given != derived:
        raise ma.ValidationError(f"The election {data['election']!r} is a {derived}.", "election")
    data["election_kind"] = given or derived


def _election(**kwargs: Any) -> fields.String:
    return fields.String(
        validate=validate.Regexp(
            r"^[a-z0-9][a-z0-9-]{1,39}$", error="Lower-case letters, digits and '-' (2-40)."
        ),
        metadata={"description": "Election code, e.g. `pemilu-2024`, `pilkada-2024`"},
        **kwargs,
    )


def _election_kind() -> fields.String:
    return one_of(
        ELECTION_KINDS,
        metadata={"description": "Derived from `election` when it names pemilu or pilkada"},
    )


def _violation_types(**kwargs: Any) -> fields.List:
    return fields.List(
        one_of(VIOLATION_TYPES),
        validate=validate.Length(min=1, max=len(VIOLATION_TYPES)),
        metadata={"description": "Violation type codes (DESIGN §6)"},
        **kwargs,
    )


class LocationSchema(Schema):
    kecamatan = bounded_string(100, allow_none=True, metadata={"example": "Manna"})
    desa = bounded_string(
        100,
        allow_none=True,
        metadata={"description": "Desa/kelurahan; absent when redacted", "example": "Pasar Baru"},
    )


class ReporterSchema(Schema):
    """The reporter (pelapor): a name and contact, or anonymous."""

    name = bounded_string(200, min_length=1, allow_none=True, metadata={"example": "Siti Aminah"})
    contact = bounded_string(200, allow_none=True, metadata={"example": "0812-0000-0000"})
    anonymous = fields.Boolean(load_default=False)

    @ma.validates_schema
    def _named_or_anonymous(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("anonymous") and data.get("name"):
            raise ma.ValidationError("An anonymous report names no reporter.", "name")
        if not data.get("anonymous") and not data.get("name"):
            raise ma.ValidationError("Name the reporter or set anonymous: true.", "name")


class ExternalRefSchema(Schema):
    system = one_of(EXTERNAL_SYSTEMS, required=True, metadata={"example": "SIGAPLAPOR"})
    reference = bounded_string(
        100, min_length=1, required=True, metadata={"example": "LP-2024-0042"}
    )


class CaseCreateSchema(Schema):
    title = bounded_string(300, min_length=1, required=True)
    summary = bounded_string(TEXT_MAX, load_default="")
    source = one_of(CASE_SOURCES, required=True)
    category = one_of(CASE_CATEGORIES, required=True)
    election = _election(required=True)
    election_kind = _election_kind()
    occurred_on = fields.Date(allow_none=True)
    discovered_on = fields.Date(allow_none=True)
    location = fields.Nested(LocationSchema, load_default=dict)
    violation_types = _violation_types(required=True)
    subjects = fields.List(
        fields.Nested(SubjectSchema), required=True, validate=validate.Length(min=1, max=500)
    )
    reporter = fields.Nested(ReporterSchema, allow_none=True)
    external_refs = fields.List(
        fields.Nested(ExternalRefSchema), load_default=list, validate=validate.Length(max=20)
    )

    @ma.validates_schema
    def _consistent(self, data: dict[str, Any], **_: Any) -> None:
        _check_dates(data)
        refs = [(r["system"], r["reference"]) for r in data.get("external_refs") or ()]
        if len(set(refs)) != len(refs):
            raise ma.ValidationError("The same reference is given twice.", "external_refs")

    @ma.post_load
    def _to_domain(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        _check_election(data)
        data.update(data.pop("location", None) or {})
        return data


def _check_dates(data: dict[str, Any]) -> None:
    occurred, discovered = data.get("occurred_on"), data.get("discovered_on")
    if occurred and discovered and discovered < occurred:
        raise ma.ValidationError("Must not be before occurred_on.", "discovered_on")


class CaseUpdateSchema(Schema):
    """The editable fields (``pokja.cases.EDITABLE_FIELDS``); stage and holder have their own
    routes. ``location`` changes only the keys it names."""

    title = bounded_string(300, min_length=1)
    summary = bounded_string(TEXT_MAX)
    category = one_of(CASE_CATEGORIES)
    election = _election()
    election_kind = _election_kind()
    occurred_on = fields.Date(allow_none=True)
    discovered_on = fields.Date(allow_none=True)
    location = fields.Nested(LocationSchema)
    violation_types = _violation_types()

    @ma.validates_schema
    def _consistent(self, data: dict[str, Any], **_: Any) -> None:
        _check_dates(data)

    @ma.post_load
    def _to_domain(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        _check_election(data)
        data.update(data.pop("location", None) or {})
        return data


class StageChangeSchema(Schema):
    stage = one_of(STAGES, required=True, metadata={"example": "examination"})
    note = bounded_string(
        TEXT_MAX, allow_none=True, metadata={"description": "Why, for the history"}
    )
    dismissal_reason = one_of(
        DISMISSAL_REASONS,
        allow_none=True,
        metadata={"description": "Required when the stage is `dismissed`"},
    )


class CaseQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    stage = one_of(STAGES)
    holder_id = fields.UUID(metadata={"description": "The holding agency"})
    holder_kind = one_of(AGENCY_KINDS, metadata={"description": "The holding agency's kind"})
    category = one_of(CASE_CATEGORIES)
    subject_type = one_of(SUBJECT_TYPES, metadata={"description": "Has a subject of this type"})
    violation_type = one_of(VIOLATION_TYPES)
    election = bounded_string(40, min_length=1)
    registered_from = fields.Date(
        metadata={"description": "Registered on or after this day (the Pokja's time zone)"}
    )
    registered_to = fields.Date(
        metadata={"description": "Registered on or before this day (the Pokja's time zone)"}
    )
    q = bounded_string(
        200,
        min_length=1,
        metadata={
            "description": "Text search: register number on every case; title, summary and "
            "subjects' names and identifiers only on the cases you see in full"
        },
    )
    pending_handoff = fields.Boolean(metadata={"description": "Has (or has no) pending handoff"})
    source = one_of(CASE_SOURCES)
    kecamatan = bounded_string(
        100, metadata={"description": "In this kecamatan; empty: no kecamatan recorded"}
    )
    external_ref = bounded_string(
        100,
        min_length=1,
        metadata={"description": "Carries this external reference (cases you see in full)"},
    )


class CaseSchema(Schema):
    """A case in full, or redacted (DESIGN §5): then only register number, stage, holder,
    category, dates, kecamatan and the authority block; no names, identifiers or text."""

    id = fields.UUID()
    register_number = fields.String(metadata={"example": "002/LP/PL/Kab/17.01/III/2024"})
    redacted = fields.Boolean(metadata={"description": "true: the caller sees a summary only"})
    stage = fields.String(metadata={"enum": list(STAGES)})
    dismissal_reason = fields.String(allow_none=True, metadata={"enum": list(DISMISSAL_REASONS)})
    source = fields.String(metadata={"enum": list(CASE_SOURCES)})
    category = fields.String(metadata={"enum": list(CASE_CATEGORIES)})
    election = fields.String()
    election_kind = fields.String(metadata={"enum": list(ELECTION_KINDS)})
    occurred_on = fields.Date(allow_none=True)
    discovered_on = fields.Date(allow_none=True)
    registered_at = fields.AwareDateTime()
    location = fields.Nested(LocationSchema)
    title = fields.String(metadata={"description": "Absent when redacted"})
    summary = fields.String(metadata={"description": "Absent when redacted"})
    violation_types = fields.List(fields.String(), metadata={"description": "Absent when redacted"})
    subjects = fields.List(
        fields.Nested(SubjectSchema), metadata={"description": "Absent when redacted"}
    )
    reporter = fields.Nested(
        ReporterSchema,
        allow_none=True,
        metadata={
            "description": "Only in a case's own representation (not in lists), and only for "
            "Bawaslu liaisons and coordinators"
        },
    )
    external_refs = fields.List(
        fields.Nested(ExternalRefSchema), metadata={"description": "Absent when redacted"}
    )
    version = fields.Integer()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    authority = fields.Nested(AuthoritySchema)
    deadlines = fields.List(
        fields.Nested(CaseDeadlineSchema),
        metadata={"description": "The case's clocks, derived at read time (DESIGN §6)"},
    )


class TransitionProblemSchema(ProblemSchema):
    allowed = fields.List(
        fields.String(), metadata={"description": "The stages the case may move to from here"}
    )


class DuplicateRefProblemSchema(ProblemSchema):
    case_id = fields.UUID(metadata={"description": "The case that carries the reference"})
