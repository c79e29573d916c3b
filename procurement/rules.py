"""The procurement rules, each in one place: PRC-1 (scoring and the award), PRC-2 (staffing under contract),
PRC-3 (pay floors, management fee), PRC-4 (evaluation due dates, conflicts of interest), PRC-5 (contract term and
clauses) and FUND-1 (the social-assistance funds share).

Pure functions: values in, a result or a problem (a Chinese message citing the rule) out; numbers only from the
rule settings. Where an indicator counts a rule, its set-based SQL form sits beside the Python form and a parity
test keeps the two identical (``tests/procurement/test_rules.py``). Forms, the API, the pay-line import, the pages
and the indicators all call these.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from network.rule_settings import rule_int, rule_value

from .choices import CLAUSE_FIELDS, EVALUATION_FIELDS, QUALITY_FIELDS, Clause, TeamGrade

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def _money(value) -> str:
    return f"{Decimal(value).quantize(CENT, ROUND_HALF_UP):,.2f}"


def _pct(value) -> str:
    value = Decimal(value)
    return f"{value.quantize(CENT, ROUND_HALF_UP).normalize():f}"


# --- PRC-5: the contract term and its six clauses ------------------------------------------------------------
#
# A term of n years from a start date ends on the day before the same date n years later (1 Jan 2024 – 31 Dec
# 2026 is three years). A contract (and a project's service period) runs at least ``PRC-5.contract_min_years``
# and at most ``PRC-5.contract_max_years`` years: its last day lies between start + min years − 1 day and
# start + max years − 1 day.


def prc5_term_problem(start: datetime.date | None, end: datetime.date | None) -> str | None:
    """PRC-5: why a period from ``start`` to ``end`` (both included) is not one to three years, or None."""
    if start is None or end is None:
        return None
    low, high = rule_int("PRC-5.contract_min_years"), rule_int("PRC-5.contract_max_years")
    if end < start:
        return _("PRC-5: the end date is before the start date.")
    earliest = start + relativedelta(years=low) - datetime.timedelta(days=1)
    latest = start + relativedelta(years=high) - datetime.timedelta(days=1)
    if earliest <= end <= latest:
        return None
    return _(
        "PRC-5: a service period runs %(low)s to %(high)s years: starting on %(start)s it ends between %(a)s and "
        "%(b)s, not on %(end)s."
    ) % {"low": low, "high": high, "start": start, "end": end, "a": earliest, "b": latest}


def prc5_missing_clauses(values: dict) -> list[Clause]:
    """PRC-5: the clauses of the six (staffing, content, objectives, funds, supervision and training, evaluation)
    a contract does not state; ``values`` maps ``clause_<name>`` to present or not."""
    return [c for c in Clause if not values.get(CLAUSE_FIELDS[c])]


def prc5_clauses_sql(contract: str) -> str:
    """PRC-5 in SQL: the contract alias ``contract`` states all six clauses."""
    return "(" + " AND ".join(f"{contract}.{f}" for f in CLAUSE_FIELDS.values()) + ")"


# --- FUND-1: social-assistance funds used for purchased services stay within a share of them ------------------


def fund1_share(used, funds) -> Decimal | None:
    """FUND-1: the social-assistance funds spent on purchased services as a percentage of the county's special
    funds of the year (None when the funds are not recorded)."""
    if not funds:
        return None
    return (Decimal(used) * HUNDRED / Decimal(funds)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def fund1_within(used, funds) -> bool | None:
    """FUND-1: whether the share is within ``FUND-1.assistance_fund_share_max`` (2 %; exactly 2 % passes);
    None when the year's funds are not recorded."""
    if not funds:
        return None
    return Decimal(used) * HUNDRED <= rule_value("FUND-1.assistance_fund_share_max") * Decimal(funds)


def fund1_problem(used, funds, *, county: str, year: int) -> str | None:
    """FUND-1: the message flagging a county and year over the share, or a missing record of its funds."""
    cap = rule_value("FUND-1.assistance_fund_share_max")
    if not funds:
        if used:
            return _(
                "FUND-1: %(county)s uses %(used)s yuan of social-assistance funds for purchased services in %(y)s, "
                "but its social-assistance special funds of that year are not recorded."
            ) % {"county": county, "used": _money(used), "y": year}
        return None
    if fund1_within(used, funds):
        return None
    return _(
        "FUND-1: %(county)s uses %(used)s yuan of social-assistance funds for purchased services in %(y)s, "
        "%(share)s %% of its %(funds)s yuan special funds; at most %(cap)s %% (%(limit)s yuan)."
    ) % {
        "county": county,
        "used": _money(used),
        "y": year,
        "share": _pct(fund1_share(used, funds)),
        "funds": _money(funds),
        "cap": _pct(cap),
        "limit": _money(Decimal(funds) * cap / HUNDRED),
    }


# --- PRC-1: scoring bids on price and on capability and quality, and the award ---------------------------------
#
# The panel scores each capability and quality criterion 0–100; the quality total is their mean (equal weights).
# The price score is the lowest valid price ÷ the bid's price × 100. The total is the weighted sum with the price
# weight of the rule settings (``PRC-1.price_weight``; the plan gives no number, default 20 %). A bid is valid
# for scoring when its price is within the project's budget and its organisation does not evaluate the project's
# stations (PRC-4). Bids rank by total, ties by quality (never by price). The lowest price alone never wins: the
# lowest-priced bid is never recommended nor awarded while another valid bid has a higher quality total. The
# award goes to the bid ranked first; choosing another needs a written reason. (Bids sharing the lowest price do
# not win on price: among them quality decides.)


def prc1_price_weight() -> Decimal:
    return rule_value("PRC-1.price_weight")


def prc1_quality_total(scores: dict) -> Decimal | None:
    """The mean of the panel's criterion scores (``score_<criterion>``), or None until every one is scored."""
    values = [scores.get(f) for f in QUALITY_FIELDS.values()]
    if any(v is None for v in values):
        return None
    return (sum(Decimal(v) for v in values) / len(values)).quantize(CENT, ROUND_HALF_UP)


def prc1_price_score(lowest, price) -> Decimal:
    """PRC-1: lowest valid price ÷ bid price × 100."""
    return (Decimal(lowest) * HUNDRED / Decimal(price)).quantize(CENT, ROUND_HALF_UP)


def prc1_total(quality, price_score, weight=None) -> Decimal:
    """PRC-1: (100 − price weight) % of the quality total plus the price weight % of the price score."""
    weight = prc1_price_weight() if weight is None else Decimal(weight)
    return ((HUNDRED - weight) * Decimal(quality) + weight * Decimal(price_score)) / HUNDRED


def score_problem(value, label, rule: str = "PRC-1") -> str | None:
    """A panel's or an evaluation team's score lies between 0 and 100 (PRC-1 bids, PRC-4 evaluations)."""
    if value is None:
        return None
    if not (0 <= Decimal(value) <= 100):
        return _("%(rule)s: %(label)s is scored between 0 and 100, not %(v)s.") % {
            "rule": rule,
            "label": label,
            "v": value,
        }
    return None


@dataclass
class BidFacts:
    """What ranking a bid needs: its price, quality total (None until scored) and why it is not valid."""

    id: int
    label: str
    price: Decimal
    quality: Decimal | None
    invalid: str = ""


@dataclass
class RankedBid:
    facts: BidFacts
    price_score: Decimal | None = None
    total: Decimal | None = None
    rank: int | None = None
    price_only: bool = False  # the lowest price, beaten on quality: it cannot win (PRC-1)
    note: str = ""

    @property
    def id(self) -> int:
        return self.facts.id

    def as_dict(self) -> dict:
        return {
            "bid": self.facts.id,
            "bidder": self.facts.label,
            "price": str(self.facts.price),
            "quality": None if self.facts.quality is None else str(self.facts.quality),
            "price_score": None if self.price_score is None else str(self.price_score),
            "total": None if self.total is None else str(self.total.quantize(CENT, ROUND_HALF_UP)),
            "rank": self.rank,
            "note": self.note,
        }


@dataclass
class Ranking:
    rows: list[RankedBid] = field(default_factory=list)
    weight: Decimal = Decimal(0)

    @property
    def recommended(self) -> RankedBid | None:
        """The bid the award should go to: ranked first (the lowest price beaten on quality is never ranked)."""
        return next((r for r in self.rows if r.rank == 1), None)

    def get(self, bid_id: int) -> RankedBid | None:
        return next((r for r in self.rows if r.id == bid_id), None)


def prc1_rank(bids: list[BidFacts], weight=None) -> Ranking:
    """PRC-1: price scores, totals and ranks of the bids (see the rule above)."""
    weight = prc1_price_weight() if weight is None else Decimal(weight)
    rows = [RankedBid(b) for b in bids]
    valid = [r for r in rows if not r.facts.invalid]
    for r in rows:
        if r.facts.invalid:
            r.note = r.facts.invalid
    if valid:
        lowest = min(r.facts.price for r in valid)
        for r in valid:
            r.price_score = prc1_price_score(lowest, r.facts.price)
        scored = [r for r in valid if r.facts.quality is not None]
        for r in valid:
            if r.facts.quality is None:
                r.note = _("not scored yet")
                continue
            r.total = prc1_total(r.facts.quality, r.price_score, weight)
            # Beaten on quality by a dearer bid: only its price could carry it.
            better = [o.facts.quality for o in scored if o.facts.quality > r.facts.quality and o.facts.price > lowest]
            if r.facts.price == lowest and better:
                r.price_only = True
                r.note = _(
                    "PRC-1: the lowest price with a lower quality total than another bid (%(q)s against %(b)s) "
                    "cannot win on price alone"
                ) % {"q": r.facts.quality, "b": max(better)}
        ranked = sorted((r for r in scored if not r.price_only), key=lambda r: (-r.total, -r.facts.quality, r.facts.id))
        for i, r in enumerate(ranked, start=1):
            r.rank = i
    order = {id(r): i for i, r in enumerate(rows)}
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, -(r.total or 0), order[id(r)]))
    return Ranking(rows, weight)


def prc1_award_problem(ranking: Ranking, bid_id: int, departure_reason: str) -> str | None:
    """PRC-1: why the award may not go to this bid, or None. The bid must be valid and scored; the lowest price
    beaten on quality never wins; a bid other than the one ranked first needs a written reason."""
    row = ranking.get(bid_id)
    if row is None:
        return _("PRC-1: the bid does not belong to this project.")
    if row.facts.invalid:
        return _("PRC-1: this bid cannot be awarded: %(why)s.") % {"why": row.facts.invalid}
    if row.facts.quality is None:
        return _("PRC-1: every capability and quality criterion of the bid must be scored before the award.")
    if row.price_only:
        return row.note + "."
    first = ranking.recommended
    if first is not None and first.id != bid_id and not (departure_reason or "").strip():
        return _("PRC-1: the bid ranked first is %(first)s (total %(t)s); choosing another needs a written reason.") % {
            "first": first.facts.label,
            "t": first.total.quantize(CENT, ROUND_HALF_UP),
        }
    return None


# --- PRC-3: pay floors by grade and the management fee -------------------------------------------------------
#
# A stationed worker's monthly pay is at least the city minimum wage of the month's year × the floor of the grade
# the worker holds on the first day of the month (TGT-CERT: the highest valid certificate): uncertified 160 %,
# assistant social worker 200 %, social worker 230 %; a senior social worker at least the social-worker floor.
# Pay exactly at the floor passes.

_FLOOR_KEYS = {
    TeamGrade.UNCERTIFIED: "PRC-3.floor_uncertified",
    TeamGrade.ASSISTANT: "PRC-3.floor_assistant",
    TeamGrade.SOCIAL_WORKER: "PRC-3.floor_social_worker",
    TeamGrade.SENIOR: "PRC-3.floor_social_worker",
}


def prc3_floor_percent(grade: int | None) -> Decimal:
    """PRC-3: the floor of a grade as a percentage of the minimum wage (None or 0: uncertified)."""
    return rule_value(_FLOOR_KEYS[TeamGrade(grade or 0)])


def prc3_floor(grade: int | None, minimum_wage) -> Decimal:
    """PRC-3: the monthly floor in yuan (exact, not rounded)."""
    return Decimal(minimum_wage) * prc3_floor_percent(grade) / HUNDRED


def prc3_pay_ok(amount, grade: int | None, minimum_wage) -> bool:
    return Decimal(amount) * HUNDRED >= Decimal(minimum_wage) * prc3_floor_percent(grade)


def prc3_pay_problem(*, amount, grade: int | None, minimum_wage, year: int) -> str | None:
    """PRC-3: the finding for a pay line below its floor, with the numbers, or None."""
    if minimum_wage is None:
        return prc3_wage_missing(year)
    if prc3_pay_ok(amount, grade, minimum_wage):
        return None
    floor = prc3_floor(grade, minimum_wage)
    return _(
        "PRC-3: %(amount)s yuan is below the floor of %(floor)s yuan (%(grade)s: %(pct)s %% of the %(y)s city "
        "minimum wage of %(wage)s yuan), short by %(short)s yuan."
    ) % {
        "amount": _money(amount),
        "floor": _money(floor),
        "grade": TeamGrade(grade or 0).label,
        "pct": _pct(prc3_floor_percent(grade)),
        "y": year,
        "wage": _money(minimum_wage),
        "short": _money(floor - Decimal(amount)),
    }


def prc3_wage_missing(year: int) -> str:
    return _(
        "PRC-3: no city minimum wage is recorded for %(y)s, so the pay floor cannot be checked; the city "
        "administrator records it under Minimum wages."
    ) % {"y": year}


def prc3_grade_sql(*, worker: str, on: str) -> str:
    """The grade (0 uncertified, 1, 2, 3) the worker (SQL expression ``worker``) holds on the date ``on``, from the
    merged certified periods the workforce app keeps (TGT-CERT; the same truth as the certificates)."""
    spans = "workforce_certifiedspan"
    graded = "workforce_certifiedgradespan"
    cover = f"s.start_on <= {on} AND (s.end_on IS NULL OR s.end_on > {on})"
    # Two index lookups on the worker at most: the highest of grades 2–3, else whether certified at all.
    return (
        f"COALESCE((SELECT max(s.grade) FROM {graded} s WHERE s.worker_id = {worker} AND {cover}), "
        f"CASE WHEN EXISTS (SELECT 1 FROM {spans} s WHERE s.worker_id = {worker} AND {cover}) THEN 1 ELSE 0 END)"
    )


def prc3_line_grades_sql(lines: str) -> str:
    """The set form of ``prc3_grade_sql`` for many pay lines at once: ``(id, grade)`` for each row of the relation
    ``lines`` (columns id, worker_id, month) whose worker holds a certificate on the month's first day — the highest
    grade held (rows without one are absent: uncertified). One pass over the certified periods, not two lookups per
    line (the national indicator pass reads 1,440,000 lines)."""
    return f"""SELECT l.id, max(x.grade) AS grade FROM {lines} l
        JOIN (SELECT worker_id, grade, start_on, end_on FROM workforce_certifiedgradespan
              UNION ALL SELECT worker_id, 1, start_on, end_on FROM workforce_certifiedspan) x
          ON x.worker_id = l.worker_id AND x.start_on <= l.month AND (x.end_on IS NULL OR x.end_on > l.month)
        GROUP BY l.id"""


def prc3_pay_ok_sql(*, amount: str, grade: str, wage: str) -> tuple[str, list]:
    """PRC-3 in SQL: the pay ``amount`` meets the floor of ``grade`` against the minimum wage ``wage``."""
    floors = [prc3_floor_percent(g) for g in (0, 1, 2)]
    return (
        f"({amount}) * 100 >= ({wage}) * (CASE WHEN ({grade}) = 0 THEN %s WHEN ({grade}) = 1 THEN %s ELSE %s END)",
        floors,
    )


def prc3_floors_sql(wage: str) -> tuple[str, list]:
    """The floors of the minimum wage ``wage`` as SQL columns f0, f1, f2 (uncertified, assistant, social worker and
    senior) and fmin, fmax (the lowest and highest of them), in yuan: computed once per year, so that each pay line
    is compared, not multiplied."""
    pcts = [prc3_floor_percent(g) for g in (0, 1, 2)]
    return (
        f"({wage}) * %s / 100 AS f0, ({wage}) * %s / 100 AS f1, ({wage}) * %s / 100 AS f2, "
        f"({wage}) * %s / 100 AS fmin, ({wage}) * %s / 100 AS fmax",
        [*pcts, min(pcts), max(pcts)],
    )


def prc3_meets_floor_sql(*, amount: str, grade: str) -> str:
    """PRC-3 over the columns of ``prc3_floors_sql``: the pay meets the floor of the grade (exactly at it passes)."""
    return f"({amount}) >= CASE WHEN ({grade}) = 0 THEN f0 WHEN ({grade}) = 1 THEN f1 ELSE f2 END"


def prc3_fee_share(fee, value) -> Decimal | None:
    """PRC-3: the management fee as a percentage of the contract value."""
    if not value:
        return None
    return (Decimal(fee) * HUNDRED / Decimal(value)).quantize(CENT, ROUND_HALF_UP)


def prc3_fee_within(fee, value) -> bool:
    """PRC-3: the fee's share is within ``PRC-3.management_fee_cap`` (exactly at the cap passes)."""
    return Decimal(fee) * HUNDRED <= rule_value("PRC-3.management_fee_cap") * Decimal(value)


def prc3_fee_problem(fee, value) -> str | None:
    if not value or prc3_fee_within(fee, value):
        return None
    cap = rule_value("PRC-3.management_fee_cap")
    return _(
        "PRC-3: the management fee of %(fee)s yuan is %(share)s %% of the %(value)s yuan contract; the cap is "
        "%(cap)s %% (%(limit)s yuan)."
    ) % {
        "fee": _money(fee),
        "share": _pct(prc3_fee_share(fee, value)),
        "value": _money(value),
        "cap": _pct(cap),
        "limit": _money(Decimal(value) * cap / HUNDRED),
    }


def prc3_fee_within_sql(contract: str) -> tuple[str, list]:
    return (
        f"{contract}.management_fee * 100 <= %s * {contract}.value",
        [rule_value("PRC-3.management_fee_cap")],
    )


def sup1_budget_problem(supervision_budget) -> str | None:
    """SUP-1: supervision money is part of the project budget; a contract without a supervision line is flagged."""
    if supervision_budget and Decimal(supervision_budget) > 0:
        return None
    return _("SUP-1: the contract has no supervision budget line; supervision money is part of the project budget.")


# --- PRC-2: stationed workers per station -------------------------------------------------------------------


def prc2_plan_problem(planned: int | None) -> str | None:
    """PRC-2: the staffing plan sends at least ``PRC-2.workers_per_station`` stationed workers per station."""
    need = rule_int("PRC-2.workers_per_station")
    if planned is not None and planned < need:
        return _("PRC-2: the staffing plan sends %(n)s stationed worker(s) per station; at least %(m)s.") % {
            "n": planned,
            "m": need,
        }
    return None


def prc2_station_short(count: int) -> bool:
    """PRC-2: a station has fewer stationed workers under contract than the setting."""
    return count < rule_int("PRC-2.workers_per_station")


# --- PRC-4: evaluation ----------------------------------------------------------------------------------------
#
# The final evaluation is due no later than one month before the contract ends (end date − 1 calendar month). It
# is done on time when evaluated on or before that day; overdue when not done by then. A reminder shows from
# ``PRC-4.final_reminder_days`` before the due date (a setting; the plan gives no number).


def prc4_final_due(end_on: datetime.date) -> datetime.date:
    return end_on - relativedelta(months=1)


DONE_ON_TIME, DONE_LATE, OVERDUE, DUE_SOON, NOT_DUE = "done_on_time", "done_late", "overdue", "due_soon", "not_due"


def prc4_final_state(*, end_on: datetime.date, done_on: datetime.date | None, today: datetime.date) -> str:
    """PRC-4: the state of a contract's final evaluation on ``today``."""
    due = prc4_final_due(end_on)
    if done_on is not None:
        return DONE_ON_TIME if done_on <= due else DONE_LATE
    if today > due:
        return OVERDUE
    if today >= due - datetime.timedelta(days=rule_int("PRC-4.final_reminder_days")):
        return DUE_SOON
    return NOT_DUE


def prc4_final_on_time_sql(*, end_on: str, done_on: str) -> str:
    """PRC-4 in SQL: the final evaluation ``done_on`` (NULL: not done) is on time for a contract ending ``end_on``."""
    return f"({done_on} IS NOT NULL AND {done_on} <= ({end_on} - interval '1 month')::date)"


def evaluation_total(scores: dict) -> Decimal:
    """PRC-4: the total of an evaluation is the mean of its criterion scores."""
    values = [Decimal(scores[f]) for f in EVALUATION_FIELDS.values()]
    return (sum(values) / len(values)).quantize(CENT, ROUND_HALF_UP)


def periods_overlap(a_start, a_end, b_start, b_end) -> bool:
    """Two periods (ends included, None: open) share a day."""
    return (a_end is None or b_start is None or b_start <= a_end) and (
        b_end is None or a_start is None or a_start <= b_end
    )
