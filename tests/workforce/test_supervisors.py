"""A supervisor covers several stations (SUP-1): supervisor assignments may overlap, a stationed worker is at one
station at a time (PRC-2); a ninth concurrent station is refused by the form, the API and the roster import with
the same message; fewer than two is flagged. The "end assignment" step."""

import datetime

import pytest
from django.urls import reverse

from network.choices import PlaceKind, PlaceLevel
from network.models import Place, RuleSetting
from network.rule_settings import forget_rule_settings
from tests.factories import StationFactory
from workforce import roster, rules, services
from workforce.choices import AssignmentRole
from workforce.models import Assignment

from .test_import import workbook

pytestmark = pytest.mark.usefixtures("wf")
D = datetime.date


@pytest.fixture
def stations(network):
    """Ten stations of county A (A1, A2 and eight more)."""
    out = [network["station_a1"], network["station_a2"]]
    for t in range(3, 11):
        place = Place.objects.create(
            code=f"450222{100 + t:03d}000",
            name=f"柳城县{t}镇",
            level=PlaceLevel.TOWNSHIP,
            kind=PlaceKind.TOWN,
            parent=network["county_a"],
        )
        out.append(StationFactory(place=place))
    return out


def _supervise(user, worker, station, start=D(2023, 1, 1), end=None, org=None):
    return services.assignment_save(
        user=user,
        data={
            "worker": worker,
            "station": station,
            "role": AssignmentRole.SUPERVISOR,
            "organisation": org,
            "start_on": start,
            "end_on": end,
        },
    )


@pytest.mark.django_db
def test_supervisor_assignments_may_overlap_up_to_the_maximum(network, personas, stations):
    user, wang = personas["city_admin"], network["li"]
    for station in stations[:8]:
        _supervise(user, wang, station)
    assert Assignment.objects.filter(worker=wang, role="supervisor").count() == 8
    with pytest.raises(services.ValidationError) as exc:
        _supervise(user, wang, stations[8])
    message = " ".join(exc.value.messages)
    assert "SUP-1" in message and "8" in message and "9" in message
    assert Assignment.objects.filter(worker=wang, role="supervisor").count() == 8
    # A station taken on after another ended does not add to the load at once.
    Assignment.objects.filter(worker=wang, station=stations[0], role="supervisor").update(end_on=D(2023, 5, 31))
    assert _supervise(user, wang, stations[8], start=D(2023, 6, 1)).pk
    with pytest.raises(services.ValidationError):
        _supervise(user, wang, stations[9], start=D(2023, 5, 1))  # on 1 Jun it would be nine again


@pytest.mark.django_db
def test_the_maximum_is_a_rule_setting(network, personas, stations):
    RuleSetting.objects.create(key="SUP-1.stations_per_supervisor_max", value=3)
    forget_rule_settings()
    for station in stations[:3]:
        _supervise(personas["city_admin"], network["li"], station)
    with pytest.raises(services.ValidationError) as exc:
        _supervise(personas["city_admin"], network["li"], stations[3])
    assert "3" in " ".join(exc.value.messages)


@pytest.mark.django_db
def test_stationed_assignments_still_may_not_overlap_and_a_stationed_worker_may_supervise(network, personas, stations):
    user, zhang = personas["city_admin"], network["zhang"]  # stationed at A1 since 2020
    with pytest.raises(services.ValidationError) as exc:
        services.assignment_save(
            user=user,
            data={"worker": zhang, "station": stations[2], "role": "stationed", "start_on": D(2023, 1, 1)},
        )
    assert "PRC-2" in " ".join(exc.value.messages)
    assert _supervise(user, zhang, stations[2]).pk  # supervising another station meanwhile is allowed
    with pytest.raises(services.ValidationError):
        _supervise(user, zhang, stations[2], start=D(2023, 3, 1))  # the same supervision twice


@pytest.mark.django_db
def test_the_form_and_the_api_refuse_a_ninth_station_with_the_same_message(client, network, personas, stations):
    user, li = personas["city_admin"], network["li"]
    for station in stations[:8]:
        _supervise(user, li, station)
    expected = rules.assignment_rules_problem(
        candidate=rules.AssignmentSpan(stations[8].pk, "supervisor", D(2023, 1, 1)),
        others=[rules.AssignmentSpan.of(a) for a in Assignment.objects.filter(worker=li)],
        station_name=lambda pk: "",
    )
    assert expected.startswith("SUP-1")
    client.force_login(user)
    response = client.post(
        reverse("workforce:assignment_create"),
        {"worker": li.pk, "station": stations[8].pk, "role": "supervisor", "start_on": "2023-01-01"},
    )
    assert response.status_code == 200 and "SUP-1" in response.content.decode()
    assert "最多" in response.content.decode()  # in Chinese
    response = client.post(
        "/api/workforce/assignments/",
        {"worker": li.pk, "station": stations[8].pk, "role": "supervisor", "start_on": "2023-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "SUP-1" in str(response.json())
    assert Assignment.objects.filter(worker=li, role="supervisor").count() == 8


@pytest.mark.django_db
def test_the_roster_import_refuses_a_ninth_station_with_the_same_rule(network, personas, stations):
    li = network["li"]
    org = network["org_a"].credit_code
    rows = [[li.id_number, s.place.code, "督导", org, "2023-01-01", ""] for s in stations[:9]]
    before = Assignment.objects.count()
    result = roster.roster_import(user=personas["city_admin"], upload=workbook(assignments=rows))
    assert not result.ok
    texts = [e.as_text() for e in result.errors]
    assert len(texts) == 1 and "SUP-1" in texts[0], texts
    assert Assignment.objects.count() == before
    result = roster.roster_import(user=personas["city_admin"], upload=workbook(assignments=rows[:8]))
    assert result.ok, [e.as_text() for e in result.errors]
    assert Assignment.objects.filter(worker=li, role="supervisor").count() == 8


@pytest.mark.django_db
def test_a_supervisor_below_the_minimum_is_flagged_on_the_worker_page_the_list_and_the_county(
    client, network, personas, stations
):
    from django.utils import timezone

    user, li = personas["city_admin"], network["li"]
    today = timezone.localdate()
    _supervise(user, li, stations[0], start=today - datetime.timedelta(days=30))
    client.force_login(personas["officer_a"])
    html = client.get(reverse("workforce:worker_detail", args=[li.pk])).content.decode()
    assert 'data-testid="sup1-flag"' in html and "SUP-1" in html
    html = client.get(reverse("workforce:assignment_list")).content.decode()
    assert 'data-testid="sup1-underloaded"' in html and li.name in html.split('data-testid="sup1-underloaded"')[1]
    html = client.get(reverse("workforce:county_workforce", args=[network["county_a"].code])).content.decode()
    assert 'data-testid="sup1-count">1<' in html
    client.force_login(personas["city_admin"])
    html = client.get(reverse("workforce:city_workforce")).content.decode()
    assert f'data-testid="sup1-{network["county_a"].code}">1<' in html
    assert f'data-testid="sup1-{network["county_b"].code}">0<' in html
    # A second station lifts the flag.
    _supervise(user, li, stations[1], start=today - datetime.timedelta(days=30))
    client.force_login(personas["officer_a"])
    html = client.get(reverse("workforce:worker_detail", args=[li.pk])).content.decode()
    assert 'data-testid="sup1-flag"' not in html and 'data-testid="sup1-load"' in html
    assert rules.sup1_underloaded(on=today) == []


@pytest.mark.django_db
def test_end_assignment_step(client, network, personas):
    a = network["a_zhang"]
    client.force_login(personas["officer_a"])
    detail = client.get(reverse("workforce:assignment_detail", args=[a.pk])).content.decode()
    assert 'data-testid="end-form"' in detail
    response = client.post(reverse("workforce:assignment_end", args=[a.pk]), {"end_on": "2019-01-01"})
    assert response.status_code == 200  # before the start: refused, nothing saved
    a.refresh_from_db()
    assert a.end_on is None
    response = client.post(reverse("workforce:assignment_end", args=[a.pk]), {"end_on": "2022-12-31"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.end_on == D(2022, 12, 31) and a.history.count() == 2
    assert (
        'data-testid="end-form"' not in client.get(reverse("workforce:assignment_detail", args=[a.pk])).content.decode()
    )
    response = client.post(reverse("workforce:assignment_end", args=[a.pk]), {"end_on": "2023-01-31"})
    assert response.status_code == 200  # already ended: corrected on the edit page, not here
    a.refresh_from_db()
    assert a.end_on == D(2022, 12, 31)
    client.force_login(personas["officer_b"])
    assert client.post(reverse("workforce:assignment_end", args=[a.pk]), {"end_on": "2023-01-31"}).status_code == 404
