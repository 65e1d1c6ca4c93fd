"""The current instant, in one place, so that tests can freeze it (``monkeypatch.setattr(
pokja.time.clock, "now", ...)``) and check exactly when a deadline turns overdue.

Domain code that derives state from the time (overdue, days left, on time) calls
:func:`now` through the module (``clock.now()``), never a copy imported by name.
"""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current instant, time-zone aware (UTC)."""
    return datetime.now(UTC)
