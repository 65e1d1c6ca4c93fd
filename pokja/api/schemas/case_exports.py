"""Query parameters of the case-list export: the list's filters and the file's shape."""

from __future__ import annotations

from marshmallow import fields, validate

from pokja.api.schemas.cases import CaseQuerySchema


class ExportQuerySchema(CaseQuerySchema):
    format = fields.String(
        load_default="csv",
        validate=validate.OneOf(["csv", "xlsx"]),
        metadata={"description": "`csv` (streamed) or `xlsx`"},
    )
    rows = fields.String(
        load_default="cases",
        validate=validate.OneOf(["cases", "subjects"]),
        metadata={"description": "One row per case, or per subject"},
    )
    lang = fields.String(
        load_default="id",
        validate=validate.OneOf(["id", "en"]),
        metadata={"description": "Language of the headers and labels"},
    )
