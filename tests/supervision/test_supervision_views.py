"""SUP-1 pages: the heat map's colours, the station page's panel (through the stations.panels registry), the
rule stated on screen, and query counts that do not grow with the rows."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.supervision.helpers import supervision_log
from tests.supervision.sup_fixtures import sup  # noqa: F401

D = datetime.date
pytestmark = pytest.mark.django_db


def test_heat_map_colours_and_rule(client, network, personas, sup):  # noqa: F811
    a1, a2 = network["station_a1"], network["station_a2"]
    supervision_log(a1, D(2023, 3, 31), hours=16, days=2)
    supervision_log(a2, D(2023, 3, 5), hours=8, days=1)
    client.force_login(personas["officer_a"])
    html = client.get(reverse("supervision:heat_map") + "?county=450222000000&year=2023").content.decode()

    def state(station, month):
        return re.search(rf'data-testid="cell-{station.pk}-{month}" data-state="(\w+)"', html).group(1)

    assert state(a1, "2023-03") == "met" and state(a2, "2023-03") == "partial"
    assert state(a1, "2023-04") == "none"
    assert network["station_b1"].place.name not in html
    assert "SUP-1" in html and "16" in html  # how months are counted, on screen
    future = client.get(reverse("supervision:heat_map") + f"?county=450222000000&year={timezone.localdate().year}")
    assert 'data-state="not_due"' in future.content.decode()


def test_station_page_shows_the_last_six_months(client, network, personas, sup):  # noqa: F811
    client.force_login(personas["station_worker"])
    html = client.get(reverse("stations:station_detail", args=[network["station_a1"].pk])).content.decode()
    assert 'data-testid="station-supervision"' in html
    assert html.count('data-testid="station-month-') == 6
    assert f'data-testid="station-month-{sup["last_month"]:%Y-%m}" ' in html or "station-month-" in html


def test_log_list_queries_do_not_grow_with_the_rows(client, network, personas, sup):  # noqa: F811
    client.force_login(personas["city_admin"])
    url = reverse("supervision:log_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(10):
        supervision_log(network["station_a2"], D(2022, 1 + i, 3), hours=16, days=2)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    client.get(reverse("supervision:heat_map") + "?county=450222000000&year=2022")
    with CaptureQueriesContext(connection) as heat:
        client.get(reverse("supervision:heat_map") + "?county=450222000000&year=2022")
    assert len(heat) <= len(few) + 5
