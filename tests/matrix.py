"""Building blocks of the authorization matrix (tests/test_authz_matrix.py).

Each feature keeps its rows in a module of its own named ``tests/matrix_rows_<feature>.py``
that defines ``ROWS: list[Row]``; the matrix test collects every such module. A row names a
route, how to build a request to it against the ``world`` fixture, and the status each caller
must get.

Callers: ``anon`` (no token), ``admin``, ``coord`` (the Pokja's coordinator), ``sec``
(secretary), ``viewer``, ``other`` (the second Pokja's coordinator: the first Pokja's objects
are 404 for them) and a liaison of each of the six agencies (``bawaslu``, ``bkdpsdm``,
``inspektorat``, ``kejari``, ``tni``, ``polri``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.conftest import World

LIAISONS = ("bawaslu", "bkdpsdm", "inspektorat", "kejari", "tni", "polri")
CALLERS = ("anon", "admin", "coord", "sec", "viewer", "other", *LIAISONS)


def caller_user(world: World, caller: str):
    fixed = {
        "anon": None,
        "admin": world.admin,
        "coord": world.coordinator,
        "sec": world.secretary,
        "viewer": world.viewer,
        "other": world.other_coordinator,
    }
    if caller in fixed:
        return fixed[caller]
    return world.liaisons[caller.upper()]


@dataclass
class Call:
    method: str
    url: str
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    # Set when the request must carry a token other than the caller's access token.
    authenticated: bool = True


# build(world, client, headers_for, caller) -> Call; it may set up data (a case, a handoff).
Builder = Callable[[World, Any, Any, str], Call]


@dataclass
class Row:
    method: str
    rule: str
    build: Builder
    expected: dict[str, int]


def expect(
    anon: int,
    admin: int,
    coord: int,
    sec: int,
    viewer: int,
    other: int,
    liaison: int,
    **per_liaison: int,
) -> dict[str, int]:
    """Expected statuses; ``liaison`` applies to each agency's liaison unless named apart."""
    unknown = set(per_liaison) - set(LIAISONS)
    assert not unknown, f"unknown callers {unknown}"
    statuses = {
        "anon": anon,
        "admin": admin,
        "coord": coord,
        "sec": sec,
        "viewer": viewer,
        "other": other,
    }
    statuses.update({name: per_liaison.get(name, liaison) for name in LIAISONS})
    return statuses


def etag(client: Any, headers_for: Any, world: World, url: str) -> dict[str, str]:
    """The current ETag, read as the coordinator, for PATCH rows."""
    response = client.get(url, headers=headers_for(world.coordinator))
    assert response.status_code == 200, response.get_data(as_text=True)
    return {"If-Match": response.headers["ETag"]}


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"
