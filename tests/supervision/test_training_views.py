"""Training pages: the permission matrix of every page, the scope of lists and exports, the shortfall list with
its pro rata and filters, recording attendance at the page with bad input refused."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from supervision.models import Attendance, Course, Trainer
from tests.permkit import (
    CITY_ADMIN_ONLY,
    CREATE_FORM,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    READ_A1,
    READ_CITY_WIDE,
    Case,
    ScopeCase,
    client_for,
    list_scope_test,
    permission_matrix_test,
)

from .training_fixtures import trn  # noqa: F401

pytestmark = pytest.mark.usefixtures("trn")


def T(n):
    return n["trn"]


READ_WRITERS = READ_CITY_WIDE | {"city_viewer": FORBIDDEN, "evaluator": FORBIDDEN, "api_client": FORBIDDEN}
# A county A record read by everyone in county A (and its townships, providers and evaluators).
READ_COUNTY_A_COURSE = READ_A1 | {"evaluator": OK}
EDIT_COUNTY_A_COURSE = {
    "city_admin": OK,
    "city_viewer": FORBIDDEN,
    "officer_a": OK,
    "officer_b": NOT_FOUND,
    "station_worker": FORBIDDEN,
    "provider": FORBIDDEN,
    "evaluator": FORBIDDEN,
    "api_client": LOGIN,
    "anonymous": LOGIN,
}
EDIT_A1_FORM = {
    "city_admin": OK,
    "city_viewer": FORBIDDEN,
    "officer_a": OK,
    "officer_b": NOT_FOUND,
    "station_worker": OK,
    "provider": OK,
    "evaluator": FORBIDDEN,
    "api_client": LOGIN,
    "anonymous": LOGIN,
}

PERMISSION_MATRIX = [
    Case("supervision:training_hours", READ_CITY_WIDE),
    Case("supervision:training_hours", READ_CITY_WIDE, query="year=2023&export=xlsx"),
    Case("supervision:worker_training", READ_A1, args=lambda n: [T(n)["jia"].pk]),
    Case("supervision:trainer_list", READ_CITY_WIDE),
    Case("supervision:trainer_create", CREATE_FORM),
    Case("supervision:trainer_detail", READ_CITY_WIDE, args=lambda n: [T(n)["trainer"].pk]),
    Case("supervision:trainer_edit", CITY_ADMIN_ONLY, args=lambda n: [T(n)["trainer"].pk]),
    Case("supervision:course_list", READ_CITY_WIDE),
    Case("supervision:course_create", CREATE_FORM),
    Case("supervision:course_detail", READ_COUNTY_A_COURSE, args=lambda n: [T(n)["course_a"].pk]),
    Case("supervision:course_detail", READ_CITY_WIDE, args=lambda n: [T(n)["city_course"].pk]),
    Case("supervision:course_edit", EDIT_COUNTY_A_COURSE, args=lambda n: [T(n)["course_a"].pk]),
    Case("supervision:attendance_list", READ_CITY_WIDE),
    Case("supervision:attendance_create", CREATE_FORM),
    Case("supervision:attendance_detail", READ_A1, args=lambda n: [T(n)["att"]["jia_a"].pk]),
    Case("supervision:attendance_edit", EDIT_A1_FORM, args=lambda n: [T(n)["att"]["jia_a"].pk]),
    Case("supervision:attendance_delete", EDIT_A1_FORM, args=lambda n: [T(n)["att"]["jia_a"].pk]),
    Case("supervision:attendance_template", READ_CITY_WIDE),
    Case("supervision:attendance_import", READ_WRITERS),
]
test_permission_matrix = permission_matrix_test(PERMISSION_MATRIX)

ALL = ["city_admin", "city_viewer", "officer_a", "officer_b", "station_worker", "provider", "evaluator", "api_client"]
CITY = {"city_admin", "city_viewer"}
A1 = CITY | {"officer_a", "api_client", "station_worker", "provider"}
B1 = CITY | {"officer_b"}


def _who(groups):
    def visible(n):
        out = {p: set() for p in ALL}
        for personas_, labels in groups:
            for p in personas_:
                out[p] |= labels
        return out

    return visible


WORKERS = _who([(A1, {"驻站甲"}), (B1, {"驻站丙"})])
COURSES = _who(
    [
        (set(ALL), {"社会救助政策解读"}),
        (A1 | {"evaluator"}, {"柳城县个案工作实务"}),
        (B1, {"鹿寨县小组工作"}),
    ]
)
SCOPE_CASES = [
    ScopeCase("supervision:training_hours", WORKERS, query="year=2023&short=0"),
    ScopeCase("supervision:training_hours", WORKERS, mode="export", query="year=2023&short=0"),
    ScopeCase("supervision:attendance_list", WORKERS, query="year=2023"),
    ScopeCase("supervision:attendance_list", WORKERS, mode="export"),
    ScopeCase("supervision:course_list", COURSES),
    ScopeCase("supervision:course_list", COURSES, mode="export"),
]
test_list_scope = list_scope_test(SCOPE_CASES)


def _rows(response):
    return {r.worker.name: r for r, _values in response.context["rows"]}


@pytest.mark.django_db
def test_the_shortfall_list_shows_who_is_short_and_by_how_much(client, personas, network):
    c = client_for(client, personas, "officer_a")
    rows = _rows(c.get(reverse("supervision:training_hours"), {"year": 2023, "short": "0"}))
    assert rows["驻站甲"].required == Decimal("48.0") and rows["驻站甲"].hours == Decimal(40)
    assert rows["驻站甲"].shortfall == Decimal(8) and not rows["驻站甲"].meets
    # 乙 stationed from 1 July: 48 × 184 ÷ 365 = 24.2 h required, 24.5 h done.
    assert rows["驻站乙"].required == Decimal("24.2") and rows["驻站乙"].meets and rows["驻站乙"].part_year
    short = _rows(c.get(reverse("supervision:training_hours"), {"year": 2023}))
    assert set(short) == {"驻站甲"}
    page = c.get(reverse("supervision:training_hours"), {"year": 2023}).content.decode()
    assert "days stationed in the year" in page or "驻站天数" in page  # the pro rata is explained on screen


@pytest.mark.django_db
def test_recording_hours_at_the_page_takes_the_worker_off_the_shortfall_list(client, personas, network):
    t = network["trn"]
    c = client_for(client, personas, "station_worker")
    response = c.post(
        reverse("supervision:attendance_create"),
        {"course": t["online"].pk, "worker": t["jia"].pk, "attended_on": "2023-11-02", "hours": "8"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Attendance.objects.filter(worker=t["jia"]).count() == 5
    short = _rows(c.get(reverse("supervision:training_hours"), {"year": 2023}))
    assert "驻站甲" not in short


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"attended_on": "2023-04-01", "hours": "8"}, "attended_on", "SUP-2"),  # not a day of the county course
        ({"attended_on": "2023-05-18", "hours": "17"}, "hours", "24"),  # 8 h already that day at the county course
        ({"attended_on": "2023-05-18", "hours": "0"}, "hours", "SUP-2"),
        ({"attended_on": "2099-05-18", "hours": "2"}, "attended_on", "SUP-2"),
    ],
)
def test_bad_attendance_is_refused_naming_the_field_and_nothing_is_saved(
    client, personas, network, data, field, message
):
    t = network["trn"]
    c = client_for(client, personas, "officer_a")
    before = Attendance.objects.count()
    course = t["course_a"] if data["attended_on"] != "2023-05-18" or data["hours"] == "0" else t["online"]
    response = c.post(reverse("supervision:attendance_create"), {"course": course.pk, "worker": t["jia"].pk, **data})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert Attendance.objects.count() == before


@pytest.mark.django_db
def test_a_county_cannot_record_a_course_for_the_city_or_another_county(client, personas, network):
    c = client_for(client, personas, "officer_a")
    base = {
        "title": "新课程",
        "kind": "basic_policy",
        "mode": "offline",
        "organiser_level": "county",
        "start_on": "2023-04-01",
        "end_on": "2023-04-01",
        "hours": "4",
    }
    response = c.post(reverse("supervision:course_create"), base | {"place": network["county_b"].code})
    assert response.status_code == 200 and "place" in response.context["form"].errors
    response = c.post(reverse("supervision:course_create"), base | {"place": network["county_a"].code, "hours": "30"})
    assert "hours" in response.context["form"].errors
    response = c.post(
        reverse("supervision:course_create"), base | {"place": network["county_a"].code, "kind": "field_specific"}
    )
    assert "field" in response.context["form"].errors
    assert not Course.objects.filter(title="新课程").exists()
    response = c.post(reverse("supervision:course_create"), base | {"place": network["county_a"].code})
    assert response.status_code == 302 and Course.objects.filter(title="新课程", place=network["county_a"]).exists()


@pytest.mark.django_db
def test_only_the_city_keeps_the_trainer_pool(client, personas, network):
    t = network["trn"]
    data = {"place": network["city"].code, "name": "王老师", "fields": [t["minors"].pk], "active": "on"}
    response = client_for(client, personas, "officer_a").post(reverse("supervision:trainer_create"), data)
    assert response.status_code == 200 and not Trainer.objects.filter(name="王老师").exists()
    response = client_for(client, personas, "city_admin").post(
        reverse("supervision:trainer_create"), data | {"fields": []}
    )
    assert "fields" in response.context["form"].errors
    response = client_for(client, personas, "city_admin").post(reverse("supervision:trainer_create"), data)
    assert response.status_code == 302 and Trainer.objects.get(name="王老师").fields.get() == t["minors"]
    page = client_for(client, personas, "station_worker").get(
        reverse("supervision:trainer_detail", args=[t["trainer"].pk])
    )
    assert "社会救助政策解读" in page.content.decode()


@pytest.mark.django_db
def test_the_worker_page_shows_each_year_with_its_history(client, personas, network):
    t = network["trn"]
    page = client_for(client, personas, "officer_a").get(reverse("supervision:worker_training", args=[t["yi"].pk]))
    standings = {s.year: s for s in page.context["standings"]}
    assert standings[2023].required == Decimal("24.2") and standings[2023].stationed_days == 184
    assert datetime.date(2023, 8, 1) in [a.attended_on for a in page.context["attendances"]]
