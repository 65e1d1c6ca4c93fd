"""The stage machine of a case (DESIGN §4), as one table."""

from __future__ import annotations

from pokja.errors import InvalidTransition, RuleViolation
from pokja.models import DISMISSAL_REASONS, STAGES

# stage -> the stages a case may move to from it (DESIGN §4, "Stages and authority").
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "received": ("examination", "dismissed"),
    "examination": ("recommended", "forwarded", "dismissed"),
    "recommended": ("decided", "examination"),
    "forwarded": ("decided", "examination"),
    "decided": ("closed", "examination"),
    "dismissed": ("closed", "examination"),
    "closed": ("examination",),
}
INITIAL_STAGE = "received"
# A closed case is read-only; only a coordinator may reopen it (DESIGN §4).
READ_ONLY_STAGES = frozenset({"closed"})

assert set(TRANSITIONS) == set(STAGES)  # noqa: S101 - the table must cover the model's stages


def allowed_next(stage: str) -> list[str]:
    """The stages a case in ``stage`` may move to, in the table's order."""
    return list(TRANSITIONS[stage])


def is_reopen(from_stage: str, to_stage: str) -> bool:
    """Leaving a closed case (back to examination) is a reopen, reserved to coordinators."""
    return from_stage in READ_ONLY_STAGES and to_stage not in READ_ONLY_STAGES


def check_transition(from_stage: str, to_stage: str, dismissal_reason: str | None = None) -> None:
    """Raise ``InvalidTransition`` (409, with ``allowed``) unless the table allows the move,
    and ``RuleViolation`` when a dismissal lacks a valid reason code (DESIGN §3)."""
    if to_stage not in TRANSITIONS.get(from_stage, ()):
        allowed = allowed_next(from_stage) if from_stage in TRANSITIONS else []
        raise InvalidTransition(
            f"A case cannot move from {from_stage!r} to {to_stage!r}.", allowed=allowed
        )
    if to_stage == "dismissed" and dismissal_reason not in DISMISSAL_REASONS:
        message = f"A dismissal needs a reason: one of {', '.join(DISMISSAL_REASONS)}."
        raise RuleViolation(
            message, code="dismissal_reason_required", errors={"dismissal_reason": [message]}
        )
