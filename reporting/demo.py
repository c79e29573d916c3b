"""Demo data for reporting: compute every indicator on what the other demo builders loaded (run last)."""

from .services import indicators_recompute


def build(rng, out) -> None:
    result = indicators_recompute()
    out(f"indicators: {result['rows']} values for periods {', '.join(result['periods'])}")
