"""A training scenario on the shared network (tests/conftest.py), for the test_training_* modules.

The city's trainer pool holds 李老师 (minors protection); a city course in 2023 (16 h, two days) and a course of
county A (8 h, one day) and of county B. Workers: 驻站甲 stationed at A1 all year since 2020, 驻站乙 stationed at
A1 from 1 July 2023, 驻站丙 at B1 since 2020. Attendance in 2023: 甲 40 h (short by 8), 乙 24.5 h (meets its pro
rata 24.2 h), 丙 48 h (meets).
"""

import datetime
from decimal import Decimal

import pytest

from supervision.models import Attendance, Course, Trainer
from tests.factories import AssignmentFactory, WorkerFactory
from workforce.models import SpecialisationCategory

D = datetime.date


def course(place, title, start, end, hours, level="city", kind="basic_policy", mode="offline"):
    return Course.objects.create(
        title=title,
        kind=kind,
        mode=mode,
        organiser_level=level,
        place=place,
        start_on=start,
        end_on=end,
        hours=Decimal(hours),
    )


def attend(course_, worker, day, hours, source="form"):
    return Attendance.objects.create(
        course=course_, worker=worker, attended_on=day, hours=Decimal(hours), source=source
    )


@pytest.fixture
def trn(network, personas):
    personas.all()  # the records below assume every account (the provider's contract)
    n = network
    minors, _ = SpecialisationCategory.objects.get_or_create(
        code="minors_protection", defaults={"name": "未成年人保护", "in_plan": True}
    )
    trainer = Trainer.objects.create(
        place=n["city"], name="李老师", employer="广西科技大学", specialities="儿童保护个案"
    )
    trainer.fields.set([minors])
    city_course = course(n["city"], "社会救助政策解读", D(2023, 3, 1), D(2023, 3, 2), 16)
    city_course.trainers.set([trainer])
    online = course(
        n["city"], "全国社会工作信息系统网络培训", D(2023, 1, 1), D(2023, 12, 31), 100, "national_online", mode="online"
    )
    county_a = course(
        n["county_a"], "柳城县个案工作实务", D(2023, 5, 18), D(2023, 5, 18), 8, "county", "basic_competence"
    )
    county_b = course(n["county_b"], "鹿寨县小组工作", D(2023, 6, 8), D(2023, 6, 8), 8, "county", "basic_competence")
    jia = WorkerFactory(name="驻站甲", place=n["township_a1"], id_number="450222199001011234")
    yi = WorkerFactory(name="驻站乙", place=n["township_a1"])
    bing = WorkerFactory(name="驻站丙", place=n["township_b1"])
    AssignmentFactory(worker=jia, station=n["station_a1"], start_on=D(2020, 1, 1))
    AssignmentFactory(worker=yi, station=n["station_a1"], start_on=D(2023, 7, 1))
    AssignmentFactory(worker=bing, station=n["station_b1"], start_on=D(2020, 1, 1))
    att = {
        "jia_city": attend(city_course, jia, D(2023, 3, 1), 8),
        "jia_city2": attend(city_course, jia, D(2023, 3, 2), 8),
        "jia_a": attend(county_a, jia, D(2023, 5, 18), 8),
        "jia_online": attend(online, jia, D(2023, 9, 1), 16),
        "yi_online": attend(online, yi, D(2023, 8, 1), "12.5"),
        "yi_online2": attend(online, yi, D(2023, 8, 2), 12),
        "bing_b": attend(county_b, bing, D(2023, 6, 8), 8),
        **{f"bing_online{i}": attend(online, bing, D(2023, 2, i), 8) for i in range(1, 6)},
    }
    data = {
        "trainer": trainer,
        "minors": minors,
        "city_course": city_course,
        "online": online,
        "course_a": county_a,
        "course_b": county_b,
        "jia": jia,
        "yi": yi,
        "bing": bing,
        "att": att,
    }
    n["trn"] = data
    return data
