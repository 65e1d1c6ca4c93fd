"""Authority rules: which agency kinds may hold a case, per subject type and category."""

from __future__ import annotations

from pokja.api.base import Blueprint

blp = Blueprint(
    "authority-rules",
    __name__,
    url_prefix="/api/v1/authority-rules",
    description="The Pokja's authority rules (DESIGN §4)",
)
