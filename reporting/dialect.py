"""The few SQL fragments that differ between PostgreSQL (production) and SQLite (the embedded mode of
``./scripts/start``), selected by ``connection.vendor``.

Everything else in the recompute is written once in SQL both understand: ``CAST(x AS type)``
instead of ``x::type``, ``substr(code, 1, n) || '000…'`` instead of ``rpad(left(…))``, the far-future
date literal ``'9999-12-31'`` instead of ``'infinity'``, plain date literals compared with date
columns (SQLite stores ISO text, which sorts like the dates), named indexes, ``IN (…)`` lists.
"""

from __future__ import annotations

from django.db import connection

FAR_FUTURE = "'9999-12-31'"  # an open end of a span (revoked_on / until blank)


def postgres() -> bool:
    return connection.vendor == "postgresql"


def greatest(a: str, b: str) -> str:
    return f"greatest({a}, {b})" if postgres() else f"max({a}, {b})"


def least(a: str, b: str) -> str:
    return f"least({a}, {b})" if postgres() else f"min({a}, {b})"


def plus_days(expr: str, days: int) -> str:
    """A date ``days`` later (``expr`` may be NULL, the result is then NULL)."""
    return f"({expr} + {int(days)})" if postgres() else f"date({expr}, '{int(days):+d} days')"


def plus_months(expr: str, months: str = "%s") -> str:
    """A date ``months`` months later (a placeholder by default, bound to an integer)."""
    if postgres():
        return f"CAST({expr} + make_interval(months => {months}) AS date)"
    return f"date({expr}, '+' || {months} || ' months')"


def empty_table(table: str) -> str:
    return f"TRUNCATE {table}" if postgres() else f"DELETE FROM {table}"


def prefix_code(col: str, digits: int) -> str:
    """The 12-digit division code of the place ``digits`` long prefix of ``col`` (padded with zeros)."""
    return f"substr({col}, 1, {digits}) || '{'0' * (12 - digits)}'" if digits < 12 else col


def in_list(values) -> tuple[str, list]:
    """``(%s, %s, …)`` and its parameters (``= ANY(%s)`` is PostgreSQL-only)."""
    values = list(values)
    return "(" + ", ".join(["%s"] * len(values)) + ")", values


def json_list_has(col: str, value: str) -> str:
    """The JSON list of strings in ``col`` holds ``value`` (a constant: a target group's code)."""
    if postgres():
        return f"""{col} @> CAST('["{value}"]' AS jsonb)"""
    return f"EXISTS (SELECT 1 FROM json_each({col}) WHERE json_each.value = '{value}')"
