"""Authorization matrix rows for the statistics and the action-needed view: every statistic
counts what its caller may list (nothing for an administrator, the own Pokja's for the other
Pokja's coordinator), so every signed-in caller gets an answer."""

from __future__ import annotations

from tests.matrix import Call, Row, expect

EVERYONE = expect(anon=401, admin=200, coord=200, sec=200, viewer=200, other=200, liaison=200)


def _get(url: str):
    return lambda w, c, h, u: Call("GET", url)


ROWS = [
    Row("GET", "/api/v1/stats/cases", _get("/api/v1/stats/cases?group_by=stage"), EVERYONE),
    Row("GET", "/api/v1/stats/handoffs", _get("/api/v1/stats/handoffs"), EVERYONE),
    Row("GET", "/api/v1/stats/recommendations", _get("/api/v1/stats/recommendations"), EVERYONE),
]

ROWS.append(
    Row(
        "GET",
        "/api/v1/action-needed",
        _get("/api/v1/action-needed"),
        # Admins and viewers act for no agency; the other Pokja's coordinator sees its own.
        expect(anon=401, admin=403, coord=200, sec=200, viewer=403, other=200, liaison=200),
    )
)
