"""The one scoping primitive: prefixes from grants, restrict(), read-only roles, check after write."""

import pytest

from network.models import Place
from network.scope import CHANGE, VIEW, can, scope_prefixes
from stations.models import Station


@pytest.mark.django_db
def test_prefixes_follow_grants(personas):
    assert scope_prefixes(personas["city_admin"], VIEW) == ("4502",)
    assert scope_prefixes(personas["officer_a"], CHANGE) == ("450222",)
    assert scope_prefixes(personas["station_worker"], VIEW) == ("450222101",)
    assert scope_prefixes(personas["city_viewer"], CHANGE) == ()
    assert scope_prefixes(personas["api_client"], CHANGE) == ()
    assert scope_prefixes(None, VIEW) == ()


@pytest.mark.django_db
def test_restrict_limits_every_level(personas, network):
    officer = personas["officer_a"]
    codes = set(Place.objects.restrict(officer).values_list("code", flat=True))
    assert network["village_a21"].code in codes and network["county_a"].code in codes
    assert network["county_b"].code not in codes and network["city"].code not in codes
    stations = set(Station.objects.restrict(personas["station_worker"], CHANGE))
    assert stations == {network["station_a1"]}
    assert not Station.objects.restrict(personas["city_viewer"], CHANGE).exists()
    assert Station.objects.restrict(personas["city_viewer"], VIEW).count() == 4


@pytest.mark.django_db
def test_can_answers_per_object(personas, network):
    assert can(personas["officer_a"], CHANGE, network["station_a2"])
    assert not can(personas["officer_a"], VIEW, network["station_b1"])
    assert can(personas["evaluator"], VIEW, network["station_a2"])
    assert not can(personas["evaluator"], CHANGE, network["station_a2"])


@pytest.mark.django_db
def test_inactive_user_sees_nothing(personas):
    user = personas["officer_a"]
    user.is_active = False
    assert not Place.objects.restrict(user).exists()


@pytest.mark.django_db
def test_county_records_are_readable_from_the_townships_below(personas, network):
    from workforce.models import Organisation

    org_a = Organisation.objects.create(name="阳光社工", credit_code="52450222MJ0000001X", county=network["county_a"])
    org_b = Organisation.objects.create(name="鹿寨社工", credit_code="52450223MJ0000002X", county=network["county_b"])
    worker = personas["station_worker"]
    # (the provider persona's organisation is in county A too)
    assert set(Organisation.objects.restrict(worker, VIEW).filter(pk__in=[org_a.pk, org_b.pk])) == {org_a}
    assert not Organisation.objects.restrict(worker, CHANGE).exists()  # reading only
    assert set(Organisation.objects.restrict(personas["officer_b"], CHANGE)) == {org_b}
    # Ordinary records stay strictly below the grant.
    assert not Place.objects.restrict(worker).filter(code=network["county_a"].code).exists()
