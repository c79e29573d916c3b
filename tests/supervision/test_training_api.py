"""Training API: permission matrix of every endpoint, scope of the lists, writes through the services (bad input
answers 400 naming the field, nothing saved), the SUP-2 standings, and the endpoints in the OpenAPI schema."""

import pytest
from django.urls import reverse

from supervision.models import Attendance
from tests.permkit import (
    CREATED,
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


def _attendance(n):
    return {"course": T(n)["online"].pk, "worker": T(n)["jia"].pk, "attended_on": "2023-11-02", "hours": "4"}


def _course(n):
    return {
        "title": "API课程",
        "kind": "basic_competence",
        "mode": "offline",
        "organiser_level": "county",
        "place": n["county_a"].code,
        "start_on": "2023-04-01",
        "end_on": "2023-04-01",
        "hours": "6",
    }


WRITE_A1_API = {
    "city_admin": CREATED,
    "city_viewer": FORBIDDEN,
    "officer_a": CREATED,
    "officer_b": 400,  # the worker is not among the choices of county B
    "station_worker": CREATED,
    "provider": CREATED,
    "evaluator": FORBIDDEN,
    "api_client": FORBIDDEN,
    "anonymous": LOGIN,
}
COURSE_CREATE = WRITE_A1_API | {"officer_b": 400, "station_worker": 400, "provider": 400}
PATCH_A1 = {
    "city_admin": OK,
    "city_viewer": FORBIDDEN,
    "officer_a": OK,
    "officer_b": NOT_FOUND,
    "station_worker": OK,
    "provider": OK,
    "evaluator": FORBIDDEN,
    "api_client": FORBIDDEN,
    "anonymous": LOGIN,
}

API_PERMISSION_MATRIX = [
    Case("supervision-api:training-trainer-list", READ_CITY_WIDE, api=True),
    Case("supervision-api:training-trainer-detail", READ_CITY_WIDE, args=lambda n: [T(n)["trainer"].pk], api=True),
    Case("supervision-api:training-course-list", READ_CITY_WIDE, api=True),
    Case("supervision-api:training-course-list", COURSE_CREATE, method="post", data=_course, api=True),
    Case(
        "supervision-api:training-course-detail",
        READ_A1 | {"evaluator": OK},
        args=lambda n: [T(n)["course_a"].pk],
        api=True,
    ),
    Case(
        "supervision-api:training-course-detail",
        PATCH_A1 | {"station_worker": FORBIDDEN, "provider": FORBIDDEN},
        args=lambda n: [T(n)["course_a"].pk],
        method="patch",
        data=lambda n: {"hours": "7"},
        api=True,
    ),
    Case("supervision-api:training-attendance-list", READ_CITY_WIDE, api=True),
    Case("supervision-api:training-attendance-list", WRITE_A1_API, method="post", data=_attendance, api=True),
    Case("supervision-api:training-attendance-standings", READ_CITY_WIDE, query="year=2023", api=True),
    Case("supervision-api:training-attendance-detail", READ_A1, args=lambda n: [T(n)["att"]["jia_a"].pk], api=True),
    Case(
        "supervision-api:training-attendance-detail",
        PATCH_A1,
        args=lambda n: [T(n)["att"]["jia_a"].pk],
        method="patch",
        data=lambda n: {"hours": "6"},
        api=True,
    ),
]
test_api_permission_matrix = permission_matrix_test(API_PERMISSION_MATRIX)

ALL = ["city_admin", "city_viewer", "officer_a", "officer_b", "station_worker", "provider", "evaluator", "api_client"]
A1 = {"city_admin", "city_viewer", "officer_a", "api_client", "station_worker", "provider"}


def _ids(key, who):
    def visible(n):
        return {p: ({str(T(n)["att"][key].pk)} if p in who else set()) for p in ALL}

    return visible


SCOPE_CASES = [
    ScopeCase("supervision-api:training-attendance-list", _ids("jia_a", A1), mode="api"),
    ScopeCase(
        "supervision-api:training-attendance-list",
        _ids("bing_b", {"city_admin", "city_viewer", "officer_b"}),
        mode="api",
    ),
]
test_list_scope = list_scope_test(SCOPE_CASES)


@pytest.mark.django_db
def test_the_api_refuses_more_than_24_hours_in_a_day_and_saves_nothing(client, personas, network):
    t = network["trn"]
    before = Attendance.objects.count()
    response = client_for(client, personas, "officer_a").post(
        reverse("supervision-api:training-attendance-list"),
        {"course": t["online"].pk, "worker": t["jia"].pk, "attended_on": "2023-05-18", "hours": "16.5"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "hours" in response.json()["errors"]
    assert Attendance.objects.count() == before


@pytest.mark.django_db
def test_the_standings_give_the_shortfall_of_each_worker(client, personas):
    rows = (
        client_for(client, personas, "officer_a")
        .get(reverse("supervision-api:training-attendance-standings"), {"year": 2023})
        .json()
    )
    by_name = {r["worker_name"]: r for r in rows}
    assert by_name["驻站甲"]["shortfall"] == "8.0" and by_name["驻站甲"]["meets"] is False
    assert by_name["驻站乙"]["required"] == "24.2" and by_name["驻站乙"]["meets"] is True
    assert "驻站丙" not in by_name


@pytest.mark.django_db
def test_the_training_endpoints_are_in_the_openapi_schema(client, personas):
    schema = client_for(client, personas, "city_admin").get(reverse("api-schema")).content.decode()
    for path in ("training-courses", "training-attendance", "training-trainers", "standings"):
        assert path in schema


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["0", "10000", "2023.5"])
def test_a_year_outside_the_calendar_is_bad_input_not_a_server_error(client, personas, year):
    """The API answers 400 naming the filter; the page shows its list with the filter's error."""
    c = client_for(client, personas, "officer_a")
    for route in ("supervision-api:training-attendance-list", "supervision-api:training-course-list"):
        response = c.get(reverse(route), {"year": year})
        assert response.status_code == 400 and "year" in str(response.json()), (route, response.status_code)
    for route in ("supervision:attendance_list", "supervision:course_list"):
        response = c.get(reverse(route), {"year": year})
        assert response.status_code == 200, (route, response.status_code)
