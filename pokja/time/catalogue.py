"""The clock catalogue of DESIGN §6: how long each step of a case may take.

The law sets different clocks for general elections (pemilu, UU 7/2017) and regional elections
(pilkada, UU 1/2015 as amended by UU 10/2016), so each clock has a default per election kind.
A Pokja may override any of them; its overrides are stored as

    {"decision": {"pilkada": {"length": 5, "unit": "calendar"}}, ...}

and :func:`clock_settings` lays them over the defaults. Lengths are counted with
:class:`pokja.time.calendar.PokjaCalendar`, where the day of the event is day 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from pokja.errors import RuleViolation
from pokja.models.settings import CLOCK_CODES
from pokja.time.calendar import UNITS, PokjaCalendar, Unit


class ElectionKind(StrEnum):
    """General election (pemilu, UU 7/2017) or regional head election (pilkada, UU 10/2016)."""

    PEMILU = "pemilu"
    PILKADA = "pilkada"


class Clock(StrEnum):
    REPORT_WINDOW = "report_window"
    INITIAL_REVIEW = "initial_review"
    DECISION = "decision"
    DECISION_EXTENSION = "decision_extension"
    CRIME_TO_POLICE = "crime_to_police"
    POLICE_TO_PROSECUTOR = "police_to_prosecutor"
    HANDOFF_ACCEPTANCE = "handoff_acceptance"
    RECOMMENDATION_FOLLOW_UP = "recommendation_follow_up"
    MILITARY_POLICE_INVESTIGATION = "military_police_investigation"


@dataclass(frozen=True, slots=True)
class ClockLength:
    """How long a clock runs. ``follows`` names the clock whose deadline is its day 0, for a
    clock that extends another rather than running from its own event."""

    length: int
    unit: Unit
    follows: Clock | None = None


@dataclass(frozen=True, slots=True)
class ClockSpec:
    """One clock: its labels, the event it runs from, and its default per election kind."""

    code: Clock
    label_id: str
    label_en: str
    starts_from: str
    defaults: Mapping[ElectionKind, ClockLength]


def _days(
    pemilu: ClockLength, pilkada: ClockLength | None = None
) -> Mapping[ElectionKind, ClockLength]:
    return MappingProxyType({ElectionKind.PEMILU: pemilu, ElectionKind.PILKADA: pilkada or pemilu})


_CATALOGUE = (
    ClockSpec(
        Clock.REPORT_WINDOW,
        "Batas waktu penyampaian laporan",
        "Deadline to report a breach",
        "the day the breach became known",
        # UU 7/2017 art. 454(6): 7 working days; UU 1/2015 art. 134(4) (UU 10/2016): 7 days.
        _days(ClockLength(7, "working"), ClockLength(7, "calendar")),
    ),
    ClockSpec(
        Clock.INITIAL_REVIEW,
        "Kajian awal laporan",
        "Bawaslu's initial review of a report",
        "the day the report was received",
        # Bawaslu's rules on handling reports (kajian awal); the same figure for both kinds.
        _days(ClockLength(2, "calendar")),
    ),
    ClockSpec(
        Clock.DECISION,
        "Putusan atas temuan atau laporan",
        "Bawaslu's decision on a finding or report",
        "the day the report was registered",
        # UU 7/2017 art. 454(7): 7 days after registration; UU 1/2015 art. 134(5): 3 days.
        _days(ClockLength(7, "calendar"), ClockLength(3, "calendar")),
    ),
    ClockSpec(
        Clock.DECISION_EXTENSION,
        "Putusan bila memerlukan keterangan tambahan",
        "Bawaslu's decision when more information is needed",
        "the day the report was registered (pilkada: the end of the decision clock)",
        # UU 7/2017 art. 454(8): 14 working days counted again from registration, so it replaces
        # the 7 days. UU 1/2015 art. 134(6): 2 more days for the reporter's additional
        # information, on top of the 3, hence it follows the decision clock.
        _days(
            ClockLength(14, "working"),
            ClockLength(2, "calendar", follows=Clock.DECISION),
        ),
    ),
    ClockSpec(
        Clock.CRIME_TO_POLICE,
        "Penerusan dugaan tindak pidana ke Kepolisian",
        "Suspected election crime passed to Polri",
        "the day Bawaslu found a suspected crime",
        # UU 7/2017 and UU 10/2016 (Gakkumdu): within 1 x 24 hours, kept here as 1 day, which
        # ends at midnight of the next local day and so never earlier than the statute.
        _days(ClockLength(1, "calendar")),
    ),
    ClockSpec(
        Clock.POLICE_TO_PROSECUTOR,
        "Penyerahan berkas penyidikan ke penuntut umum",
        "Polri's case file to the prosecutor",
        "the day Polri received the report",
        # UU 7/2017: 14 days; UU 10/2016: 14 working days, both counted from the report's
        # receipt by the police (Gakkumdu).
        _days(ClockLength(14, "calendar"), ClockLength(14, "working")),
    ),
    ClockSpec(
        Clock.HANDOFF_ACCEPTANCE,
        "Penerimaan atau penolakan pelimpahan",
        "Handoff accepted or declined",
        "the day the handoff was sent",
        # Pokja practice: no statute sets this.
        _days(ClockLength(3, "working")),
    ),
    ClockSpec(
        Clock.RECOMMENDATION_FOLLOW_UP,
        "Tindak lanjut rekomendasi",
        "Follow-up of a recommendation",
        "the day the recommendation was issued",
        # Pokja practice; no statutory figure found (DESIGN §6).
        _days(ClockLength(14, "working")),
    ),
    ClockSpec(
        Clock.MILITARY_POLICE_INVESTIGATION,
        "Pemeriksaan oleh Polisi Militer (POM TNI)",
        "TNI military police investigation",
        "the day the case was handed to the military police",
        # DESIGN §6 table; TNI discipline itself falls under UU 25/2014.
        _days(ClockLength(14, "calendar")),
    ),
)

CLOCKS: Mapping[Clock, ClockSpec] = MappingProxyType({spec.code: spec for spec in _CATALOGUE})
# The clock codes the tables accept (pokja.models.settings) are exactly the catalogue's.
assert tuple(str(c) for c in CLOCKS) == CLOCK_CODES  # noqa: S101

Settings = dict[Clock, dict[ElectionKind, ClockLength]]


class InvalidClockSetting(RuleViolation, ValueError):
    """A Pokja's clock override is refused. ``errors`` maps each bad field, as a dotted path
    such as ``decision.pilkada.length``, to its messages, for a 422 problem body."""

    code = "invalid_clock_setting"
    title = "Invalid clock setting"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        summary = "; ".join(f"{path}: {' '.join(msgs)}" for path, msgs in sorted(errors.items()))
        super().__init__(f"Invalid clock settings ({summary})", errors=errors)
        self.errors = errors


def _choices(values: Any) -> str:
    return ", ".join(str(v) for v in values)


def _is_one_of(value: Any, choices: Any) -> bool:
    # A str check first: stored JSON may hold a list or null where a name belongs.
    return isinstance(value, str) and value in {str(c) for c in choices}


def validate_override(clock: Any, election_kind: Any, length: Any, unit: Any) -> ClockLength:
    """Check one override and return it as the :class:`ClockLength` the Pokja will use.

    Only the length and unit can change: ``follows`` is the law's structure, so it is kept from
    the default. Every problem is reported at once, not just the first.
    """
    errors: dict[str, list[str]] = {}
    path = f"{clock}.{election_kind}"
    if not _is_one_of(clock, Clock):
        errors[str(clock)] = [f"Unknown clock; expected one of {_choices(Clock)}."]
    if not _is_one_of(election_kind, ElectionKind):
        errors[path] = [f"Unknown election kind; expected one of {_choices(ElectionKind)}."]
    # bool is an int subclass, and True would quietly mean a one-day clock.
    if isinstance(length, bool) or not isinstance(length, int):
        errors[f"{path}.length"] = ["Must be a whole number of days."]
    elif length <= 0:
        errors[f"{path}.length"] = ["Must be at least 1 day."]
    if not _is_one_of(unit, UNITS):
        errors[f"{path}.unit"] = [f"Unknown unit; expected one of {_choices(UNITS)}."]
    if errors:
        raise InvalidClockSetting(errors)
    default = CLOCKS[Clock(clock)].defaults[ElectionKind(election_kind)]
    return replace(default, length=length, unit=unit)


def validate_overrides(overrides: Mapping[str, Any]) -> Settings:
    """Check a Pokja's whole stored override mapping; the valid result holds only what it
    overrides. All errors are collected into one :class:`InvalidClockSetting`."""
    errors: dict[str, list[str]] = {}
    result: Settings = {}
    if not isinstance(overrides, Mapping):
        raise InvalidClockSetting({"_schema": ["Must be an object keyed by clock."]})
    for clock, per_kind in overrides.items():
        if not isinstance(per_kind, Mapping):
            errors[str(clock)] = ["Must be an object keyed by election kind."]
            continue
        for kind, setting in per_kind.items():
            if not isinstance(setting, Mapping) or set(setting) != {"length", "unit"}:
                errors[f"{clock}.{kind}"] = ["Must be an object with exactly length and unit."]
                continue
            try:
                checked = validate_override(clock, kind, setting["length"], setting["unit"])
            except InvalidClockSetting as exc:
                errors.update(exc.errors)
                continue
            result.setdefault(Clock(clock), {})[ElectionKind(kind)] = checked
    if errors:
        raise InvalidClockSetting(errors)
    return result


def clock_settings(overrides: Mapping[str, Any] | None = None) -> Settings:
    """Every clock for every election kind, with a Pokja's ``overrides`` laid over the defaults.

    Stored overrides are validated again here: a deadline computed from a corrupt setting would
    be silently wrong, so it fails loudly instead.
    """
    settings: Settings = {code: dict(spec.defaults) for code, spec in CLOCKS.items()}
    for clock, per_kind in validate_overrides(overrides or {}).items():
        settings[clock].update(per_kind)
    return settings


def deadline_for(
    calendar: PokjaCalendar,
    settings: Settings,
    clock: Clock,
    election_kind: ElectionKind,
    start: datetime,
) -> datetime:
    """When ``clock`` runs out for a case of ``election_kind`` whose event was at ``start``.

    A clock that follows another (the pilkada decision extension) starts from the end of that
    clock's deadline, so 3 days + 2 days end on day 5 after the report.
    """
    setting = settings[clock][election_kind]
    if setting.follows is not None:
        start = deadline_for(calendar, settings, setting.follows, election_kind, start)
    return calendar.deadline(start, setting.length, setting.unit)
