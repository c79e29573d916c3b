"""Degrades, never lies: with the cache's Redis stopped, pages and the API answer from the database."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from network.rule_settings import forget_rule_settings, rule_value
from network.services import rule_setting_update
from tests.factories import WorkerFactory
from tests.permkit import client_for
from tests.redisproc import redis_server


@pytest.fixture
def redis_down(settings):
    """The cache on a Redis of this test's own, which is then killed."""
    with redis_server() as (url, stop):
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
            }
        }
        cache.set("probe", 1)
        assert cache.get("probe") == 1  # it really ran
        stop()
        with pytest.raises(Exception):  # noqa: B017 - whatever the client raises, the server is gone
            cache.get("probe")
        yield


@pytest.mark.django_db
def test_rule_settings_come_from_the_database_when_the_cache_is_down(personas, redis_down):
    rule_setting_update(key="PRC-2.workers_per_station", value=3)
    forget_rule_settings()  # must not raise either
    assert rule_value("PRC-2.workers_per_station") == 3


@pytest.mark.django_db
def test_pages_and_api_answer_with_redis_down(client, personas, network, redis_down):
    worker = WorkerFactory(place=network["township_a1"])
    c = client_for(client, personas, "city_admin")
    for url in [
        reverse("stations:station_detail", args=[network["station_a1"].pk]),
        reverse("workforce:worker_detail", args=[worker.pk]),
        reverse("network:rule_settings"),
        "/api/reporting/values/",
        "/api/reporting/indicators/",
    ]:
        assert c.get(url).status_code == 200, url
