"""Typed domain errors. Domain code raises these; ``pokja.api.problems`` renders them as
RFC 9457 problem details. Each carries a stable machine ``code``."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    code = "bad_request"
    title = "Bad request"

    def __init__(self, detail: str | None = None, *, code: str | None = None, **extra: Any):
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        if code:
            self.code = code
        self.extra = extra


class NotFound(DomainError):
    """Also what a caller gets for an object of another Pokja: it does not exist for them."""

    status = 404
    code = "not_found"
    title = "Not found"


class NotPermitted(DomainError):
    status = 403
    code = "forbidden"
    title = "Forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    title = "Conflict"


class NotAcceptable(DomainError):
    """The resource does not come in the format asked for (``?format=`` or ``Accept``)."""

    status = 406
    title = "Not acceptable"
    code = "format_not_available"


class RuleViolation(DomainError):
    """The input is well-formed but a domain rule refuses it (422)."""

    status = 422
    code = "rule_violation"
    title = "Rule violation"


class InvalidCredentials(DomainError):
    status = 401
    code = "invalid_credentials"
    title = "Unauthorized"


class PreconditionRequired(DomainError):
    status = 428
    code = "precondition_required"
    title = "Precondition required"


class PreconditionFailed(DomainError):
    status = 412
    code = "precondition_failed"
    title = "Precondition failed"


class InvalidTransition(Conflict):
    """A stage change the stage table does not allow (DESIGN §4); ``allowed`` lists the stages
    the case may move to from where it is, so that the client can offer them."""

    code = "invalid_transition"
    title = "Invalid stage transition"

    def __init__(self, detail: str | None = None, *, allowed: list[str], **extra: Any):
        super().__init__(detail, allowed=allowed, **extra)
        self.allowed = allowed


def field_error(field: str, message: str, code: str = "validation_error") -> RuleViolation:
    """A 422 about one input field, rendered with per-field ``errors`` like schema failures."""
    return RuleViolation(message, code=code, errors={field: [message]})
