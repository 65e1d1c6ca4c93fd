"""A Pokja's deadline settings (DESIGN §6): its declared days, clock lengths, register format
and violation-track table, read and changed by its coordinator.

A change applies to deadlines started afterwards, never to past records: each deadline is
stored when its clock starts (a handoff's ``due_on``, a clock extension's ``due_at``), so
nothing already running moves. Every change is an event, and bumps the Pokja's version, which
is the ETag of its calendar and of its settings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import holidays
import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.access.roles import manages_pokja
from pokja.audit import events
from pokja.cases import register
from pokja.errors import NotPermitted, RuleViolation
from pokja.followup.tracks import DEFAULT_TRACKS, validate_tracks, violation_tracks
from pokja.models import Pokja, PokjaDay, User
from pokja.time import clock
from pokja.time.calendar import indonesian_public_holidays
from pokja.time.catalogue import (
    CLOCKS,
    Clock,
    ElectionKind,
    InvalidClockSetting,
    clock_settings,
    validate_overrides,
)
from pokja.time.settings import forget_calendar


def declared_days(session: Session, pokja: Pokja) -> list[PokjaDay]:
    return list(
        session.scalars(
            sa.select(PokjaDay).where(PokjaDay.pokja_id == pokja.id).order_by(PokjaDay.day)
        )
    )


def public_holidays(year: int) -> list[dict[str, Any]]:
    """Indonesia's public holidays of ``year`` with their names, from the ``holidays`` package."""
    names = holidays.country_holidays("ID", years=year)
    return [
        {"day": day, "name": names.get(day)} for day in sorted(indonesian_public_holidays(year))
    ]


def _require_manager(actor: User, pokja: Pokja) -> None:
    if not manages_pokja(actor, pokja.id):
        raise NotPermitted("Only an administrator or the Pokja's coordinator changes its settings.")


def _touch(pokja: Pokja) -> None:
    # Bumps the version (version_id_col): the ETag of the calendar and the settings, and the
    # guard against two coordinators replacing the days at once.
    pokja.updated_at = clock.now()


def _day_rows(days: Iterable[PokjaDay]) -> list[dict[str, Any]]:
    return [{"day": d.day, "kind": d.kind, "note": d.note} for d in days]


def replace_days(
    session: Session, actor: User, pokja: Pokja, days: list[Mapping[str, Any]]
) -> list[PokjaDay]:
    """Replace the Pokja's declared days with ``days`` (each ``day``, ``kind``, ``note``)."""
    _require_manager(actor, pokja)
    seen: dict[date, int] = {}
    for i, item in enumerate(days):
        if item["day"] in seen:
            message = f"{item['day'].isoformat()} is listed twice (also at {seen[item['day']]})."
            raise RuleViolation(message, code="duplicate_day", errors={f"days.{i}.day": [message]})
        seen[item["day"]] = i
    before = declared_days(session, pokja)
    current = {d.day: d for d in before}
    before_rows = _day_rows(before)
    wanted = {item["day"]: item for item in days}
    for day, row in current.items():
        if day not in wanted:
            session.delete(row)
    for day, item in wanted.items():
        if day in current:
            row = current[day]
        else:
            row = PokjaDay(pokja_id=pokja.id, day=day, created_by_id=actor.id)
            session.add(row)
        row.kind = item["kind"]
        row.note = item.get("note") or ""
    _touch(pokja)
    session.flush()
    forget_calendar(session)
    after = declared_days(session, pokja)
    events.record(
        session,
        pokja_id=pokja.id,
        case_id=None,
        actor=actor,
        type="pokja.calendar_changed",
        data={"before": {"days": before_rows}, "after": {"days": _day_rows(after)}},
    )
    return after


def settings_view(pokja: Pokja) -> dict[str, Any]:
    """The Pokja's effective settings, each marked whether it is the default."""
    overrides = validate_overrides(pokja.clock_overrides or {})
    clocks = {
        str(code): {
            "label_id": CLOCKS[code].label_id,
            "label_en": CLOCKS[code].label_en,
            "starts_from": CLOCKS[code].starts_from,
            **{
                str(kind): {
                    "length": setting.length,
                    "unit": setting.unit,
                    "follows": setting.follows and str(setting.follows),
                    "default": kind not in overrides.get(code, {}),
                }
                for kind, setting in per_kind.items()
            },
        }
        for code, per_kind in clock_settings(pokja.clock_overrides).items()
    }
    stored_tracks = pokja.violation_tracks or {}
    tracks = {
        code: {**row, "default": code not in stored_tracks}
        for code, row in violation_tracks(stored_tracks).items()
    }
    return {
        "clocks": clocks,
        "register_format": pokja.register_format,
        "violation_tracks": tracks,
        "version": pokja.version,
    }


def _merge(stored: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """JSON merge-patch (RFC 7396) of plain objects: ``None`` removes a key."""
    merged = dict(stored)
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return {k: v for k, v in merged.items() if v != {}}


def _clock_overrides(stored: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    merged = _merge(stored, patch)
    try:
        validate_overrides(merged)
    except InvalidClockSetting as exc:
        raise InvalidClockSetting({f"clocks.{k}": v for k, v in exc.errors.items()}) from exc
    # Keep only what differs from the law's defaults, so a later change of a default in code
    # reaches every Pokja that never chose otherwise.
    result: dict[str, Any] = {}
    for code, per_kind in merged.items():
        for kind, setting in per_kind.items():
            default = CLOCKS[Clock(code)].defaults[ElectionKind(kind)]
            if (setting["length"], setting["unit"]) != (default.length, default.unit):
                result.setdefault(code, {})[kind] = dict(setting)
    return result


def _track_overrides(stored: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    merged = validate_tracks({**stored, **{k: v for k, v in patch.items() if v is not None}})
    for code, value in patch.items():
        if value is None:
            merged.pop(code, None)
    return {code: row for code, row in merged.items() if row != dict(DEFAULT_TRACKS[code])}


def update_settings(
    session: Session, actor: User, pokja: Pokja, changes: Mapping[str, Any]
) -> dict[str, Any]:
    """Apply a merge-patch of ``clocks`` / ``violation_tracks`` and set ``register_format``."""
    _require_manager(actor, pokja)
    before = {
        "clocks": pokja.clock_overrides,
        "register_format": pokja.register_format,
        "violation_tracks": pokja.violation_tracks,
    }
    if "clocks" in changes:
        pokja.clock_overrides = _clock_overrides(pokja.clock_overrides or {}, changes["clocks"])
    if "violation_tracks" in changes:
        pokja.violation_tracks = _track_overrides(
            pokja.violation_tracks or {}, changes["violation_tracks"]
        )
    if "register_format" in changes:
        fmt = changes["register_format"]
        pokja.register_format = None if fmt is None else register.validate_format(fmt)
    after = {
        "clocks": pokja.clock_overrides,
        "register_format": pokja.register_format,
        "violation_tracks": pokja.violation_tracks,
    }
    if after != before:
        _touch(pokja)
        session.flush()
        events.record(
            session,
            pokja_id=pokja.id,
            case_id=None,
            actor=actor,
            type="pokja.settings_changed",
            data={"before": before, "after": after},
        )
    return settings_view(pokja)
