"""TGT-STD, one definition: the station page, the API, the list filter, the explanation and the indicator agree;
the items have a dated history; the check is a registry that higher apps contribute to."""

import datetime
import random

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from reporting.models import IndicatorValue
from reporting.services import indicators_recompute
from stations import rules, services
from stations.models import CatalogueItem, SixHavesChange, Station
from tests.factories import AssignmentFactory, StationFactory, WorkerFactory
from tests.supervision.helpers import supervised_monthly

D = datetime.date
A1 = "450222101000"
pytestmark = pytest.mark.django_db


def _staff(station, n=2, start=D(2020, 6, 1), end=None):
    for _i in range(n):
        AssignmentFactory(worker=WorkerFactory(place=station.place), station=station, start_on=start, end_on=end)


def _all_green(station, published=D(2020, 6, 1)):
    CatalogueItem.objects.create(station=station, field="livelihood", title="入户走访", published_on=published)
    _staff(station)
    supervised_monthly(station, since=published)  # SUP-1, the item supervision contributes


def test_the_registry_holds_the_six_haves_the_catalogue_and_the_items_other_apps_contribute():
    codes = [s.code for s in rules.standard_items()]
    assert codes == [
        "has_venue",
        "has_equipment",
        "has_personnel",
        "has_service_functions",
        "has_workflow",
        "has_rules",
        "catalogue",
        "stationed_workers",  # contributed by workforce (workforce.rules) when it loads
        "supervision",  # contributed by supervision (supervision.rules_supervision): SUP-1 last month
    ]
    assert {s.code: s.rule for s in rules.standard_items()}["stationed_workers"] == "PRC-2"


def test_stations_rules_imports_nothing_above_stations():
    import ast
    from pathlib import Path

    source = Path(rules.__file__).read_text(encoding="utf-8")
    modules = {
        (node.module or "").split(".")[0] for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom)
    } | {
        alias.name.split(".")[0]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not modules & {"workforce", "procurement", "supervision", "reporting"}
    importlinter = (Path(rules.__file__).resolve().parent.parent / ".importlinter").read_text()
    assert "stations.rules -> workforce" not in importlinter


def test_a_station_with_every_item_green_meets_the_standard_on_the_page_api_list_and_dashboard(
    network, client, personas
):
    """The regression: 8 green checks and yet 尚未达标 on the page until an officer confirmed."""
    station = network["station_a1"]
    _all_green(station)
    client.force_login(personas["officer_a"])
    with timezone.override("Asia/Shanghai"):
        html = client.get(reverse("stations:station_detail", args=[station.pk])).content.decode()
    state = html.split('data-testid="standard-state"')[1].split("</p>")[0]
    assert "text-bg-success" in state and "尚未达标" not in state
    api = client.get(f"/api/stations/stations/{station.pk}/").json()
    assert api["standard_met"] is True and api["standard_missing"] == []
    listed = client.get("/api/stations/stations/?standardised=true&page_size=100").json()["results"]
    assert {r["id"] for r in listed} == {station.pk}
    page = client.get(reverse("stations:station_list") + "?standardised=true").content.decode()
    assert station.place.name in page and network["station_a2"].place.name not in page
    indicators_recompute(today=timezone.localdate())
    value = IndicatorValue.objects.get(indicator="TGT-STD", place_id=A1, period_kind="month")
    assert (value.numerator, value.denominator) == (1, 1)
    assert not station.standard_checks.exists()  # no confirmation needed


def test_a_missing_item_shows_the_same_everywhere(network, client, personas):
    station = network["station_a1"]
    _all_green(station)
    services.station_update(station=station, has_rules=False)
    client.force_login(personas["officer_a"])
    html = client.get(reverse("stations:station_detail", args=[station.pk])).content.decode()
    assert "text-bg-warning" in html.split('data-testid="standard-state"')[1].split("</p>")[0]
    api = client.get(f"/api/stations/stations/{station.pk}/").json()
    assert api["standard_met"] is False and api["standard_missing"] == ["has_rules"]
    indicators_recompute(today=timezone.localdate())
    value = IndicatorValue.objects.get(indicator="TGT-STD", place_id=A1, period_kind="month")
    assert value.numerator == 0


def test_recomputing_2021_today_gives_what_was_true_on_31_december_2021(network):
    """Six haves, catalogue and staff all change after 2021: the 2021 value stays what it was then."""
    station = network["station_a1"]
    _all_green(station, published=D(2021, 3, 1))
    # 2022: the rules were lost (recorded with its date), the catalogue entry withdrawn, the staff left.
    services.station_update(station=station, has_rules=False, six_haves_on=D(2022, 4, 1))
    item = station.catalogue.get()
    services.catalogue_item_save(data={"withdrawn_on": D(2022, 5, 1)}, item=item)
    station.assignments.update(end_on=D(2022, 6, 30))
    # A2 gained its missing items only in 2022.
    a2 = network["station_a2"]
    Station.objects.filter(pk=a2.pk).update(has_rules=False)
    SixHavesChange.objects.filter(station=a2).update(has_rules=False)
    a2.refresh_from_db()
    services.station_update(station=a2, has_rules=True, six_haves_on=D(2022, 2, 1))
    _all_green(a2, published=D(2022, 2, 1))

    indicators_recompute(today=D(2026, 12, 1))

    def std(place, period):
        v = IndicatorValue.objects.get(indicator="TGT-STD", place_id=place, period=period)
        return v.numerator, v.denominator

    assert std(A1, "2020") == (0, 1)  # catalogue published only in March 2021
    assert std(A1, "2021") == (1, 1)
    assert std(A1, "2022") == (0, 1)
    assert std("450222102000", "2021") == (0, 1) and std("450222102000", "2022") == (1, 1)
    assert rules.tgt_std_check(station=station, on=D(2021, 12, 31)).met
    assert not rules.tgt_std_check(station=station, on=D(2022, 12, 31)).met
    assert [i.item for i in rules.tgt_std_check(station=station, on=D(2022, 4, 15)).missing] == ["has_rules"]


def test_six_haves_history_is_kept_in_date_order(network):
    station = network["station_a1"]
    services.station_update(station=station, has_rules=False, six_haves_on=D(2022, 4, 1))
    with pytest.raises(ValidationError) as exc:
        services.station_update(station=station, has_rules=True, six_haves_on=D(2021, 1, 1))
    assert "NET-3" in str(exc.value)
    with pytest.raises(ValidationError):
        services.station_update(
            station=station, has_rules=True, six_haves_on=timezone.localdate() + datetime.timedelta(days=1)
        )
    # Editing other fields adds no entry.
    station.refresh_from_db()
    before = station.six_haves_changes.count()
    services.station_update(station=station, address="新址")
    assert station.six_haves_changes.count() == before


def test_the_station_form_records_the_date_the_six_haves_changed(network, client, personas):
    station = network["station_a1"]
    client.force_login(personas["officer_a"])
    data = {
        "has_venue": "on",
        "has_equipment": "on",
        "has_personnel": "on",
        "has_service_functions": "on",
        "has_workflow": "on",
        "six_haves_on": "2023-05-04",
        "address": "",
        "phone": "",
        "notes": "",
    }
    response = client.post(reverse("stations:station_edit", args=[station.pk]), data)
    assert response.status_code == 302, response.content[:500]
    latest = station.six_haves_changes.order_by("-effective_on").first()
    assert latest.effective_on == D(2023, 5, 4) and not latest.has_rules and latest.has_venue


def test_the_api_records_the_date_the_six_haves_changed(network, client, personas):
    station = network["station_a1"]
    client.force_login(personas["officer_a"])
    response = client.patch(
        f"/api/stations/stations/{station.pk}/",
        {"has_rules": False, "six_haves_on": "2023-05-04"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content[:500]
    assert response.json()["standard_met"] is False
    assert station.six_haves_changes.filter(effective_on=D(2023, 5, 4), has_rules=False).exists()


def test_catalogue_dates_are_checked(network):
    station = network["station_a1"]
    with pytest.raises(ValidationError) as exc:
        services.catalogue_item_save(
            data={"station": station, "field": "livelihood", "title": "x", "withdrawn_on": D(2022, 1, 1)}
        )
    assert "withdrawn_on" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.catalogue_item_save(
            data={
                "station": station,
                "field": "livelihood",
                "title": "x",
                "published_on": D(2022, 1, 1),
                "withdrawn_on": D(2021, 1, 1),
            }
        )


def test_python_and_sql_forms_agree_item_by_item_on_generated_stations(network):
    rng = random.Random(2021)
    stations = []
    for i in range(30):
        place = network["township_a1"].__class__.objects.create(
            code=f"450222{200 + i:03d}000",
            name=f"生成{i}镇",
            level="township",
            kind="town",
            parent=network["county_a"],
        )
        station = StationFactory(place=place, history=[("established", D(2019, 1, 1) + datetime.timedelta(days=i * 9))])
        for _n in range(rng.randint(0, 3)):
            flags = {f.value: rng.random() < 0.75 for f in rules.SIX_HAVES}
            SixHavesChange.objects.create(
                station=station, effective_on=D(2019, 6, 1) + datetime.timedelta(days=rng.randint(0, 1500)), **flags
            )
        for _n in range(rng.randint(0, 2)):
            published = D(2019, 1, 1) + datetime.timedelta(days=rng.randint(0, 1200)) if rng.random() < 0.9 else None
            withdrawn = None
            if published and rng.random() < 0.4:
                withdrawn = published + datetime.timedelta(days=rng.randint(1, 600))
            CatalogueItem.objects.create(
                station=station, field="livelihood", title="服务", published_on=published, withdrawn_on=withdrawn
            )
        for _n in range(rng.randint(0, 3)):
            start = D(2019, 1, 1) + datetime.timedelta(days=rng.randint(0, 1200))
            end = start + datetime.timedelta(days=rng.randint(0, 700)) if rng.random() < 0.5 else None
            _staff(station, 1, start, end)
        stations.append(station)
    dates = [D(2019, 12, 31), D(2020, 12, 31), D(2021, 12, 31), D(2022, 12, 31), D(2023, 7, 1)]
    codes = [s.code for s in rules.standard_items()]
    met_total = 0
    for on in dates:
        for station in stations:
            result = rules.tgt_std_check(station=station, on=on)
            day = rules.sql_date(on)
            met_sql = rules.tgt_std_sql(station=str(station.pk), on=day)
            per_item = [rules.tgt_std_item_sql(c, station=str(station.pk), on=day) for c in codes]
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {met_sql}, {', '.join(per_item)}")
                row = cursor.fetchone()
            assert row[0] == result.met, (station.pk, on)
            assert list(row[1:]) == [i.ok for i in result.items], (station.pk, on)
            met_total += result.met
    assert 0 < met_total < len(dates) * len(stations)  # the data exercises both outcomes
