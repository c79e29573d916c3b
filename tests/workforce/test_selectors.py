"""TGT-CERT counting rules, pinned: validity window, revocation, highest grade once, history at 31 December,
and the PRC-2 staffing and deadline reads."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta

from network.models import RuleSetting
from network.rule_settings import forget_rule_settings
from workforce import selectors
from workforce.choices import AssignmentRole, Grade
from workforce.models import Assignment, Qualification

from .conftest import TODAY, make_worker

D = datetime.date
A, B = "450222000000", "450223000000"


def cert(worker, grade, no, obtained, revoked=None, registered=None):
    return Qualification.objects.create(
        worker=worker,
        grade=grade,
        certificate_no=no,
        obtained_on=obtained,
        revoked_on=revoked,
        registered_on=registered,
    )


@pytest.mark.django_db
def test_certificate_counts_from_the_day_obtained(network):
    w = make_worker("甲", network["township_a1"], 11)
    cert(w, Grade.ASSISTANT, "C1", D(2021, 12, 31))
    counts = selectors.certified_counts_by_county([D(2021, 12, 30), D(2021, 12, 31)])
    assert counts.get((A, D(2021, 12, 30)), 0) == 0
    assert counts[(A, D(2021, 12, 31))] == 1
    assert list(selectors.certified_worker_ids_on(D(2021, 12, 31))) == [w.pk]
    assert list(selectors.certified_worker_ids_on(D(2021, 12, 30))) == []


@pytest.mark.django_db
def test_revoked_certificate_stops_counting_on_the_revocation_date(network):
    w = make_worker("乙", network["township_a1"], 12)
    cert(w, Grade.SOCIAL_WORKER, "C2", D(2020, 3, 1), revoked=D(2022, 12, 31))
    counts = selectors.certified_counts_by_county([D(2021, 12, 31), D(2022, 12, 30), D(2022, 12, 31)])
    assert counts[(A, D(2021, 12, 31))] == 1
    assert counts[(A, D(2022, 12, 30))] == 1
    assert counts.get((A, D(2022, 12, 31)), 0) == 0


@pytest.mark.django_db
def test_a_person_counts_once_at_the_highest_grade(network):
    w = make_worker("丙", network["township_a1"], 13)
    cert(w, Grade.ASSISTANT, "C3", D(2019, 1, 1))
    cert(w, Grade.SOCIAL_WORKER, "C4", D(2021, 6, 1))
    cert(w, Grade.SENIOR, "C5", D(2022, 6, 1), revoked=D(2023, 1, 10))
    on = D(2022, 12, 31)
    assert selectors.certified_counts_by_county([on]) == {(A, on): 1}
    assert selectors.certified_counts_by_grade(on=on) == {Grade.SENIOR: 1}
    assert selectors.certified_counts_by_grade(on=D(2023, 1, 10)) == {Grade.SOCIAL_WORKER: 1}
    assert selectors.worker_grade_on(worker=w, on=D(2020, 12, 31)) == Grade.ASSISTANT
    assert selectors.certified_worker_ids_on(on).count() == 1


@pytest.mark.django_db
def test_history_at_past_year_ends_is_exact_after_later_changes(network):
    """Revoking or adding certificates later never changes an earlier 31 December count."""
    ws = [make_worker(f"丁{i}", network["township_b1"], 20 + i) for i in range(3)]
    cert(ws[0], Grade.ASSISTANT, "H0", D(2020, 5, 1))
    q1 = cert(ws[1], Grade.ASSISTANT, "H1", D(2021, 5, 1))
    ends = [D(2020, 12, 31), D(2021, 12, 31), D(2022, 12, 31)]
    before = selectors.certified_counts_by_county(ends)
    assert [before.get((B, d), 0) for d in ends] == [1, 2, 2]
    q1.revoked_on = D(2022, 3, 1)
    q1.save()
    cert(ws[2], Grade.SENIOR, "H2", D(2022, 7, 1))
    after = selectors.certified_counts_by_county(ends)
    assert [after.get((B, d), 0) for d in ends] == [1, 2, 2]
    assert after.get((A, D(2022, 12, 31)), 0) == 0
    assert selectors.year_ends(D(2023, 6, 1)) == [D(2020, 12, 31), D(2021, 12, 31), D(2022, 12, 31)]
    assert selectors.year_ends(D(2022, 12, 31))[-1] == D(2022, 12, 31)


@pytest.mark.django_db
def test_counts_group_by_county_and_township(network):
    cert(make_worker("戊", network["county_a"], 30), Grade.ASSISTANT, "G1", D(2020, 1, 1))
    cert(make_worker("己", network["township_a2"], 31), Grade.ASSISTANT, "G2", D(2020, 1, 1))
    make_worker("庚", network["township_a2"], 32)  # uncertified
    on = D(2021, 1, 1)
    assert selectors.certified_counts_by_county([on]) == {(A, on): 2}
    assert selectors.certified_counts_by_county([on], within="450223") == {}
    assert selectors.township_certified_counts(on=on) == {"450222102000": 1}


@pytest.mark.django_db
def test_stationed_certified_worker_covers_the_township(network):
    w = make_worker("辛", network["county_a"], 40)
    cert(w, Grade.ASSISTANT, "E1", D(2020, 1, 1))
    Assignment.objects.create(worker=w, station=network["station_a1"], start_on=D(2020, 2, 1))
    assert selectors.township_certified_counts(on=D(2021, 1, 1)) == {"450222101000": 1}
    assert selectors.township_certified_counts(on=D(2020, 1, 31)) == {}


@pytest.mark.django_db
def test_stationed_worker_counts_and_understaffing(network):
    st = network["station_a1"]
    w1, w2, sup = (make_worker(f"壬{i}", network["township_a1"], 50 + i) for i in range(3))
    Assignment.objects.create(worker=w1, station=st, start_on=D(2021, 1, 1), end_on=D(2021, 12, 31))
    Assignment.objects.create(worker=w2, station=st, start_on=D(2021, 6, 1))
    Assignment.objects.create(worker=sup, station=st, role=AssignmentRole.SUPERVISOR, start_on=D(2021, 1, 1))
    assert selectors.stationed_worker_counts(D(2021, 12, 31)) == {st.pk: 2}
    assert selectors.stationed_worker_counts(D(2022, 1, 1)) == {st.pk: 1}
    from stations.models import Station

    flagged = selectors.understaffed_stations(stations=Station.objects.all(), on=D(2021, 12, 31))
    assert {s.pk for s, _n in flagged} == {network["station_a2"].pk, network["station_b1"].pk, network["station_b2"].pk}


@pytest.mark.django_db
def test_qualification_deadlines_due_soon_overdue_and_setting(network):
    st = network["station_a1"]
    due = make_worker("癸1", network["township_a1"], 60)
    late = make_worker("癸2", network["township_a1"], 61)
    fresh = make_worker("癸3", network["township_a1"], 62)
    done = make_worker("癸4", network["township_a1"], 63)
    for w, months in ((due, 22), (late, 25), (fresh, 3), (done, 25)):
        Assignment.objects.create(worker=w, station=st, start_on=TODAY - relativedelta(months=months))
    cert(done, Grade.ASSISTANT, "Q1", TODAY - relativedelta(months=1))
    rows = selectors.qualification_deadlines(Assignment.objects.all(), TODAY)
    assert [(r.worker.name, r.state) for r in rows] == [("癸2", "overdue"), ("癸1", "due_soon")]
    assert rows[1].deadline == TODAY - relativedelta(months=22) + relativedelta(months=24)
    RuleSetting.objects.create(key="PRC-2.qualify_within_months", value=36)
    forget_rule_settings()
    assert selectors.qualification_deadlines(Assignment.objects.all(), TODAY) == []


@pytest.mark.django_db
def test_registration_reminders_window(network):
    w = make_worker("子", network["township_a1"], 70)
    years3 = relativedelta(years=3)
    cert(w, Grade.ASSISTANT, "R-DUE", D(2015, 1, 1), registered=TODAY - years3 + relativedelta(days=60))
    cert(w, Grade.ASSISTANT, "R-LATER", D(2015, 1, 1), registered=TODAY - years3 + relativedelta(months=4))
    cert(w, Grade.ASSISTANT, "R-EXPIRED", D(2015, 1, 1), registered=TODAY - years3 - relativedelta(days=1))
    cert(
        w, Grade.ASSISTANT, "R-REVOKED", D(2015, 1, 1), registered=TODAY - years3, revoked=TODAY - relativedelta(days=1)
    )
    rows = selectors.registration_reminders(Qualification.objects.all(), TODAY)
    assert [(r.qualification.certificate_no, r.expired) for r in rows] == [("R-EXPIRED", True), ("R-DUE", False)]


@pytest.mark.django_db
def test_certified_periods_agree_with_the_certificates(network):
    """The derived periods give exactly the counts computed straight from the certificates, through upgrades,
    overlaps, touching certificates, revocations, deletions and moves to another county."""
    import random

    from workforce import services
    from workforce.models import CertifiedSpan

    rng = random.Random(7)
    places = [network[k] for k in ("township_a1", "township_a2", "township_b1", "county_b")]
    workers = [make_worker(f"对照{i}", rng.choice(places), 300 + i) for i in range(40)]
    n = 0
    for w in workers:
        for _ in range(rng.randint(0, 3)):
            n += 1
            obtained = D(rng.randint(2015, 2023), rng.randint(1, 12), rng.randint(1, 28))
            revoked = obtained + datetime.timedelta(days=rng.randint(0, 1500)) if rng.random() < 0.3 else None
            cert(w, rng.choice(list(Grade)), f"P{n}", obtained, revoked=revoked)
    a = workers[0]
    cert(a, Grade.ASSISTANT, "T-1", D(2019, 1, 1), revoked=D(2020, 1, 1))
    cert(a, Grade.SOCIAL_WORKER, "T-2", D(2020, 1, 1))  # touching: one period
    Qualification.objects.filter(certificate_no="P3").delete()
    workers[1].place = network["township_b2"]
    workers[1].save()
    dates = [D(y, 12, 31) for y in range(2015, 2024)] + [D(2020, 1, 1), D(2019, 12, 31)]
    assert selectors.certified_counts_by_county(dates) == selectors.certified_counts_from_qualifications(dates)
    before = set(CertifiedSpan.objects.values_list("worker_id", "place_code", "start_on", "end_on"))
    services.certified_spans_refresh()
    assert set(CertifiedSpan.objects.values_list("worker_id", "place_code", "start_on", "end_on")) == before
    assert CertifiedSpan.objects.filter(worker=a, start_on__lte=D(2020, 1, 1)).count() == 1
