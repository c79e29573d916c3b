"""Supervision data on the shared test network (SUP-1): the provider persona's organisation employs a senior
supervisor covering the stations of townships A1 and A2 (two stations, within 2–8), and two workers stationed at
A1. Imported by the supervision test modules (``sup`` fixture)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from supervision.choices_supervision import LogStatus, SupervisionMethod
from supervision.models import SupervisionLog, SupervisionPlan
from tests.conftest import PROVIDER_ORGANISATION
from tests.factories import AssignmentFactory, QualificationFactory, WorkerFactory
from workforce.models import Organisation

D = datetime.date


@pytest.fixture
def sup(network, personas):
    personas.all()  # the records below assume every account (the provider's contract)
    n = network
    org = Organisation.objects.get(name=PROVIDER_ORGANISATION)
    supervisor = WorkerFactory(name="督导甲", place=n["township_a1"], organisation=org)
    QualificationFactory(worker=supervisor, grade=2, certificate_no="SW-SUP-1", obtained_on=D(2018, 1, 1))
    start = D(2020, 1, 1)
    for key in ("station_a1", "station_a2"):
        AssignmentFactory(worker=supervisor, station=n[key], role="supervisor", organisation=org, start_on=start)
    stationed = [
        AssignmentFactory(
            worker=WorkerFactory(name=f"驻站{i}", place=n["township_a1"], organisation=org),
            station=n["station_a1"],
            organisation=org,
            start_on=start,
        ).worker
        for i in (1, 2)
    ]
    plan = SupervisionPlan.objects.create(
        organisation=org, county=n["county_a"], start_on=D(2021, 1, 1), end_on=D(2030, 12, 31)
    )
    today = timezone.localdate()
    last_month = (today.replace(day=1) - relativedelta(months=1)).replace(day=3)
    log = SupervisionLog.objects.create(
        station=n["station_a1"],
        supervisor=supervisor,
        organisation=org,
        held_on=last_month,
        days=2,
        start_time=datetime.time(9, 0),
        end_time=datetime.time(17, 0),
        hours=Decimal(16),
        method=SupervisionMethod.CASEWORK,
        content="个案督导：入户评估记录",
        status=LogStatus.RECORDED,
    )
    log_b = SupervisionLog.objects.create(
        station=n["station_b1"],
        supervisor=WorkerFactory(name="督导乙", place=n["county_b"]),
        held_on=last_month,
        start_time=datetime.time(9, 0),
        end_time=datetime.time(17, 0),
        hours=Decimal(8),
        method=SupervisionMethod.GROUP,
        content="小组督导",
    )
    return {
        "org": org,
        "supervisor": supervisor,
        "stationed": stationed,
        "plan": plan,
        "log": log,
        "log_b": log_b,
        "last_month": last_month,
    }
