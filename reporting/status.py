"""Status of a value against its target: met / on track / at risk / missed (TGT rules).

The one definition, in two forms that tests keep identical: ``indicator_status`` for Python and
``status_sql`` for the set-based recompute.

- no value or no target: no status;
- the target is reached (at least the target, or at most it for "lower is better"): **met**;
- otherwise, a closed period (a past 31 Dec): **missed**;
- an open period (the current month) that has reached the on-track share of the target
  (setting ``TGT.on_track_ratio``, default 90 %; for "lower is better", value × share ≤ target):
  **on track**;
- otherwise **at risk**.
"""

from __future__ import annotations

from decimal import Decimal

from network.rule_settings import rule_value

from .choices import IndicatorStatus


def on_track_ratio() -> Decimal:
    return rule_value("TGT.on_track_ratio") / Decimal(100)


def indicator_status(
    value, target, *, closed: bool, higher_is_better: bool = True, ratio: Decimal | None = None
) -> str:
    if value is None or target is None:
        return IndicatorStatus.NONE
    value, target = Decimal(value), Decimal(target)
    ratio = on_track_ratio() if ratio is None else ratio
    if (higher_is_better and value >= target) or (not higher_is_better and value <= target):
        return IndicatorStatus.MET
    if closed:
        return IndicatorStatus.MISSED
    if higher_is_better and value >= target * ratio:
        return IndicatorStatus.ON_TRACK
    if not higher_is_better and value * ratio <= target:
        return IndicatorStatus.ON_TRACK
    return IndicatorStatus.AT_RISK


def status_sql(value: str, target: str, closed: str, *, higher_is_better: bool, ratio: Decimal) -> str:
    """The same rule as an SQL expression over the given column expressions (ratio is a literal)."""
    r = f"{Decimal(ratio):f}"
    reached = f"{value} >= {target}" if higher_is_better else f"{value} <= {target}"
    on_track = f"{value} >= {target} * {r}" if higher_is_better else f"{value} * {r} <= {target}"
    return (
        f"CASE WHEN {value} IS NULL OR {target} IS NULL THEN '' "
        f"WHEN {reached} THEN 'met' WHEN {closed} THEN 'missed' "
        f"WHEN {on_track} THEN 'on_track' ELSE 'at_risk' END"
    )
