"""The permission-matrix kit (CONVENTIONS 8), after NetBox's view/API test kit.

A test module declares cases; the kit turns them into one test per (case, persona):

    PERMISSION_MATRIX = [
        Case("stations:station_detail", args=lambda n: [n["station_a1"].pk], expect=READ_A1),
        Case("stations:station_edit", args=..., method="post", data=..., expect=WRITE_A1),
    ]
    test_permission_matrix = permission_matrix_test(PERMISSION_MATRIX)

and lists, exports and API lists declare which personas see which records:

    SCOPE_CASES = [ScopeCase("stations:station_list", visible=lambda n: {...}, label=str)]
    test_list_scope = list_scope_test(SCOPE_CASES)

The audit test (tests/test_permission_audit.py) fails if a URL of the portal has no case.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from openpyxl import load_workbook

PERSONAS = [
    "city_admin",
    "city_viewer",
    "officer_a",
    "officer_b",
    "station_worker",
    "provider",
    "evaluator",
    "api_client",
    "anonymous",
]

OK, CREATED, FOUND, FORBIDDEN, NOT_FOUND, UNAUTHORISED = 200, 201, 302, 403, 404, 401
LOGIN = "login"  # anonymous on a page: redirected to the login page

# Common expectations. "A" objects live in county A (柳城县), township A1 unless said otherwise.
READ_CITY_WIDE = dict.fromkeys(PERSONAS, OK) | {"anonymous": LOGIN}
READ_A1 = {
    "city_admin": OK,
    "city_viewer": OK,
    "officer_a": OK,
    "officer_b": NOT_FOUND,
    "station_worker": OK,
    "provider": OK,
    "evaluator": NOT_FOUND,
    "api_client": OK,
    "anonymous": LOGIN,
}
READ_A2 = READ_A1 | {"station_worker": NOT_FOUND, "evaluator": OK}
READ_COUNTY_A = READ_A1 | {"station_worker": NOT_FOUND, "provider": NOT_FOUND, "evaluator": NOT_FOUND}
# Writes on an A1 object: read-only roles 403, outsiders 404.
WRITE_A1 = {
    "city_admin": FOUND,
    "city_viewer": FORBIDDEN,
    "officer_a": FOUND,
    "officer_b": NOT_FOUND,
    "station_worker": FOUND,
    "provider": FOUND,
    "evaluator": FORBIDDEN,
    "api_client": FORBIDDEN,
    "anonymous": LOGIN,
}
# Creating a record (the form page itself): any writing role, read-only roles 403.
CREATE_FORM = dict.fromkeys(PERSONAS, OK) | {
    "city_viewer": FORBIDDEN,
    "evaluator": FORBIDDEN,
    "api_client": FORBIDDEN,
    "anonymous": LOGIN,
}
CITY_ADMIN_ONLY = dict.fromkeys(PERSONAS, FORBIDDEN) | {"city_admin": OK, "anonymous": LOGIN}


@dataclass
class Case:
    url: str
    expect: dict[str, int]
    args: Callable[[dict], list] | None = None
    method: str = "get"
    data: Callable[[dict], dict] | None = None
    api: bool = False  # JSON API: anonymous answers 401/403 instead of a login redirect
    query: str = ""

    def __str__(self):
        return f"{self.method.upper()} {self.url}{'?' + self.query if self.query else ''}"


@dataclass
class ScopeCase:
    """A list (page, export or API) and, per persona, the labels of the records it must show."""

    url: str
    visible: Callable[[dict], dict[str, set[str]]]
    mode: str = "page"  # page | export | api
    api_label: str = "id"
    query: str = ""
    args: Callable[[dict], list] | None = None
    all_labels: Callable[[dict], set[str]] | None = field(default=None)


def client_for(client, personas, name):
    client.logout()
    if personas.get(name) is not None:
        client.force_login(personas[name])
    return client


def _url(case: Case, network) -> str:
    url = reverse(case.url, args=case.args(network) if case.args else None)
    return url + "?" + case.query if case.query else url


def _request(client, case: Case, network, url: str):
    data = case.data(network) if case.data else {}
    if case.api and case.method in ("post", "put", "patch"):
        return getattr(client, case.method)(url, data, content_type="application/json")
    return getattr(client, case.method)(url, data)


def permission_matrix_test(cases: list[Case]):
    @pytest.mark.django_db
    @pytest.mark.parametrize("persona", PERSONAS)
    @pytest.mark.parametrize("case", cases, ids=str)
    def test(case, persona, client, network, personas):
        expected = case.expect[persona]
        url = _url(case, network)
        if persona == "api_client" and not url.startswith("/api/") and case.url != "login":
            expected = LOGIN  # the API client has no web pages (network.roles.may_use_pages)
        response = _request(client_for(client, personas, persona), case, network, url)
        if expected == LOGIN:
            if case.api:
                assert response.status_code in (UNAUTHORISED, FORBIDDEN), (persona, response.status_code)
            else:
                assert response.status_code == FOUND and "/accounts/login/" in response["Location"], (
                    persona,
                    response.status_code,
                )
            return
        assert response.status_code == expected, (
            f"{case} as {persona}: expected {expected}, got {response.status_code}: "
            f"{getattr(response, 'content', b'')[:300]!r}"
        )

    return test


def _labels_in_export(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        " ".join("" if v is None else str(v) for v in row) for ws in wb for row in ws.iter_rows(values_only=True)
    )


def list_scope_test(cases: list[ScopeCase]):
    """Each persona's list shows exactly its labels: all expected present, every other label absent."""

    @pytest.mark.django_db
    @pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
    @pytest.mark.parametrize("case", cases, ids=lambda c: f"{c.mode}:{c.url}")
    def test(case, persona, client, network, personas):
        visible = case.visible(network)
        mine = visible.get(persona, set())
        everything = set().union(*visible.values()) if visible else set()
        url = reverse(case.url, args=case.args(network) if case.args else None)
        query = case.query
        if case.mode == "export":
            # An export with unmasked personal data asks a reason first (tests/test_personal_data_log.py).
            query = (query + "&" if query else "") + "export=xlsx&reason=scope-test"
        if case.mode == "api":
            query = (query + "&" if query else "") + "page_size=1000"
        response = client_for(client, personas, persona).get(url + ("?" + query if query else ""))
        if persona == "api_client" and not url.startswith("/api/"):
            # The API client has no web pages (network.roles.may_use_pages): its session is ended.
            assert response.status_code == FOUND and "/accounts/login/" in response["Location"]
            return
        assert response.status_code == 200, (persona, response.status_code)
        if case.mode == "api":
            data = response.json()
            rows = data["results"] if isinstance(data, dict) and "results" in data else data
            shown = {str(r[case.api_label]) for r in rows}
            assert mine <= shown, f"{persona} misses {mine - shown}"
            assert not (shown & (everything - mine)), f"{persona} sees {shown & (everything - mine)}"
            return
        text = _labels_in_export(response) if case.mode == "export" else response.content.decode()
        for label in mine:
            assert label in text, f"{persona} should see {label} in {case.mode} {case.url}"
        for label in everything - mine:
            assert label not in text, f"{persona} must not see {label} in {case.mode} {case.url}"

    return test
