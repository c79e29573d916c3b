"""Every indicator pinned on the hand-built network (tests/reporting/conftest.py)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from network.models import RuleSetting
from network.rule_settings import forget_rule_settings
from reporting.catalogue import INDICATORS
from reporting.models import IndicatorValue
from reporting.services import indicators_recompute, reporting_periods
from reporting.status import indicator_status, status_sql

CITY, A, B = "450200000000", "450222000000", "450223000000"
A1, A2, A3, A4, B1 = "450222101000", "450222102000", "450222103000", "450222104000", "450223101000"
pytestmark = pytest.mark.django_db


def v(indicator, place, period):
    return IndicatorValue.objects.get(indicator=indicator, place_id=place, period=period)


def nums(indicator, place, period):
    row = v(indicator, place, period)
    return (row.numerator, row.denominator, row.value)


def test_periods_are_year_ends_from_2020_and_the_current_month():
    periods = reporting_periods(datetime.date(2022, 6, 15))
    assert [p.period for p in periods] == ["2020", "2021", "2022-06"]
    assert periods[1].as_of == datetime.date(2021, 12, 31) and periods[1].closed
    assert periods[2].as_of == datetime.date(2022, 6, 15) and not periods[2].closed


def test_coverage_counts_31_december_for_that_year_and_1_january_for_the_next(computed):
    assert nums("TGT-COV", A, "2020") == (2, 4, Decimal("50.0000"))
    assert nums("TGT-COV", A, "2021") == (3, 4, Decimal("75.0000"))  # A3 established 31 Dec 2021
    assert nums("TGT-COV", A, "2022-06") == (4, 4, Decimal("100.0000"))  # A4 established 1 Jan 2022
    assert v("TGT-COV", A3, "2021").value == 100 and v("TGT-COV", A4, "2021").value == 0


def test_coverage_leaves_out_suspended_stations_and_uses_the_history(computed):
    assert nums("TGT-COV", B, "2020") == (2, 3, Decimal("66.6667"))
    assert nums("TGT-COV", B, "2021") == (1, 3, Decimal("33.3333"))  # B2 suspended 1 May 2021
    assert nums("TGT-COV", CITY, "2021") == (4, 7, Decimal("57.1429"))


def test_coverage_status_against_yearly_targets(computed):
    assert v("TGT-COV", A, "2021").target == 70 and v("TGT-COV", A, "2021").status == "met"
    assert v("TGT-COV", B, "2021").status == "missed"
    assert v("TGT-COV", A, "2020").target == 35 and v("TGT-COV", A, "2020").status == "met"
    # The open month compares with the 2022 target (100 %): county A reached it, B did not.
    assert v("TGT-COV", A, "2022-06").status == "met"
    assert v("TGT-COV", B, "2022-06").status == "at_risk"


def test_certified_counts_a_person_once_and_follows_revocation(computed):
    assert nums("TGT-CERT", A, "2020")[0] == 2  # w1 (two certificates by 2021) and w2 (31 Dec 2020)
    assert nums("TGT-CERT", A, "2021")[0] == 2
    assert nums("TGT-CERT", B, "2020")[0] == 1  # w4, revoked 30 Jun 2021
    assert nums("TGT-CERT", B, "2021")[0] == 1  # w3 from 1 Jan 2021
    assert nums("TGT-CERT", A1, "2021")[0] == 1
    assert nums("TGT-CERT", CITY, "2021") == (3, None, Decimal("3.0000"))


def test_certified_targets_growth_ratio_and_growth_still_needed(computed):
    city_2021 = v("TGT-CERT", CITY, "2021")
    assert city_2021.target == Decimal("3.7500")  # 1.25 × the city's own 2020 total (3)
    assert city_2021.status == "missed"
    assert nums("TGT-CERT-GROWTH", CITY, "2021") == (3, 3, Decimal("0.0000"))
    assert v("TGT-CERT-GROWTH", CITY, "2021").target == 25
    assert nums("TGT-CERT-X2020", CITY, "2021") == (3, 3, Decimal("1.0000"))
    assert v("TGT-CERT-X2020", CITY, "2021").target == Decimal("1.2500")
    # 2020: doubling by 2023 needs 2^(1/3) − 1 ≈ 25.99 % a year — more than the 25 % path.
    need_2020 = v("TGT-CERT-NEED", CITY, "2020")
    assert need_2020.value == Decimal("25.9921") and need_2020.target == 25 and need_2020.status == "missed"
    # June 2022 (open): one year left to 2023, so doubling needs 100 % from 3 certified.
    assert v("TGT-CERT-NEED", CITY, "2022-06").value == Decimal("100.0000")
    assert not IndicatorValue.objects.filter(indicator="TGT-CERT-GROWTH", level="township").exists()


def test_certified_multiple_of_2023_is_at_least_two():
    from reporting.catalogue import certified_multiple

    assert certified_multiple(2022) == Decimal("1.5625")
    assert certified_multiple(2023) == Decimal("2.0000")  # 1.25³ = 1.953 falls short; the plan asks 2


def test_every_township_counts_registered_and_stationed_certified_workers(computed):
    assert nums("TGT-EVERY", A, "2021") == (2, 4, Decimal("50.0000"))  # A1 (w1), A2 (w2 stationed there)
    assert nums("TGT-EVERY", B, "2021") == (1, 3, Decimal("33.3333"))  # B1 (w3)
    assert v("TGT-EVERY", A4, "2021").value == 0


def test_specialisation_share_over_certified_workers(computed):
    assert nums("TGT-SPEC-MINORS", CITY, "2021") == (1, 3, Decimal("33.3333"))
    assert v("TGT-SPEC-MINORS", CITY, "2021").status == "met"
    assert nums("TGT-SPEC-ELDERLY", CITY, "2021") == (0, 3, Decimal("0.0000"))
    assert v("TGT-SPEC-ELDERLY", CITY, "2021").status == "missed"


def test_organisations_incubated_and_the_city_target_per_county(indicator_network):
    indicators_recompute(today=datetime.date(2024, 3, 1))
    assert nums("TGT-ORG", A, "2021")[0] == 1 and nums("TGT-ORG", A, "2022")[0] == 2
    assert nums("TGT-ORG", B, "2022")[0] == 0 and nums("TGT-ORG", B, "2023")[0] == 1
    assert v("TGT-ORG", A, "2023").target == 3 and v("TGT-ORG", A, "2023").status == "missed"
    assert v("TGT-ORG", CITY, "2023").target == 6  # 3 × two county-level units
    assert v("TGT-ORG", A, "2022").target is None


def test_stationed_workers_and_overdue_deadlines(computed):
    assert nums("PRC-2-STAFF", A1, "2020")[:2] == (0, 1)  # w5 only
    assert nums("PRC-2-STAFF", A1, "2021")[:2] == (1, 1)  # w5 and w6
    assert nums("PRC-2-STAFF", A, "2021")[:2] == (1, 3)  # A1 of A1, A2, A3
    assert nums("PRC-2-OVERDUE", A1, "2020")[0] == 0  # deadline 1 Jan 2021 not yet passed
    assert nums("PRC-2-OVERDUE", A1, "2021")[0] == 1  # w5; w6 is still within 24 months
    assert v("PRC-2-OVERDUE", A1, "2021").status == "missed"
    assert v("PRC-2-OVERDUE", B1, "2021").status == "met"


def test_standardised_needs_six_haves_catalogue_and_staffing(computed):
    assert nums("TGT-STD", A1, "2021")[:2] == (1, 1)
    assert nums("TGT-STD", A2, "2021")[:2] == (0, 1)  # one stationed worker only
    assert nums("TGT-STD", CITY, "2021")[:2] == (1, 4)


def test_city_is_the_sum_of_its_counties_for_additive_indicators(computed):
    for ind in INDICATORS:
        if not ind.additive:
            continue
        for period in ("2020", "2021", "2022-06"):
            city = v(ind.code, CITY, period)
            counties = IndicatorValue.objects.filter(indicator=ind.code, level="county", period=period)
            assert city.numerator == sum(c.numerator for c in counties), (ind.code, period)
            if ind.is_share:
                assert city.denominator == sum(c.denominator for c in counties), (ind.code, period)


def test_recompute_is_idempotent(computed):
    before = {
        (r.indicator, r.place_id, r.period): (r.numerator, r.denominator, r.value, r.status)
        for r in IndicatorValue.objects.all()
    }
    result = indicators_recompute(today=datetime.date(2022, 6, 15))
    assert result["changed"] == 0  # nothing changed: no row is rewritten
    after = {
        (r.indicator, r.place_id, r.period): (r.numerator, r.denominator, r.value, r.status)
        for r in IndicatorValue.objects.all()
    }
    assert before == after and len(after) == IndicatorValue.objects.count()


def test_rows_no_longer_produced_are_removed(computed):
    from network.models import Place

    Place.objects.filter(code=A4).update(level="village")  # no longer a township
    indicators_recompute(today=datetime.date(2022, 6, 15))
    assert not IndicatorValue.objects.filter(place_id=A4).exists()
    assert nums("TGT-COV", A, "2021")[:2] == (3, 3)


def test_targets_follow_the_rule_settings(indicator_network):
    RuleSetting.objects.create(key="TGT-COV.target_2021", value=80)
    forget_rule_settings()
    indicators_recompute(today=datetime.date(2022, 6, 15), codes=["TGT-COV"])
    assert v("TGT-COV", A, "2021").target == 80 and v("TGT-COV", A, "2021").status == "missed"


@pytest.mark.parametrize("higher", [True, False])
@pytest.mark.parametrize("closed", [True, False])
def test_status_sql_and_python_agree(higher, closed):
    ratio = Decimal("0.9")
    grid = [(None, 10), (10, None), (0, 0), (5, 10), (8.9, 10), (9, 10), (10, 10), (11, 10), (11.2, 10), (12, 10)]
    with connection.cursor() as cursor:
        for value, target in grid:
            expr = status_sql("x.v", "x.t", "x.c", higher_is_better=higher, ratio=ratio)
            cursor.execute(
                f"SELECT {expr} FROM (SELECT %s::numeric AS v, %s::numeric AS t, %s AS c) x", [value, target, closed]
            )
            got = cursor.fetchone()[0]
            assert got == indicator_status(
                value if value is None else Decimal(str(value)),
                target,
                closed=closed,
                higher_is_better=higher,
                ratio=ratio,
            ), (value, target)


def test_status_thresholds():
    r = Decimal("0.9")
    assert indicator_status(70, 70, closed=True, ratio=r) == "met"
    assert indicator_status(69, 70, closed=True, ratio=r) == "missed"
    assert indicator_status(63, 70, closed=False, ratio=r) == "on_track"  # 90 % of 70
    assert indicator_status(62.9, 70, closed=False, ratio=r) == "at_risk"
    assert indicator_status(0, 0, closed=True, higher_is_better=False, ratio=r) == "met"
    assert indicator_status(1, 0, closed=False, higher_is_better=False, ratio=r) == "at_risk"
    assert indicator_status(27, 25, closed=False, higher_is_better=False, ratio=r) == "on_track"
    assert indicator_status(None, 25, closed=True, ratio=r) == ""


def test_demo_builder_computes_values(indicator_network):
    from reporting import demo

    lines = []
    demo.build(None, lines.append)
    assert IndicatorValue.objects.filter(indicator="TGT-COV", place_id=CITY).exists() and "indicators" in lines[0]


def test_task_retries_on_transient_errors():
    from django.db import OperationalError

    from reporting.tasks import build_report_workbook, recompute_indicators

    for task in (recompute_indicators, build_report_workbook):
        assert OperationalError in task.autoretry_for and task.max_retries == 5


def test_certification_gaps_and_overlaps(indicator_network):
    """A person revoked in 2020 and certified again in 2021 counts in 2021 only; overlapping
    certificates of another person count once."""
    from tests.factories import QualificationFactory, WorkerFactory

    b2 = indicator_network["township_b2"]
    gap = WorkerFactory(place=b2)
    QualificationFactory(worker=gap, obtained_on=datetime.date(2019, 1, 1), revoked_on=datetime.date(2020, 6, 1))
    QualificationFactory(worker=gap, obtained_on=datetime.date(2021, 3, 1), grade=2)
    both = WorkerFactory(place=b2)
    QualificationFactory(worker=both, obtained_on=datetime.date(2018, 1, 1), revoked_on=datetime.date(2021, 3, 1))
    QualificationFactory(worker=both, obtained_on=datetime.date(2021, 3, 1), grade=3)  # touches the first
    indicators_recompute(today=datetime.date(2022, 6, 15), codes=["TGT-CERT"])
    b2_code = b2.code
    assert nums("TGT-CERT", b2_code, "2020")[0] == 1  # "both" only
    assert nums("TGT-CERT", b2_code, "2021")[0] == 2
    assert nums("TGT-CERT", b2_code, "2022-06")[0] == 2


def test_every_catalogue_entry_is_complete():
    from reporting.catalogue import GROUPS, RULE_TEXT
    from reporting.records import RECORDS

    codes = [i.code for i in INDICATORS]
    assert len(codes) == len(set(codes))
    for ind in INDICATORS:
        assert ind.name_zh and ind.name_en and str(ind.definition) and str(ind.numerator), ind.code
        assert ind.rule in RULE_TEXT and ind.group in GROUPS and ind.records in RECORDS, ind.code
        assert set(ind.levels) <= {"city", "county", "township"}, ind.code


@pytest.mark.django_db(transaction=True)
def test_two_sessions_give_the_values_of_one(indicator_network):
    """Outside a transaction on PostgreSQL the run works in two database sessions at once (each preparing
    only what its indicators read); inside one it works in a single session. Both store the same rows."""
    from django.db import transaction

    from reporting.services import _lanes

    def stored():
        return {
            (r.indicator, r.place_id, r.period): (r.numerator, r.denominator, r.value, r.target, r.status)
            for r in IndicatorValue.objects.all()
        }

    assert len(_lanes(INDICATORS)) == 2 and not connection.in_atomic_block
    result = indicators_recompute(today=datetime.date(2022, 6, 15))
    two_sessions = stored()
    assert len(two_sessions) == result["rows"] and set(result["indicators"]) == {i.code for i in INDICATORS}
    IndicatorValue.objects.all().delete()
    with transaction.atomic():
        indicators_recompute(today=datetime.date(2022, 6, 15))
    assert stored() == two_sessions
    assert two_sessions[("TGT-COV", A, "2021")][:2] == (3, 4)
    assert two_sessions[("TGT-CERT-GROWTH", CITY, "2021")][2] is not None  # derived after TGT-CERT in its lane
