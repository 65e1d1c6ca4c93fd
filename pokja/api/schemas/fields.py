"""Field builders and validators shared by the input schemas: every string is held to its
column's length, so that PostgreSQL never sees a value it would refuse."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

TEXT_MAX = 20_000


def no_nul(value: str) -> None:
    # PostgreSQL text cannot hold NUL; refusing it here keeps the answer a 422, not a 500.
    if "\x00" in value:
        raise ma.ValidationError("Must not contain NUL characters.")


def bounded_string(max_length: int, *, min_length: int = 0, **kwargs: Any) -> fields.String:
    checks: list[Callable[[Any], Any]] = [validate.Length(min=min_length, max=max_length), no_nul]
    return fields.String(validate=checks, **kwargs)


def one_of(choices: Any, **kwargs: Any) -> fields.String:
    return fields.String(
        validate=validate.OneOf(list(choices), error="Must be one of: {choices}."), **kwargs
    )


# Free text (reasons, recommendation texts) and letter numbers, as the columns hold them.
TEXT_LENGTH = validate.Length(min=1, max=10_000)
NUMBER_LENGTH = validate.Length(min=1, max=100)


def not_blank(value: str) -> None:
    if not value.strip():
        raise ma.ValidationError("Must not be blank.")
