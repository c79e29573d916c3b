"""The embedded mode of ``./scripts/start``: SQLite, in-process tasks, demo data with a full recompute.

A subprocess migrates a fresh SQLite file and loads the demo (no DATABASE_URL / REDIS_URL), then dumps
the stored values; the same demo is loaded here on PostgreSQL and every yearly city and county value
must agree.
"""

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from reporting.models import IndicatorValue

ROOT = Path(__file__).resolve().parents[2]
DUMP = """
import json
from reporting.models import IndicatorValue
rows = IndicatorValue.objects.filter(level__in=["city", "county"], period_kind="year")
print(json.dumps([[v.indicator, v.place_id, v.period, str(v.numerator), str(v.denominator), str(v.value),
                   str(v.target), v.status] for v in rows]))
"""


def _sqlite_demo(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(SQLITE_PATH=str(tmp_path / "demo.sqlite3"), DEBUG="true")
    manage = [sys.executable, "manage.py"]
    for args in (["migrate", "-v0"], ["load_demo"]):
        subprocess.run(manage + args, cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    out = subprocess.run(manage + ["shell", "-c", DUMP], cwd=ROOT, env=env, check=True, capture_output=True,
                         text=True, timeout=120).stdout
    rows = json.loads(out.strip().splitlines()[-1])
    return {(r[0], r[1], r[2]): r[3:] for r in rows}


def _dec(s):
    return None if s in ("None", "") else round(Decimal(s), 4)


@pytest.mark.django_db
def test_demo_recompute_on_sqlite_agrees_with_postgresql(tmp_path):
    lite = _sqlite_demo(tmp_path)
    city = {p: lite[("TGT-COV", "450200000000", p)] for p in ("2020", "2021", "2022", "2023")}
    assert [(_dec(v[0]), _dec(v[1])) for v in city.values()] == [(42, 118), (83, 118), (118, 118), (118, 118)]
    assert _dec(city["2020"][2]) == Decimal("35.5932") and city["2020"][4] == "met"

    from workforce.choices import PLAN_SPECIALISATIONS
    from workforce.models import SpecialisationCategory

    for code, name in PLAN_SPECIALISATIONS.items():  # seeded by a migration, removed by a transactional test's flush
        SpecialisationCategory.objects.get_or_create(code=code, defaults={"name": name, "in_plan": True})
    call_command("load_demo", stdout=open(os.devnull, "w"))
    pg = IndicatorValue.objects.filter(level__in=["city", "county"], period_kind="year")
    assert pg.count() == len(lite) > 0
    for v in pg:
        num, den, value, target, status = lite[(v.indicator, v.place_id, v.period)]
        assert (_dec(num), _dec(den), _dec(value), _dec(target), status) == (
            v.numerator, v.denominator, v.value, v.target, v.status), (v.indicator, v.place_id, v.period)
