"""Percentiles in SQL with window functions, the same on SQLite and PostgreSQL (neither has
one ``percentile_cont`` that both share): rank the values per group, then take the two ranks
around the percentile's position and interpolate between them, as ``percentile_cont`` does.

For a percentile ``a/b`` of ``n`` values ranked ``k = 0 … n-1``, the position is
``a·(n-1)/b``: its whole part ``lo`` and remainder ``r`` (in ``b``-ths) are integer arithmetic
on both databases, and the value is ``(v[lo]·(b-r) + v[lo+1]·r) / b``.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

MEDIAN = (1, 2)
P90 = (9, 10)


def ranked(value: Any, partition: Any) -> tuple[Any, Any]:
    """Window columns to select beside ``value``: its 0-based rank and its group's size."""
    rank = sa.func.row_number().over(partition_by=partition, order_by=value) - 1
    size = sa.func.count().over(partition_by=partition)
    return rank, size


def percentile(value: Any, rank: Any, size: Any, fraction: tuple[int, int]) -> Any:
    """The aggregate over ranked rows (columns of the ranking subquery) giving the
    percentile; NULL for a group without values."""
    a, b = fraction
    position = a * (size - 1)
    lo, rest = position // b, position % b
    weighted = sa.case(
        (rank == lo, value * (b - rest)),
        (rank == lo + 1, value * rest),
        else_=0,
    )
    return sa.func.sum(weighted) / sa.cast(b, sa.Float)
