"""SRV: services delivered, by method and by target group, pinned on hand-built service records.

On the hand-built network (tests/reporting/conftest.py), computed as of 15 Jun 2022:
- station A1: home visit 10 Mar 2021 to r1 (dibao, orphan); casework 1 Jun 2021 to r1 and r2 (dibao);
  group session 1 Feb 2022 to r3 (disability); home visit 20 Jun 2022 (after the date: not counted);
- station A3: community activity 31 Dec 2021 without recipients;
- station B1: home visit 31 Dec 2020 to r4 (left_behind, disability); home visit 1 Jan 2021 to r4.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from reporting.catalogue import BY_CODE
from reporting.models import IndicatorValue
from reporting.services import indicators_recompute
from tests.factories import RecipientFactory, ServiceRecordFactory

D = datetime.date
CITY, A, B = "450200000000", "450222000000", "450223000000"
A1, A3, B1 = "450222101000", "450222103000", "450223101000"
pytestmark = pytest.mark.django_db


@pytest.fixture
def services(indicator_network):
    n = indicator_network
    r1 = RecipientFactory(village=n["village_a11"], target_groups=["dibao", "orphan"], name="服务对象一")
    r2 = RecipientFactory(village=n["village_a11"], target_groups=["dibao"], name="服务对象二")
    r3 = RecipientFactory(village=n["village_a11"], target_groups=["disability"], name="服务对象三")
    r4 = RecipientFactory(village=n["village_b11"], target_groups=["left_behind", "disability"], name="服务对象四")

    def record(station, kind, on, *recipients):
        rec = ServiceRecordFactory(station=n[station], kind=kind, served_on=on)
        rec.recipients.add(*recipients)
        return rec

    record("station_a1", "home_visit", D(2021, 3, 10), r1)
    record("station_a1", "casework", D(2021, 6, 1), r1, r2)
    record("station_a1", "group", D(2022, 2, 1), r3)
    record("station_a1", "home_visit", D(2022, 6, 20), r1)
    record("station_a3", "community", D(2021, 12, 31))
    record("station_b1", "home_visit", D(2020, 12, 31), r4)
    record("station_b1", "home_visit", D(2021, 1, 1), r4)
    indicators_recompute(today=D(2022, 6, 15))
    return n


def num(indicator, place, period):
    return IndicatorValue.objects.get(indicator=indicator, place_id=place, period=period).numerator


def test_services_count_the_records_of_the_year_up_to_the_date(services):
    assert [num("SRV", A1, p) for p in ("2020", "2021", "2022-06")] == [0, 2, 1]  # 20 Jun 2022 not yet
    assert [num("SRV", A, p) for p in ("2020", "2021", "2022-06")] == [0, 3, 1]  # A3 on 31 Dec 2021
    assert [num("SRV", B, p) for p in ("2020", "2021", "2022-06")] == [1, 1, 0]
    assert [num("SRV", CITY, p) for p in ("2020", "2021", "2022-06")] == [1, 4, 1]
    assert num("SRV", A3, "2021") == 1 and num("SRV", B1, "2020") == 1


def test_services_by_method(services):
    assert num("SRV-M-HOME_VISIT", CITY, "2021") == 2  # A1 in March, B1 on 1 Jan
    assert num("SRV-M-CASEWORK", A, "2021") == 1 and num("SRV-M-CASEWORK", A, "2022-06") == 0
    assert num("SRV-M-GROUP", A, "2022-06") == 1 and num("SRV-M-GROUP", CITY, "2021") == 0
    assert num("SRV-M-COMMUNITY", A, "2021") == 1 and num("SRV-M-COMMUNITY", CITY, "2021") == 1
    methods = sum(num(f"SRV-M-{k}", CITY, "2021") for k in ("HOME_VISIT", "CASEWORK", "GROUP", "COMMUNITY"))
    assert methods == num("SRV", CITY, "2021") == 4


def test_service_breakdowns_are_kept_for_counties_and_the_city(services):
    """The township's breakdown is its record list; the stored breakdowns start at the county."""
    assert IndicatorValue.objects.filter(indicator="SRV", level="township").exists()
    assert not IndicatorValue.objects.filter(indicator__startswith="SRV-", level="township").exists()
    assert IndicatorValue.objects.filter(indicator="SRV-G-DIBAO", place_id=A).count() == 3  # 2020, 2021, 2022-06


def test_services_by_target_group_count_a_record_once_per_group(services):
    assert num("SRV-G-DIBAO", A, "2021") == 2  # the casework served two dibao recipients: one record
    assert num("SRV-G-ORPHAN", A, "2021") == 2
    assert num("SRV-G-DISABILITY", CITY, "2021") == 1 and num("SRV-G-DISABILITY", CITY, "2022-06") == 1
    assert num("SRV-G-DISABILITY", B, "2020") == 1 and num("SRV-G-LEFT_BEHIND", B, "2021") == 1
    assert num("SRV-G-DIBAO_MARGIN", CITY, "2021") == 0  # not confused with "dibao"
    assert num("SRV-G-HOMELESS", CITY, "2021") == 0


def test_target_groups_are_those_recorded_with_the_record(services):
    """SRV-1 on a past year stays as recorded when a person's groups change later; editing a record's
    recipients records their groups anew, from either side of the link."""
    from stations.models import Recipient, ServiceRecord

    r1 = Recipient.objects.get(name="服务对象一")
    r1.target_groups = ["homeless"]
    r1.save()
    indicators_recompute(today=D(2022, 6, 15))
    assert num("SRV-G-ORPHAN", A, "2021") == 2 and num("SRV-G-HOMELESS", A, "2021") == 0
    casework = ServiceRecord.objects.get(kind="casework")
    assert casework.target_groups == ["dibao", "orphan"]
    casework.recipients.remove(Recipient.objects.get(name="服务对象二"))
    casework.refresh_from_db()
    assert casework.target_groups == ["homeless"]
    r3 = Recipient.objects.get(name="服务对象三")
    r3.service_records.add(casework)
    casework.refresh_from_db()
    assert casework.target_groups == ["disability", "homeless"]
    r3.service_records.clear()
    casework.refresh_from_db()
    assert casework.target_groups == ["homeless"]
    indicators_recompute(today=D(2022, 6, 15))
    assert num("SRV-G-ORPHAN", A, "2021") == 1 and num("SRV-G-HOMELESS", A, "2021") == 1


def test_service_values_have_no_target_and_stay_out_of_the_ranking(services):
    row = IndicatorValue.objects.get(indicator="SRV", place_id=CITY, period="2021")
    assert row.target is None and row.status == "" and row.denominator is None and row.value == Decimal(4)
    assert not BY_CODE["SRV-G-DIBAO"].in_ranking and BY_CODE["SRV"].in_ranking


def _record_rows(html):
    table = html.split('data-testid="records"', 1)[1].split("</table>", 1)[0]
    return table.count("<tr") - 1  # minus the header row


def test_service_records_behind_a_value_follow_the_scope(client, personas, services):
    client.force_login(personas["city_viewer"])
    html = client.get(
        reverse("reporting:explanation", args=[CITY, "SRV-G-DISABILITY"]) + "?period=2020"
    ).content.decode()
    assert _record_rows(html) == 1
    html = client.get(reverse("reporting:explanation", args=[CITY, "SRV"]) + "?period=2021").content.decode()
    assert _record_rows(html) == 4
    html = client.get(reverse("reporting:explanation", args=[CITY, "SRV-G-DIBAO"]) + "?period=2021").content.decode()
    assert _record_rows(html) == 2
    client.force_login(personas["officer_a"])  # county A only: B1's records are not listed
    html = client.get(reverse("reporting:explanation", args=[A, "SRV-M-HOME_VISIT"]) + "?period=2021").content.decode()
    assert _record_rows(html) == 1
