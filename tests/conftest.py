"""Personas and the small network every test starts from (CONVENTIONS 8).

The network: city 柳州市 (450200) with counties 柳城县 (450222, "county A") and 鹿寨县 (450223,
"county B"); each has two townships, each township two villages; one station per township.
"""

import os

import pytest

from network.choices import PlaceKind, PlaceLevel, Role
from network.models import Place
from network.services import user_create
from tests.factories import StationFactory

PASSWORD = "Test-pass-2026!"


def pytest_configure(config):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def pytest_collection_modifyitems(config, items):
    """The newcomer's path (minutes long) first, so that the other process runs the rest meanwhile."""
    items.sort(key=lambda item: not item.nodeid.startswith("tests/test_newcomer.py"))


def _place(code, name, level, kind, parent=None):
    return Place.objects.create(code=code, name=name, level=level, kind=kind, parent=parent)


@pytest.fixture
def network(db):
    city = _place("450200000000", "柳州市", PlaceLevel.CITY, PlaceKind.CITY)
    a = _place("450222000000", "柳城县", PlaceLevel.COUNTY, PlaceKind.COUNTY, city)
    b = _place("450223000000", "鹿寨县", PlaceLevel.COUNTY, PlaceKind.COUNTY, city)
    places = {"city": city, "county_a": a, "county_b": b}
    for county, key in ((a, "a"), (b, "b")):
        for t in (1, 2):
            township = _place(
                f"{county.code[:6]}10{t}000", f"{county.name}{t}镇", PlaceLevel.TOWNSHIP, PlaceKind.TOWN, county
            )
            places[f"township_{key}{t}"] = township
            places[f"station_{key}{t}"] = StationFactory(place=township)
            for v in (1, 2):
                places[f"village_{key}{t}{v}"] = _place(
                    f"{township.code[:9]}20{v}",
                    f"{township.name}{v}村",
                    PlaceLevel.VILLAGE,
                    PlaceKind.VILLAGE,
                    township,
                )
    return places


def _user(username, role, places, organisation=""):
    return user_create(username=username, password=PASSWORD, role=role, places=places, organisation=organisation)


class Personas(dict):
    """One user per role, each made the first time a test asks for it: most tests use one or two of the nine,
    and making all of them (the provider with its project and contract) was most of every test's set-up.
    Iterating or counting makes them all, in the order of ``makers``."""

    def __init__(self, makers):
        super().__init__()
        self._makers = makers

    def __missing__(self, name):
        if name not in self._makers:
            raise KeyError(name)
        value = self._makers[name]()
        self[name] = value
        return value

    def all(self):
        for name in self._makers:
            self[name]
        return self

    def __iter__(self):
        return dict.__iter__(self.all())

    def __len__(self):
        return len(self._makers)

    def __contains__(self, name):
        return name in self._makers

    def get(self, name, default=None):
        return self[name] if name in self._makers else default

    def keys(self):
        return dict.keys(self.all())

    def values(self):
        return dict.values(self.all())

    def items(self):
        return dict.items(self.all())


@pytest.fixture
def personas(network, _fast_passwords):
    """One user per role; county A officer, county B officer; station worker of township A1."""
    n = network
    # Reachable from the network too: permission-matrix cases build their URLs from the network alone.
    n["personas"] = Personas(
        {
            "city_admin": lambda: _user("city_admin", Role.CITY_ADMIN, [n["city"]]),
            "city_viewer": lambda: _user("city_viewer", Role.CITY_VIEWER, [n["city"]]),
            "officer_a": lambda: _user("officer_a", Role.COUNTY_OFFICER, [n["county_a"]]),
            "officer_b": lambda: _user("officer_b", Role.COUNTY_OFFICER, [n["county_b"]]),
            "station_worker": lambda: _user("station_worker", Role.STATION_WORKER, [n["township_a1"]]),
            # Provider staff hold no place: they reach the stations of their organisation's contracts in force.
            "provider": lambda: _provider(n),
            "evaluator": lambda: _user("evaluator", Role.EVALUATOR, [n["township_a2"]], "评估中心"),
            "api_client": lambda: _user("api_client", Role.API_CLIENT, [n["county_a"]]),
            "anonymous": lambda: None,
        }
    )
    return n["personas"]


@pytest.fixture
def every_persona(personas):
    """For tests about every account at once (notifications for all, a restored database signed into)."""
    return personas.all()


PROVIDER_ORGANISATION = "启航社会工作服务中心"


def _provider(n):
    """The provider persona: an account of the organisation 启航社会工作服务中心 of county A, whose service
    contract covering the stations of townships A1 and A2 is in force today (a year before to a year after)."""
    import datetime

    from django.utils import timezone

    from procurement.models import Contract, OrganisationAccount, Project
    from tests.factories import OrganisationFactory

    today = timezone.localdate()
    user = _user("provider", Role.PROVIDER_STAFF, [], PROVIDER_ORGANISATION)
    org = OrganisationFactory(name=PROVIDER_ORGANISATION, county=n["county_a"])
    OrganisationAccount.objects.create(user=user, organisation=org)
    start, end = today - datetime.timedelta(days=365), today + datetime.timedelta(days=365)
    project = Project.objects.create(
        number="450222-P-001",
        name="柳城县社工站服务项目",
        county=n["county_a"],
        purchaser="柳城县民政局",
        service_start=start,
        service_end=end,
        budget_year=start.year,
        fund_department=500000,
    )
    project.stations.set([n["station_a1"], n["station_a2"]])
    contract = Contract.objects.create(
        number="450222-P-001-C001", project=project, provider=org, start_on=start, end_on=end, value=480000
    )
    contract.stations.set([n["station_a1"], n["station_a2"]])
    return user


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    """The cache (Redis in the suite) outlives each test's rolled-back transaction."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
