"""Handoffs (pelimpahan) between agencies, and shares (tembusan) of a case."""

from __future__ import annotations

from pokja.api.base import Blueprint

blp = Blueprint(
    "handoffs",
    __name__,
    url_prefix="/api/v1",
    description="Handoffs of authority between agencies, and shares of cases",
)
