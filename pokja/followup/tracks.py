"""Which sanction track and level a violation type usually leads to (DESIGN §6).

Published readings of the 2022 joint decree (SKB) on ASN neutrality disagree, so this is a
table a Pokja's coordinator edits: the defaults below, with the Pokja's overrides (stored in
``Pokja.violation_tracks`` as ``{code: {"track": ..., "level": ...}}``) laid over them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from pokja.directory.labels import VIOLATION_TRACK_LABELS
from pokja.errors import RuleViolation
from pokja.followup.sanctions import SANCTION_LEVELS
from pokja.models import VIOLATION_TYPES

TRACKS = tuple(VIOLATION_TRACK_LABELS)


def _row(track: str, level: str) -> Mapping[str, str]:
    return MappingProxyType({"track": track, "level": level})


# The SKB's reading most Pokjas start from: ethics breaches (social media, attending, posing)
# lead to a moral sanction under PP 42/2004; active partisanship to discipline under PP 94/2021;
# party membership to dismissal (UU 20/2023 art. 52(3)(j)).
DEFAULT_TRACKS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "campaigning": _row("discipline", "severe"),
        "campaign_attributes": _row("discipline", "moderate"),
        "mobilising_staff": _row("discipline", "moderate"),
        "state_facilities": _row("discipline", "severe"),
        "partisan_decision": _row("discipline", "severe"),
        "partisan_activity": _row("discipline", "moderate"),
        "id_card_support": _row("discipline", "moderate"),
        "banners_posters": _row("ethics", "moral"),
        "social_media": _row("ethics", "moral"),
        "partisan_gesture_photo": _row("ethics", "moral"),
        "declaration_attendance": _row("ethics", "moral"),
        "party_membership": _row("dismissal", "severe"),
        "campaign_consultant": _row("discipline", "severe"),
        "other": _row("ethics", "moral"),
    }
)
assert set(DEFAULT_TRACKS) == set(VIOLATION_TYPES)  # noqa: S101 - every type has a default


class InvalidViolationTrack(RuleViolation):
    code = "invalid_violation_track"
    title = "Invalid violation track"


def validate_tracks(overrides: Any) -> dict[str, dict[str, str]]:
    """Check a whole override table; every problem is reported at once, keyed by
    ``violation_tracks.<code>[.field]``."""
    if not isinstance(overrides, Mapping):
        raise InvalidViolationTrack(
            "Invalid violation tracks", errors={"violation_tracks": ["Must be an object."]}
        )
    errors: dict[str, list[str]] = {}
    result: dict[str, dict[str, str]] = {}
    for code, row in overrides.items():
        path = f"violation_tracks.{code}"
        if code not in VIOLATION_TYPES:
            allowed = ", ".join(VIOLATION_TYPES)
            errors[path] = [f"Unknown violation type; expected one of {allowed}."]
            continue
        if not isinstance(row, Mapping) or set(row) != {"track", "level"}:
            errors[path] = ["Must be an object with exactly track and level."]
            continue
        if row["track"] not in TRACKS:
            errors[f"{path}.track"] = [f"Unknown track; expected one of {', '.join(TRACKS)}."]
        if row["level"] not in SANCTION_LEVELS:
            errors[f"{path}.level"] = [
                f"Unknown level; expected one of {', '.join(SANCTION_LEVELS)}."
            ]
        result[code] = {"track": row["track"], "level": row["level"]}
    if errors:
        summary = "; ".join(f"{p}: {' '.join(m)}" for p, m in sorted(errors.items()))
        raise InvalidViolationTrack(f"Invalid violation tracks ({summary})", errors=errors)
    return result


def violation_tracks(overrides: Mapping[str, Any] | None = None) -> dict[str, dict[str, str]]:
    """The whole table: defaults with a Pokja's ``overrides`` laid over them."""
    table = {code: dict(row) for code, row in DEFAULT_TRACKS.items()}
    table.update(validate_tracks(overrides or {}))
    return table
