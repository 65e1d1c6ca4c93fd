"""Cases (dugaan pelanggaran): register, list, read, edit, move through stages."""

from __future__ import annotations

from pokja.api.base import Blueprint

blp = Blueprint(
    "cases",
    __name__,
    url_prefix="/api/v1/cases",
    description="Cases, their subjects, evidence, history and authority",
)
