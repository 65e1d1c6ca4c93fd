"""The one input layer (DESIGN §9 "no input of any shape gives a 500"): the base ``Schema``
every schema inherits, and the checks a request body passes before anything parses it.

Every field of every schema is held, when the schema is bound, to what the database and the
calendar can take, whether or not its author thought of it:

- strings: no NUL, no other control character and no lone surrogate (PostgreSQL refuses NUL,
  and a surrogate cannot be encoded); newline, carriage return and tab only in free-form text
  (a string that may be :data:`FREE_TEXT_MIN` characters or longer); at most
  :data:`DEFAULT_MAX_LENGTH` characters when the field names no bound of its own;
- dates and date-times: a year in ``POKJA_MIN_YEAR``..``POKJA_MAX_YEAR`` (1900-2100), so that
  no arithmetic on them overflows and no offset comes back in local mean time;
- integers without a range of their own: what a 32-bit column holds.

Before a JSON body is parsed, its nesting depth is counted (``POKJA_MAX_JSON_DEPTH``) without
recursion, and a streamed (chunked) body is counted against ``MAX_CONTENT_LENGTH``.
"""

from __future__ import annotations

import operator
import re
from datetime import date
from itertools import accumulate, repeat
from typing import Any

import marshmallow as ma
from flask import Flask, current_app, has_app_context, request
from flask.wrappers import Response
from marshmallow import fields, validate
from werkzeug.exceptions import RequestEntityTooLarge

DEFAULT_MAX_LENGTH = 10_000
FREE_TEXT_MIN = 1_000
DEFAULT_MIN_YEAR, DEFAULT_MAX_YEAR = 1900, 2100
DEFAULT_MAX_JSON_DEPTH = 32
INT32 = (-(2**31), 2**31 - 1)

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_BUT_WHITESPACE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class PlainText(validate.Validator):
    """No NUL, control characters or lone surrogates; ``multiline`` admits \\n, \\r and \\t."""

    def __init__(self, *, multiline: bool) -> None:
        self.multiline = multiline
        self.pattern = _CONTROL_BUT_WHITESPACE if multiline else _CONTROL

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str) and self.pattern.search(value):
            if "\x00" in value:
                raise ma.ValidationError("Must not contain NUL characters.")
            allowed = " other than newline and tab" if self.multiline else ""
            raise ma.ValidationError(f"Must not contain control characters{allowed}.")
        return value


def year_bounds() -> tuple[int, int]:
    if not has_app_context():
        return DEFAULT_MIN_YEAR, DEFAULT_MAX_YEAR
    config = current_app.config
    return (
        config.get("POKJA_MIN_YEAR", DEFAULT_MIN_YEAR),
        config.get("POKJA_MAX_YEAR", DEFAULT_MAX_YEAR),
    )


class WithinCalendar(validate.Validator):
    """A date or date-time whose year lies in the configured range (1900-2100)."""

    def __call__(self, value: Any) -> Any:
        low, high = year_bounds()
        if isinstance(value, date) and not low <= value.year <= high:
            raise ma.ValidationError(f"Must be a date between the years {low} and {high}.")
        return value


class Bounded(validate.Validator):
    """The default bounds of a field that names none (a string's length, an integer's range).
    Not a ``Length``/``Range``: the documented contract shows the bounds a schema states."""

    def __init__(self, low: int, high: int, what: str) -> None:
        self.low, self.high, self.what = low, high, what

    def __call__(self, value: Any) -> Any:
        size = len(value) if self.what == "length" else value
        if not self.low <= size <= self.high:
            if self.what == "length":
                raise ma.ValidationError(f"Longer than maximum length {self.high}.")
            raise ma.ValidationError(f"Must be between {self.low} and {self.high}.")
        return value


def _max_length(field: fields.Field) -> int | None:
    lengths = [v.max for v in field.validators if isinstance(v, validate.Length)]
    bounded = [n for n in lengths if n is not None]
    return min(bounded) if bounded else None


def _refuse_control_characters_before_parsing(field: fields.Field) -> None:
    """A field that parses a string into something else (a date, a number) refuses control
    characters in the string itself: some parsers drop what follows a NUL."""
    if isinstance(field, fields.List | fields.Tuple | fields.Dict | fields.Nested):
        return
    parse = field.deserialize

    def deserialize(value: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(value, str) and _CONTROL.search(value):
            raise ma.ValidationError("Must not contain NUL or other control characters.")
        return parse(value, *args, **kwargs)

    field.deserialize = deserialize  # type: ignore[method-assign]


def harden(field: fields.Field) -> None:
    """Add the input layer's checks to ``field`` (and to the fields inside a list, tuple or
    mapping); a nested schema is a :class:`Schema` and hardens its own fields."""
    if isinstance(field, fields.List):
        harden(field.inner)
    elif isinstance(field, fields.Tuple):
        for inner in field.tuple_fields:
            harden(inner)
    elif isinstance(field, fields.Dict):
        for part in (field.key_field, field.value_field):
            if part is not None:
                harden(part)
    if field.dump_only or getattr(field, "_pokja_hardened", False):
        return
    field._pokja_hardened = True  # type: ignore[attr-defined]
    # A bound field is a shallow copy of the declared one: its validator list is replaced,
    # never extended in place, or every new schema instance would add the checks again.
    if isinstance(field, fields.String):
        max_length = _max_length(field)
        added: list[validate.Validator] = []
        if max_length is None:
            max_length = DEFAULT_MAX_LENGTH
            added.append(Bounded(0, max_length, "length"))
        added.append(PlainText(multiline=max_length >= FREE_TEXT_MIN))
        field.validators = [*field.validators, *added]
    else:
        _refuse_control_characters_before_parsing(field)
    if isinstance(field, fields.Date | fields.DateTime):
        field.validators = [*field.validators, WithinCalendar()]
    elif isinstance(field, fields.Integer) and not any(
        isinstance(v, validate.Range) for v in field.validators
    ):
        field.validators = [*field.validators, Bounded(*INT32, "value")]


class Schema(ma.Schema):
    """Base schema of every request and response: unknown fields are rejected (marshmallow's
    default, stated on purpose) and every field passes the input layer (:func:`harden`)."""

    class Meta:
        unknown = ma.RAISE

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        super().on_bind_field(field_name, field_obj)
        harden(field_obj)


# --- request bodies, before parsing ----------------------------------------------------------

_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
# Opening brackets become 2 and closing ones 0 (everything else is deleted): minus one each,
# their running sum is the depth.
_STEPS = bytes.maketrans(b"[{]}", b"\x02\x02\x00\x00")
_NOT_A_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")


def nested_deeper_than(body: bytes, limit: int) -> bool:
    """Whether the JSON text ``body`` nests arrays and objects deeper than ``limit``, found
    without recursion or a Python loop per byte: strings are cut out, the brackets' running
    depth is summed in C and the scan stops at the first level past ``limit``. An unbalanced
    text is left to the parser, which refuses it."""
    steps = _JSON_STRING.sub(b"", body).translate(_STEPS, _NOT_A_BRACKET)
    depths = accumulate(map(operator.sub, steps, repeat(1)))
    return next(filter(limit.__lt__, depths), None) is not None


def register_body_checks(app: Flask) -> None:
    from pokja.api.problems import problem

    @app.before_request
    def check_json_body() -> Response | None:
        if request.method not in {"POST", "PUT", "PATCH"} or not request.is_json:
            return None
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        body = request.get_data(cache=True)
        if request.content_length is None and limit is not None and len(body) >= limit:
            # A streamed body is cut at the limit by the server's stream: it was longer.
            raise RequestEntityTooLarge()
        depth = current_app.config.get("POKJA_MAX_JSON_DEPTH", DEFAULT_MAX_JSON_DEPTH)
        if nested_deeper_than(body, depth):
            message = f"Nested deeper than {depth} levels."
            return problem(
                400,
                f"The request body is nested deeper than {depth} levels.",
                code="nested_too_deep",
                errors={"body": [message]},
            )
        return None
