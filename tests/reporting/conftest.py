"""A small hand-built network on top of tests.conftest.network, with known indicator values.

County A 柳城县 gets townships A3 (station established 31 Dec 2021) and A4 (established 1 Jan 2022);
county B 鹿寨县 gets township B3 without a station, and its station B2 is suspended on 1 May 2021.
Workers:
- w1, township A1: assistant 2019, social worker 2021 (two certificates, one person); minors protection;
- w2, county A: certified 31 Dec 2020; stationed at A2 since 2020;
- w3, township B1: certified 1 Jan 2021;
- w4, township B1: certified 2019, revoked 30 Jun 2021;
- w5, township A1: uncertified, stationed at A1 since 1 Jan 2019 (deadline 1 Jan 2021 passed);
- w6, township A1: uncertified, stationed at A1 since 1 Mar 2021.
Organisations: county A incubated 2021 and 2022; county B incubated 2023.
"""

import datetime

import pytest

from network.choices import PlaceKind, PlaceLevel
from network.models import Place
from stations.choices import StationStatus
from stations.models import CatalogueItem, StationStatusChange
from tests.factories import (
    AssignmentFactory,
    OrganisationFactory,
    QualificationFactory,
    SpecialisationFactory,
    StationFactory,
    WorkerFactory,
)
from tests.supervision.helpers import supervised_monthly

D = datetime.date


def _township(county, n, name):
    return Place.objects.create(
        code=f"{county.code[:6]}10{n}000", name=name, level=PlaceLevel.TOWNSHIP, kind=PlaceKind.TOWN, parent=county
    )


@pytest.fixture
def indicator_network(network):
    n = dict(network)
    a, b = n["county_a"], n["county_b"]
    n["township_a3"] = _township(a, 3, "柳城县3镇")
    n["township_a4"] = _township(a, 4, "柳城县4镇")
    n["township_b3"] = _township(b, 3, "鹿寨县3镇")
    n["station_a3"] = StationFactory(place=n["township_a3"], history=[(StationStatus.ESTABLISHED, D(2021, 12, 31))])
    n["station_a4"] = StationFactory(place=n["township_a4"], history=[(StationStatus.ESTABLISHED, D(2022, 1, 1))])
    StationStatusChange.objects.create(
        station=n["station_b2"], status=StationStatus.SUSPENDED, effective_on=D(2021, 5, 1)
    )
    for key in ("station_a1", "station_a2", "station_b1"):
        CatalogueItem.objects.create(station=n[key], field="livelihood", title="入户走访", published_on=D(2020, 3, 1))
        supervised_monthly(n[key], since=D(2021, 1, 1), until=D(2022, 12, 31))  # SUP-1 met every month

    w1 = WorkerFactory(place=n["township_a1"], name="甲一")
    QualificationFactory(worker=w1, grade=1, obtained_on=D(2019, 5, 1))
    QualificationFactory(worker=w1, grade=2, obtained_on=D(2021, 6, 1))
    SpecialisationFactory(worker=w1, since=D(2020, 1, 1))
    w2 = WorkerFactory(place=a, name="甲二")
    QualificationFactory(worker=w2, obtained_on=D(2020, 12, 31))
    AssignmentFactory(worker=w2, station=n["station_a2"], start_on=D(2020, 1, 1))
    w3 = WorkerFactory(place=n["township_b1"], name="乙三")
    QualificationFactory(worker=w3, obtained_on=D(2021, 1, 1))
    w4 = WorkerFactory(place=n["township_b1"], name="乙四")
    QualificationFactory(worker=w4, obtained_on=D(2019, 1, 1), revoked_on=D(2021, 6, 30))
    w5 = WorkerFactory(place=n["township_a1"], name="甲五")
    AssignmentFactory(worker=w5, station=n["station_a1"], start_on=D(2019, 1, 1))
    w6 = WorkerFactory(place=n["township_a1"], name="甲六")
    AssignmentFactory(worker=w6, station=n["station_a1"], start_on=D(2021, 3, 1))
    n.update(w1=w1, w2=w2, w3=w3, w4=w4, w5=w5, w6=w6)

    OrganisationFactory(county=a, incubated_year=2021, name="柳城县孵化一")
    OrganisationFactory(county=a, incubated_year=2022, name="柳城县孵化二")
    OrganisationFactory(county=b, incubated_year=2023, name="鹿寨县孵化一")
    return n


@pytest.fixture
def computed(indicator_network):
    """The network with every indicator computed as of 15 Jun 2022 (periods 2020, 2021, 2022-06)."""
    from reporting.services import indicators_recompute

    indicators_recompute(today=D(2022, 6, 15))
    return indicator_network
