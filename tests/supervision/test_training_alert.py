"""The SUP-2 workbench alert: registered by the supervision app; from 1 October (a rule setting) each stationed
worker in the user's places below the pro-rata path of training hours, nothing before; scoped."""

import datetime
from decimal import Decimal

import pytest

from network.models import RuleSetting
from network.rule_settings import forget_rule_settings
from network.workbench import alert_source, alerts_for

from .training_fixtures import trn  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trn")]
D = datetime.date


def _items(user, today):
    return alert_source("sup2-training-shortfall").items(user, today)


def test_before_1_october_nothing_from_it_the_workers_below_the_path(personas):
    officer = personas["officer_a"]
    assert _items(officer, D(2023, 9, 30)) == []
    # 1 Dec 2023: 甲 has 40 h against 48 × 335 ÷ 365 = 44.1 h; 乙 24.5 h against 48 × 154 ÷ 365 = 20.3 h.
    items = _items(officer, D(2023, 12, 1))
    assert len(items) == 1
    assert "驻站甲" in items[0].title and "40.0" in items[0].title and "44.1" in items[0].title
    assert items[0].title.rstrip("学时").endswith("4.1")
    assert items[0].place_code == "450222101000"


def test_the_alert_is_scoped_and_its_day_is_a_setting(personas):
    assert _items(personas["officer_b"], D(2023, 12, 1)) == []  # 丙 has his 48 hours
    assert "sup2-training-shortfall" in [a.source.code for a in alerts_for(personas["station_worker"], D(2023, 12, 1))]
    assert "sup2-training-shortfall" not in [a.source.code for a in alerts_for(personas["city_viewer"], D(2023, 12, 1))]
    RuleSetting.objects.create(key="SUP-2.alert_from_month", value=Decimal(12))
    RuleSetting.objects.create(key="SUP-2.alert_from_day", value=Decimal(2))
    forget_rule_settings()
    try:
        assert _items(personas["officer_a"], D(2023, 12, 1)) == []
    finally:
        RuleSetting.objects.all().delete()
        forget_rule_settings()
