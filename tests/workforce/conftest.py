"""A small workforce on the test network: organisations, workers, certificates, assignments."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from workforce.choices import Education, Gender, Grade
from workforce.identifiers import make_credit_code, make_id_number
from workforce.models import Assignment, Organisation, Qualification, Worker

TODAY = timezone.localdate()


def make_worker(name, place, seq, birth=datetime.date(1990, 5, 17), male=True, **kwargs):
    return Worker.objects.create(
        name=name,
        place=place,
        id_number=make_id_number(place.code, birth, seq, male),
        birth_date=birth,
        gender=Gender.MALE if male else Gender.FEMALE,
        education=Education.BACHELOR,
        phone="13807720001",
        **kwargs,
    )


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Evidence uploads and pending roster files go to a throw-away folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def wf(network):
    """Also re-creates the plan's categories of migration 0003, which a transactional test's flush removes."""
    from workforce.services import specialisation_categories_ensure

    specialisation_categories_ensure()
    n = network
    org_a = Organisation.objects.create(
        name="阳光社工服务中心",
        credit_code=make_credit_code("450222", 1),
        county=n["county_a"],
        scope_includes_social_work=True,
        incubation_base="柳城县社会组织孵化基地",
        incubated_year=2021,
    )
    org_b = Organisation.objects.create(
        name="鹿寨同心社工",
        credit_code=make_credit_code("450223", 2),
        county=n["county_b"],
        scope_includes_social_work=True,
        incubated_year=2022,
    )
    zhang = make_worker("张晓明", n["township_a1"], 1, organisation=org_a)
    li = make_worker("李秀英", n["township_a2"], 2, male=False, organisation=org_a)
    wang = make_worker("王建国", n["township_b1"], 3, organisation=org_b)
    q_zhang = Qualification.objects.create(
        worker=zhang,
        grade=Grade.ASSISTANT,
        certificate_no="ZS2019001",
        obtained_on=datetime.date(2019, 6, 20),
        registered_on=TODAY - relativedelta(years=3) + relativedelta(days=30),
    )
    q_wang = Qualification.objects.create(
        worker=wang, grade=Grade.SOCIAL_WORKER, certificate_no="ZS2021002", obtained_on=datetime.date(2021, 10, 1)
    )
    a_zhang = Assignment.objects.create(
        worker=zhang, station=n["station_a1"], organisation=org_a, start_on=datetime.date(2020, 6, 1)
    )
    a_li = Assignment.objects.create(
        worker=li, station=n["station_a2"], organisation=org_a, start_on=TODAY - relativedelta(months=23)
    )
    objects = {
        "org_a": org_a,
        "org_b": org_b,
        "zhang": zhang,
        "li": li,
        "wang": wang,
        "q_zhang": q_zhang,
        "q_wang": q_wang,
        "a_zhang": a_zhang,
        "a_li": a_li,
    }
    n.update(objects)  # permission-matrix cases find the records through the network dict
    return objects
