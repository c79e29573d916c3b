"""Each procurement rule pinned on hand-built cases, at its boundaries (procurement.rules)."""

import datetime
from decimal import Decimal

import pytest

from network.models import RuleSetting
from network.rule_settings import forget_rule_settings
from procurement import rules
from procurement.choices import QUALITY_FIELDS

D = datetime.date


@pytest.fixture(autouse=True)
def _settings(db):
    forget_rule_settings()
    yield
    forget_rule_settings()


# --- PRC-5 -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start,end,ok",
    [
        (D(2024, 1, 1), D(2024, 12, 31), True),  # one year exactly
        (D(2024, 1, 1), D(2024, 12, 30), False),  # a day short of a year
        (D(2024, 1, 1), D(2026, 12, 31), True),  # three years exactly
        (D(2024, 1, 1), D(2027, 1, 1), False),  # a day over three years
        (D(2024, 1, 1), D(2027, 12, 31), False),  # four years
        (D(2024, 3, 1), D(2026, 2, 28), True),
    ],
)
def test_prc5_a_period_runs_one_to_three_years(start, end, ok):
    problem = rules.prc5_term_problem(start, end)
    assert (problem is None) is ok
    if not ok:
        assert problem.startswith("PRC-5") and str(end) in problem


def test_prc5_the_term_follows_the_settings():
    RuleSetting.objects.create(key="PRC-5.contract_max_years", value=4)
    forget_rule_settings()
    assert rules.prc5_term_problem(D(2024, 1, 1), D(2027, 12, 31)) is None


def test_prc5_missing_clauses():
    values = {f"clause_{c}": True for c in ("staffing", "content", "objectives", "funds", "supervision", "evaluation")}
    assert rules.prc5_missing_clauses(values) == []
    values["clause_funds"] = False
    assert [c.value for c in rules.prc5_missing_clauses(values)] == ["funds"]


# --- FUND-1 ----------------------------------------------------------------------------------------------------


def test_fund1_two_per_cent_exactly_passes_a_fen_more_fails():
    assert rules.fund1_within(Decimal("20000.00"), Decimal("1000000")) is True
    assert rules.fund1_within(Decimal("20000.01"), Decimal("1000000")) is False
    assert rules.fund1_share(Decimal("20000"), Decimal("1000000")) == Decimal("2.0000")
    problem = rules.fund1_problem(Decimal("20000.01"), Decimal("1000000"), county="柳城县", year=2026)
    assert problem.startswith("FUND-1") and "20,000.01" in problem and "2 %" in problem
    assert rules.fund1_problem(Decimal("20000"), Decimal("1000000"), county="柳城县", year=2026) is None


def test_fund1_funds_not_recorded():
    assert rules.fund1_within(Decimal(100), None) is None
    problem = rules.fund1_problem(Decimal(100), None, county="柳城县", year=2026)
    assert problem.startswith("FUND-1") and "100.00" in problem and "2026" in problem


# --- PRC-3 -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "grade,floor",
    [(0, Decimal(3200)), (1, Decimal(4000)), (2, Decimal(4600)), (3, Decimal(4600)), (None, Decimal(3200))],
)
def test_prc3_floors_by_grade(grade, floor):
    assert rules.prc3_floor(grade, Decimal(2000)) == floor
    assert rules.prc3_pay_ok(floor, grade, Decimal(2000))  # exactly at the floor passes
    assert not rules.prc3_pay_ok(floor - 1, grade, Decimal(2000))  # one yuan below fails


def test_prc3_exactly_200_per_cent_passes_one_yuan_below_fails_with_the_numbers():
    assert rules.prc3_pay_problem(amount=Decimal(4000), grade=1, minimum_wage=Decimal(2000), year=2026) is None
    problem = rules.prc3_pay_problem(amount=Decimal(3999), grade=1, minimum_wage=Decimal(2000), year=2026)
    assert problem.startswith("PRC-3")
    assert "3,999.00" in problem and "4,000.00" in problem and "200" in problem and "1.00" in problem


def test_prc3_missing_minimum_wage():
    problem = rules.prc3_pay_problem(amount=Decimal(4000), grade=1, minimum_wage=None, year=2031)
    assert problem.startswith("PRC-3") and "2031" in problem


def test_prc3_management_fee_cap_exactly_passes():
    assert rules.prc3_fee_within(Decimal(10000), Decimal(100000))  # 10 % exactly
    assert not rules.prc3_fee_within(Decimal("10000.01"), Decimal(100000))
    assert rules.prc3_fee_problem(Decimal(12000), Decimal(100000)).startswith("PRC-3")


def test_sup1_supervision_budget_line():
    assert rules.sup1_budget_problem(Decimal(0)).startswith("SUP-1")
    assert rules.sup1_budget_problem(Decimal(1)) is None


def test_prc2_plan():
    assert rules.prc2_plan_problem(1).startswith("PRC-2")
    assert rules.prc2_plan_problem(2) is None


# --- PRC-1 -----------------------------------------------------------------------------------------------------


def _facts(i, price, quality, invalid=""):
    return rules.BidFacts(i, f"机构{i}", Decimal(price), None if quality is None else Decimal(quality), invalid)


def test_prc1_price_score_and_total_with_the_default_weight():
    assert rules.prc1_price_score(Decimal(80000), Decimal(100000)) == Decimal("80.00")
    assert rules.prc1_total(Decimal(90), Decimal(80)) == Decimal(88)  # 0.8 × 90 + 0.2 × 80


def test_prc1_quality_total_is_the_mean_and_needs_every_score():
    scores = dict.fromkeys(QUALITY_FIELDS.values(), Decimal(80))
    assert rules.prc1_quality_total(scores) == Decimal("80.00")
    scores["score_plan"] = None
    assert rules.prc1_quality_total(scores) is None


def test_prc1_the_lowest_price_with_a_lower_quality_cannot_win():
    # The cheap bid leads on the weighted total (0.8 × 84 + 0.2 × 100 = 87.2 against 0.8 × 90 + 0.2 × 50 = 82)
    # but its quality total is lower: price alone never wins.
    ranking = rules.prc1_rank([_facts(1, 50000, 84), _facts(2, 100000, 90)])
    cheap = ranking.get(1)
    assert cheap.total == Decimal("87.2") and cheap.price_only and cheap.rank is None
    assert ranking.recommended.id == 2
    assert "PRC-1" in rules.prc1_award_problem(ranking, 1, "它最便宜")


def test_prc1_ranking_by_total_then_quality_never_price():
    # Bid 1 has the lowest price and a lower quality than bid 2: it is not ranked; 2 (total 86) before 3 (74.95).
    ranking = rules.prc1_rank([_facts(1, 90000, 80), _facts(2, 100000, 85), _facts(3, 95000, 70)])
    assert [(r.id, r.rank) for r in ranking.rows] == [(2, 1), (3, 2), (1, None)]
    assert ranking.get(3).total.quantize(Decimal("0.01")) == Decimal("74.95")
    # Equal totals: the higher quality ranks first.
    tie = rules.prc1_rank([_facts(1, 100000, 90), _facts(2, 100000, 90)], weight=20)
    assert [r.rank for r in tie.rows] == [1, 2]


def test_prc1_award_needs_a_reason_to_leave_the_first():
    ranking = rules.prc1_rank([_facts(1, 100000, 90), _facts(2, 100000, 80)])
    assert rules.prc1_award_problem(ranking, 1, "") is None
    assert rules.prc1_award_problem(ranking, 2, "").startswith("PRC-1")
    assert rules.prc1_award_problem(ranking, 2, "第一名无法按期进驻") is None


def test_prc1_invalid_and_unscored_bids_cannot_win():
    ranking = rules.prc1_rank([_facts(1, 100000, 90, "超出预算"), _facts(2, 110000, None), _facts(3, 120000, 70)])
    assert ranking.recommended.id == 3
    assert "超出预算" in rules.prc1_award_problem(ranking, 1, "x")
    assert rules.prc1_award_problem(ranking, 2, "x").startswith("PRC-1")
    # The lowest valid price sets the price score: the invalid bid's price does not count.
    assert ranking.get(3).price_score == Decimal("91.67")


def test_prc1_the_price_weight_is_a_setting():
    RuleSetting.objects.create(key="PRC-1.price_weight", value=40)
    forget_rule_settings()
    assert rules.prc1_total(Decimal(90), Decimal(80)) == Decimal(86)


def test_scores_outside_their_range():
    assert rules.score_problem(Decimal(101), "服务方案").startswith("PRC-1")
    assert rules.score_problem(Decimal(-1), "服务方案", "PRC-4").startswith("PRC-4")
    assert rules.score_problem(Decimal(100), "服务方案") is None


# --- PRC-4 -----------------------------------------------------------------------------------------------------


def test_prc4_final_evaluation_due_one_month_before_the_end():
    end = D(2026, 12, 31)
    assert rules.prc4_final_due(end) == D(2026, 11, 30)
    assert rules.prc4_final_state(end_on=end, done_on=D(2026, 11, 30), today=D(2027, 1, 5)) == rules.DONE_ON_TIME
    assert rules.prc4_final_state(end_on=end, done_on=D(2026, 12, 1), today=D(2027, 1, 5)) == rules.DONE_LATE
    assert rules.prc4_final_state(end_on=end, done_on=None, today=D(2026, 12, 1)) == rules.OVERDUE
    assert rules.prc4_final_state(end_on=end, done_on=None, today=D(2026, 11, 1)) == rules.DUE_SOON
    assert rules.prc4_final_state(end_on=end, done_on=None, today=D(2026, 6, 1)) == rules.NOT_DUE


def test_periods_overlap():
    assert rules.periods_overlap(D(2024, 1, 1), D(2024, 12, 31), D(2024, 12, 31), None)
    assert not rules.periods_overlap(D(2024, 1, 1), D(2024, 12, 31), D(2025, 1, 1), D(2025, 2, 1))
