"""TGT-CERT by grade: stored indicators at every level and period, a person once at the highest grade held,
equal to ``workforce.selectors.certified_counts_by_grade``; in the API and the report workbook."""

import datetime
import io
import random

import pytest
from openpyxl import load_workbook

from reporting.catalogue import BY_CODE
from reporting.models import IndicatorValue
from reporting.services import indicators_recompute, reporting_periods
from tests.factories import QualificationFactory, WorkerFactory
from workforce.selectors import certified_counts_by_grade

D = datetime.date
CITY, A, B, A1 = "450200000000", "450222000000", "450223000000", "450222101000"
GRADES = {1: "TGT-CERT-ASSISTANT", 2: "TGT-CERT-SOCIAL-WORKER", 3: "TGT-CERT-SENIOR"}
pytestmark = pytest.mark.django_db


def n(indicator, place, period):
    return IndicatorValue.objects.get(indicator=indicator, place_id=place, period=period).numerator


def test_grades_on_the_hand_built_network(computed):
    # w1 (A1): assistant 2019, social worker from 1 Jun 2021; w2 (county A): assistant from 31 Dec 2020.
    assert n("TGT-CERT-ASSISTANT", A, "2020") == 2 and n("TGT-CERT-SOCIAL-WORKER", A, "2020") == 0
    assert n("TGT-CERT-ASSISTANT", A, "2021") == 1 and n("TGT-CERT-SOCIAL-WORKER", A, "2021") == 1
    assert n("TGT-CERT-SOCIAL-WORKER", A1, "2021") == 1 and n("TGT-CERT-ASSISTANT", A1, "2021") == 0
    assert n("TGT-CERT-SENIOR", CITY, "2021") == 0
    for period in ("2020", "2021", "2022-06"):
        for place in (CITY, A, B, A1):
            total = n("TGT-CERT", place, period)
            assert sum(n(code, place, period) for code in GRADES.values()) == total, (place, period)


def test_a_revoked_higher_grade_counts_the_person_at_the_grade_still_held(network):
    w = WorkerFactory(place=network["township_a1"])
    QualificationFactory(worker=w, grade=1, obtained_on=D(2019, 1, 1))
    QualificationFactory(worker=w, grade=3, obtained_on=D(2020, 5, 1), revoked_on=D(2021, 3, 1))
    QualificationFactory(worker=w, grade=2, obtained_on=D(2020, 7, 1))
    indicators_recompute(today=D(2022, 6, 15))
    assert [n(GRADES[g], A1, "2020") for g in (1, 2, 3)] == [0, 0, 1]
    assert [n(GRADES[g], A1, "2021") for g in (1, 2, 3)] == [0, 1, 0]
    assert n("TGT-CERT", A1, "2021") == 1


def test_grade_indicators_equal_the_workforce_function_on_generated_certificates(network):
    rng = random.Random(450222)
    places = [network[k] for k in ("township_a1", "township_a2", "township_b1", "county_a", "county_b")]
    for i in range(120):
        w = WorkerFactory(place=rng.choice(places), id_number=f"45020219900102{i:04d}")
        for _c in range(rng.choice([1, 1, 2, 3])):
            obtained = D(2016, 1, 1) + datetime.timedelta(days=rng.randint(0, 2500))
            revoked = obtained + datetime.timedelta(days=rng.randint(0, 900)) if rng.random() < 0.3 else None
            QualificationFactory(worker=w, grade=rng.choice([1, 1, 2, 2, 3]), obtained_on=obtained, revoked_on=revoked)
    today = D(2023, 8, 20)
    indicators_recompute(today=today)
    checked = 0
    for period in reporting_periods(today):
        for code, prefix in ((CITY, "4502"), (A, "450222"), (B, "450223"), (A1, "450222101")):
            expected = certified_counts_by_grade(on=period.as_of, within=prefix)
            for grade, indicator in GRADES.items():
                assert n(indicator, code, period.period) == expected.get(grade, 0), (indicator, code, period)
                checked += expected.get(grade, 0)
    assert checked > 100


def test_grades_in_the_api_and_the_workbook(computed, client, personas):
    from reporting.workbook import report_workbook_write

    client.force_login(personas["city_admin"])
    rows = client.get("/api/reporting/values/?indicator=TGT-CERT-SOCIAL-WORKER&place=450222000000&period=2021").json()[
        "results"
    ]
    assert [(r["indicator"], float(r["numerator"]), r["rule"]) for r in rows] == [
        ("TGT-CERT-SOCIAL-WORKER", 1.0, "TGT-CERT")
    ]
    catalogue = client.get("/api/reporting/indicators/TGT-CERT-SENIOR/").json()
    assert catalogue["levels"] == ["city", "county", "township"]
    from network.models import Place

    buffer = io.BytesIO()
    report_workbook_write(place=Place.objects.get(code=CITY), period="2021", target=buffer)
    buffer.seek(0)
    wb = load_workbook(buffer)
    headers = [c.value for c in wb["持证社工"][3]]
    column = headers.index(f"{BY_CODE['TGT-CERT-SOCIAL-WORKER'].name_zh}（人）")
    values = {row[0].value: row[column].value for row in wb["持证社工"].iter_rows(min_row=4)}
    assert values["柳城县"] == 1 and values["柳州市（合计）"] == 1


def test_the_full_rebuild_and_the_per_worker_refresh_give_the_same_grade_periods(network):
    from workforce.models import CertifiedGradeSpan
    from workforce.services import certified_spans_refresh

    for i, (grade, obtained, revoked) in enumerate([(2, D(2019, 1, 1), None), (3, D(2020, 1, 1), D(2021, 1, 1))]):
        w = WorkerFactory(place=network["township_a1"], id_number=f"45020219900103{i:04d}")
        QualificationFactory(worker=w, grade=grade, obtained_on=obtained, revoked_on=revoked)
        QualificationFactory(worker=w, grade=2, obtained_on=D(2020, 6, 1))

    def rows():
        return sorted(CertifiedGradeSpan.objects.values_list("worker_id", "grade", "start_on", "end_on"))

    per_worker = rows()
    certified_spans_refresh()
    assert rows() == per_worker and len(per_worker) == 3  # ≥2: one merged period each; ≥3: the second only
