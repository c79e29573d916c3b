"""Helpers for tests that need stations supervised (SUP-1): confirmed sessions written straight to the table, as
a test fixture (the service's checks are tested in tests/supervision)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from supervision.choices_supervision import LogStatus, SupervisionMethod
from supervision.models import SupervisionLog
from tests.factories import WorkerFactory


def supervision_log(station, held_on, *, hours=16, days=2, confirmed=True, supervisor=None) -> SupervisionLog:
    daily = Decimal(hours) / days
    begin = 8 if daily <= 15 else 0
    end = datetime.time(begin + int(daily), int((daily % 1) * 60))
    return SupervisionLog.objects.create(
        station=station,
        supervisor=supervisor or WorkerFactory(place=station.place.parent),
        held_on=held_on,
        days=days,
        start_time=datetime.time(begin, 0),
        end_time=end,
        hours=Decimal(hours),
        method=SupervisionMethod.CASEWORK,
        content="督导",
        status=LogStatus.CONFIRMED if confirmed else LogStatus.RECORDED,
    )


def supervised_monthly(station, *, since: datetime.date, until: datetime.date | None = None) -> None:
    """A confirmed 16-hour session in every month from ``since`` up to ``until`` (default: today's month)."""
    until = until or timezone.localdate()
    supervisor = WorkerFactory(place=station.place.parent)
    month = since.replace(day=1)
    rows = []
    while month <= until:
        rows.append(
            SupervisionLog(
                station=station,
                supervisor=supervisor,
                held_on=month + datetime.timedelta(days=2),
                days=2,
                start_time=datetime.time(9, 0),
                end_time=datetime.time(17, 0),
                hours=Decimal(16),
                method=SupervisionMethod.CASEWORK,
                content="督导",
                status=LogStatus.CONFIRMED,
            )
        )
        month += relativedelta(months=1)
    SupervisionLog.objects.bulk_create(rows)
