"""SUP-1 permission matrix: every supervision page and endpoint for every persona (tests/permkit.py). The station
worker (township A1) sees its own station's logs only and is the one who confirms them; the provider's staff and
the county record them; plans are kept by the county and the city."""

import datetime

import pytest

from tests.permkit import (
    CREATE_FORM,
    FORBIDDEN,
    FOUND,
    LOGIN,
    NOT_FOUND,
    OK,
    PERSONAS,
    READ_A1,
    READ_CITY_WIDE,
    Case,
    ScopeCase,
    list_scope_test,
    permission_matrix_test,
)
from tests.supervision.sup_fixtures import sup  # noqa: F401  (the fixture)

pytestmark = pytest.mark.usefixtures("sup_in_network")

CREATED, BAD = 201, 400


@pytest.fixture
def sup_in_network(sup, network):  # noqa: F811
    """The supervision records, reachable by the cases' ``args`` through the network dict."""
    network["sup_log"] = sup["log"]
    network["sup_log_b"] = sup["log_b"]
    network["sup_plan"] = sup["plan"]
    network["sup_supervisor"] = sup["supervisor"]
    network["sup_last_month"] = sup["last_month"]
    return network


def _log_form(n):
    day = n["sup_last_month"].replace(day=12)
    return {
        "station": n["station_a1"].pk,
        "supervisor": n["sup_supervisor"].pk,
        "held_on": day.isoformat(),
        "days": 2,
        "start_time": "09:00",
        "end_time": "17:00",
        "method": "case_conference",
        "content": "个案研讨",
        "follow_up": "",
    }


def _log_api(n):
    return {k: v for k, v in _log_form(n).items() if k != "follow_up"}


RECORDING_PAGE = {
    "city_admin": OK,
    "city_viewer": FORBIDDEN,
    "officer_a": OK,
    "officer_b": OK,
    "station_worker": FORBIDDEN,
    "provider": OK,
    "evaluator": FORBIDDEN,
    "api_client": LOGIN,
    "anonymous": LOGIN,
}
RECORD_POST = RECORDING_PAGE | {"city_admin": FOUND, "officer_a": FOUND, "provider": FOUND, "officer_b": OK}
EDIT_A1 = RECORDING_PAGE | {"officer_b": NOT_FOUND}
CONFIRM_A1 = {
    "city_admin": FORBIDDEN,
    "city_viewer": FORBIDDEN,
    "officer_a": FORBIDDEN,
    "officer_b": NOT_FOUND,
    "station_worker": OK,
    "provider": FORBIDDEN,
    "evaluator": NOT_FOUND,
    "api_client": LOGIN,
    "anonymous": LOGIN,
}
PLAN_READ = READ_A1 | {"evaluator": OK}
PLAN_KEEP = {
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
PLAN_CREATE = CREATE_FORM | {"station_worker": FORBIDDEN, "provider": FORBIDDEN, "api_client": LOGIN}
OWN_STATION_ONLY_B1 = READ_A1 | {
    "officer_a": NOT_FOUND,
    "officer_b": OK,
    "station_worker": NOT_FOUND,
    "provider": NOT_FOUND,
    "api_client": NOT_FOUND,
}

PERMISSION_MATRIX = [
    Case("supervision:log_list", READ_CITY_WIDE),
    Case("supervision:log_list", READ_CITY_WIDE, query="export=xlsx"),
    Case("supervision:log_detail", READ_A1, args=lambda n: [n["sup_log"].pk]),
    Case("supervision:log_detail", OWN_STATION_ONLY_B1, args=lambda n: [n["sup_log_b"].pk]),
    Case("supervision:log_create", RECORDING_PAGE),
    Case("supervision:log_create", RECORD_POST, method="post", data=_log_form),
    Case("supervision:log_edit", EDIT_A1, args=lambda n: [n["sup_log"].pk]),
    Case("supervision:log_confirm", CONFIRM_A1, args=lambda n: [n["sup_log"].pk]),
    Case(
        "supervision:log_confirm",
        CONFIRM_A1 | {"station_worker": FOUND},
        args=lambda n: [n["sup_log"].pk],
        method="post",
    ),
    Case("supervision:supervision_plan_list", READ_CITY_WIDE),
    Case("supervision:supervision_plan_detail", PLAN_READ, args=lambda n: [n["sup_plan"].pk]),
    Case("supervision:supervision_plan_create", PLAN_CREATE),
    Case("supervision:supervision_plan_edit", PLAN_KEEP, args=lambda n: [n["sup_plan"].pk]),
    Case("supervision:supervision_plan_station_add", PLAN_KEEP, args=lambda n: [n["sup_plan"].pk]),
    Case("supervision:supervisor_list", READ_CITY_WIDE),
    Case("supervision:heat_map", READ_CITY_WIDE),
    Case(
        "supervision:heat_map",
        READ_CITY_WIDE | {"officer_b": NOT_FOUND},
        query="county=450222000000&year=2023",
    ),
]

API_READ_A1 = READ_A1 | {"anonymous": LOGIN}
API_PERMISSION_MATRIX = [
    Case("supervision-api:supervision-log-list", READ_CITY_WIDE, api=True),
    Case("supervision-api:supervision-log-detail", API_READ_A1, args=lambda n: [n["sup_log"].pk], api=True),
    Case("supervision-api:supervision-log-detail", OWN_STATION_ONLY_B1, args=lambda n: [n["sup_log_b"].pk], api=True),
    Case(
        "supervision-api:supervision-log-list",
        {
            "city_admin": CREATED,
            "city_viewer": FORBIDDEN,
            "officer_a": CREATED,
            "officer_b": BAD,
            "station_worker": FORBIDDEN,
            "provider": CREATED,
            "evaluator": FORBIDDEN,
            "api_client": FORBIDDEN,
            "anonymous": LOGIN,
        },
        method="post",
        data=_log_api,
        api=True,
    ),
    Case(
        "supervision-api:supervision-log-confirm",
        CONFIRM_A1 | {"city_viewer": FORBIDDEN, "evaluator": FORBIDDEN, "api_client": FORBIDDEN},
        args=lambda n: [n["sup_log"].pk],
        method="post",
        api=True,
    ),
    Case("supervision-api:supervisor-station-list", READ_CITY_WIDE, api=True),
    Case(
        "supervision-api:supervisor-station-detail",
        API_READ_A1 | {"evaluator": NOT_FOUND},
        args=lambda n: [n["station_a1"].assignments.filter(role="supervisor").get().pk],
        api=True,
    ),
]

test_permission_matrix = permission_matrix_test(PERMISSION_MATRIX)
test_api_permission_matrix = permission_matrix_test(API_PERMISSION_MATRIX)


def _visible_logs(n, a1="个案督导：入户评估记录", b1="小组督导"):
    return {
        "city_admin": {a1, b1},
        "city_viewer": {a1, b1},
        "officer_a": {a1},
        "officer_b": {b1},
        "station_worker": {a1},  # its own station's logs only
        "provider": {a1},
        "evaluator": set(),
        "api_client": {a1},
    }


SCOPE_CASES = [
    ScopeCase("supervision:log_list", lambda n: _visible_logs(n, "督导甲", "督导乙"), mode="export"),
    ScopeCase("supervision:log_list", lambda n: _visible_logs(n, "督导甲", "督导乙")),
    ScopeCase("supervision-api:supervision-log-list", lambda n: _visible_logs(n), mode="api", api_label="content"),
]
test_list_scope = list_scope_test(SCOPE_CASES)

assert set(PERSONAS) >= set(READ_A1)
D = datetime.date
