"""Provider access by contract (point 5): a provider-staff account reaches the stations of its organisation's
contracts in force — their recipients, services and stationed workers — and loses them the day after the contract
ends; evaluators see exactly the projects assigned to them. Through the one scope primitive."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from network.scope import CHANGE, VIEW, forget_scope, scope_prefixes
from network.selectors import user_home_places
from procurement.models import Contract, Project
from stations.models import Recipient, Station
from tests.factories import RecipientFactory, ServiceRecordFactory
from tests.permkit import client_for
from workforce.models import Worker

pytestmark = pytest.mark.django_db


def _fresh(user):
    forget_scope(user)
    user.__dict__.pop("_procurement_organisation", None)
    return user


def test_the_provider_reaches_exactly_its_contracted_stations(prc, personas, network):
    provider = _fresh(personas["provider"])
    assert scope_prefixes(provider, VIEW) == ("450222101", "450222102")
    assert scope_prefixes(provider, CHANGE) == ("450222101", "450222102")
    assert set(Station.objects.restrict(provider)) == {network["station_a1"], network["station_a2"]}
    assert {p.code for p in user_home_places(provider)} == {"450222101000", "450222102000"}


def test_the_provider_loses_the_stations_the_day_after_the_contract_ends(prc, personas, network, client):
    today = timezone.localdate()
    Contract.objects.filter(pk=prc["contract"].pk).update(end_on=today)  # its last day is today
    recipient = RecipientFactory(village=network["village_a11"])
    record = ServiceRecordFactory(station=network["station_a1"])
    c = client_for(client, personas, "provider")
    for url in (
        reverse("stations:station_detail", args=[network["station_a1"].pk]),
        reverse("stations:recipient_detail", args=[recipient.pk]),
        reverse("stations:record_detail", args=[record.pk]),
        reverse("workforce:worker_detail", args=[prc["workers"]["w1"].pk]),
    ):
        assert c.get(url).status_code == 200, url
    Contract.objects.filter(pk=prc["contract"].pk).update(end_on=today - datetime.timedelta(days=1))
    for url in (
        reverse("stations:station_detail", args=[network["station_a1"].pk]),
        reverse("stations:recipient_detail", args=[recipient.pk]),
        reverse("stations:record_detail", args=[record.pk]),
        reverse("workforce:worker_detail", args=[prc["workers"]["w1"].pk]),
    ):
        assert c.get(url).status_code == 404, url
    provider = _fresh(personas["provider"])
    assert not Recipient.objects.restrict(provider).exists() and not Worker.objects.restrict(provider).exists()
    # Its own contract stays readable (history), no longer changeable: pay lines are refused.
    assert c.get(reverse("procurement:contract_detail", args=[prc["contract"].pk])).status_code == 200
    assert c.get(reverse("procurement:contract_staff", args=[prc["contract"].pk])).status_code == 403


def test_a_contract_not_yet_started_gives_no_access(prc, personas):
    today = timezone.localdate()
    Contract.objects.filter(pk=prc["contract"].pk).update(start_on=today + datetime.timedelta(days=1))
    assert scope_prefixes(_fresh(personas["provider"])) == ()


def test_a_provider_account_without_an_organisation_reaches_nothing(prc, personas):
    from procurement.models import OrganisationAccount

    OrganisationAccount.objects.filter(user=personas["provider"]).delete()
    provider = _fresh(personas["provider"])
    assert scope_prefixes(provider) == () and not Project.objects.restrict(provider).exists()


def test_linking_an_account_on_the_page_gives_its_contracted_stations(prc, personas, client, network):
    from network.choices import Role
    from network.services import user_create

    user = user_create(username="new_provider", password="Test-pass-2026!", role=Role.PROVIDER_STAFF, places=[])
    assert scope_prefixes(user) == ()
    response = client_for(client, personas, "city_admin").post(
        reverse("procurement:account_list"), {"user": user.pk, "organisation": prc["provider"].pk}
    )
    assert response.status_code == 302
    assert scope_prefixes(_fresh(user)) == ("450222101", "450222102")


def test_evaluators_see_exactly_the_projects_assigned_to_them(prc, personas, client):
    evaluator = _fresh(personas["evaluator"])
    assert list(Project.objects.restrict(evaluator)) == [prc["project"]]
    assert list(Contract.objects.restrict(evaluator)) == [prc["contract"]]
    assert not Project.objects.restrict(evaluator, CHANGE).exists()
    c = client_for(client, personas, "evaluator")
    page = c.get(reverse("procurement:project_list")).content.decode()
    assert "450222-P-001" in page and "450222-P-002" not in page
    assert c.get(reverse("procurement:project_detail", args=[prc["open_project"].pk])).status_code == 404
    prc["team"].delete()
    evaluator = _fresh(personas["evaluator"])
    assert not Project.objects.restrict(evaluator).exists()
