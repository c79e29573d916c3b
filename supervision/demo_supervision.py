"""Demo supervision (SUP-1) on the real Liuzhou tree: in each county a plan of its provider (on the provider's
contract there when one exists), senior supervisors of that provider covering up to six stations each, and a
supervision log for every month each station was due from January 2021 to this month — with realistic gaps: some
months missing, some sessions short (8 or 15.5 hours), the last weeks' logs partly awaiting the station's
confirmation. The workforce demo's flagged supervisor with a single station is left as it is. Idempotent: nothing
is added once a log exists."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from network.choices import PlaceLevel
from network.models import Place
from stations.choices import COUNTED_STATUSES
from stations.models import Station
from workforce.choices import AssignmentRole, Gender
from workforce.identifiers import make_id_number
from workforce.models import Assignment, Qualification, Worker

from . import rules_supervision as rules
from .choices_supervision import LogStatus, SupervisionMethod
from .models import SupervisionLog, SupervisionPlan
from .selectors_supervision import status_histories

FIRST_MONTH = datetime.date(2021, 1, 1)
STATIONS_PER_SUPERVISOR = 6
NAMES = ["韦", "覃", "莫", "蓝", "黄", "梁", "潘", "龙"]
CONTENT = {
    SupervisionMethod.CASEWORK: "陪同驻站社工入户开展个案评估，示范需求评估与服务计划制定。",
    SupervisionMethod.GROUP: "陪同开展留守儿童小组活动，现场指导带领技巧与过程记录。",
    SupervisionMethod.COMMUNITY: "陪同开展社区议事活动，指导社区资源链接。",
    SupervisionMethod.CASE_CONFERENCE: "组织个案研讨，梳理高风险个案的跟进方案。",
    SupervisionMethod.DOCUMENT_REVIEW: "查阅服务档案与台账，指出记录不规范之处。",
    SupervisionMethod.TRAINING: "驻点培训：社会救助政策与转介流程。",
}


def _provider_of(county_stations) -> object | None:
    """The provider most of the county's stationed workers are assigned for."""
    orgs = Counter(
        Assignment.objects.filter(
            station__in=county_stations, role=AssignmentRole.STATIONED, organisation__isnull=False
        ).values_list("organisation_id", flat=True)
    )
    if not orgs:
        return None
    from workforce.models import Organisation

    return Organisation.objects.get(pk=orgs.most_common(1)[0][0])


def _contract_of(provider, county):
    """The provider's contract in the county, where procurement holds one (read through the app registry: the two
    apps do not import each other)."""
    Contract = apps.get_model("procurement", "Contract")
    return Contract.objects.filter(provider=provider, project__county=county).order_by("-start_on").first()


def _supervisor(county, township, provider, n: int, rng) -> Worker:
    birth = datetime.date(1975 + n % 10, 1 + n % 12, 1 + n % 27)
    seq = 400 + n
    id_number = make_id_number(township.code, birth, seq, False)
    while Worker.objects.filter(id_number=id_number).exists():
        seq += 1
        id_number = make_id_number(township.code, birth, seq, False)
    worker = Worker.objects.create(
        name=f"{NAMES[n % len(NAMES)]}督导{n + 1}",
        gender=Gender.FEMALE,
        birth_date=birth,
        id_number=id_number,
        organisation=provider,
        place=township,
    )
    Qualification.objects.create(
        worker=worker,
        grade=2,
        certificate_no=f"DEMO-SUP-{county.code[:6]}-{n:03d}",
        obtained_on=datetime.date(2019, 6, 1),
    )
    return worker


def build(rng, out) -> None:
    if SupervisionLog.objects.exists():
        return
    today = timezone.localdate()
    counties = list(Place.objects.filter(level=PlaceLevel.COUNTY, code__startswith="4502").order_by("code"))
    logs: list[SupervisionLog] = []
    plans = supervisors = 0
    histories = status_histories(Station.objects.values_list("pk", flat=True))
    months = []
    m = FIRST_MONTH
    while m <= today:
        months.append(m)
        m += relativedelta(months=1)
    n = 0
    for county in counties:
        stations = list(Station.objects.filter(place__parent=county).select_related("place").order_by("place_id"))
        provider = _provider_of(stations)
        if not stations or provider is None:
            continue
        SupervisionPlan.objects.create(
            organisation=provider,
            contract=_contract_of(provider, county),
            county=county,
            start_on=FIRST_MONTH,
            end_on=datetime.date(today.year + 1, 12, 31),
            sessions_per_month=1,
            note="演示数据",
        )
        plans += 1
        covered = set(
            Assignment.objects.filter(station__in=stations, role=AssignmentRole.SUPERVISOR).values_list(
                "station_id", flat=True
            )
        )
        free = [s for s in stations if s.pk not in covered]
        groups = [free[i : i + STATIONS_PER_SUPERVISOR] for i in range(0, len(free), STATIONS_PER_SUPERVISOR)]
        if len(groups) > 1 and len(groups[-1]) < 2:  # no supervisor left with a single station
            groups[-2].append(groups[-1].pop())
            groups = [g for g in groups if g]
        for group in groups:
            worker = _supervisor(county, group[0].place, provider, n, rng)
            n += 1
            supervisors += 1
            for station in group:
                Assignment.objects.create(
                    worker=worker,
                    station=station,
                    role=AssignmentRole.SUPERVISOR,
                    organisation=provider,
                    start_on=datetime.date(2020, 12, 1),
                )
            for station in group:
                logs.extend(_station_logs(station, worker, provider, histories.get(station.pk, []), months, today, rng))
    bulk_create_with_history(logs, SupervisionLog, batch_size=2000)
    out(f"supervision: {plans} plans, {supervisors} supervisors, {len(logs)} supervision logs")


def _station_logs(station, worker, provider, history, months, today, rng) -> list[SupervisionLog]:
    out = []
    missing_streak = rng.random() < 0.08  # a few stations miss a run of months
    for m in months:
        status = None
        for day, s in history:
            if day <= m:
                status = s
        if status not in COUNTED_STATUSES:
            continue
        last_month = m == rules.last_completed_month(today)
        if m.year == today.year and m.month == today.month:
            if today.day < 12 or rng.random() < 0.5:
                continue  # this month's session not held yet
        elif last_month:
            if rng.random() < 0.05:
                continue
        elif rng.random() < (0.35 if missing_streak and m.year == 2022 else 0.07):
            continue  # a month without supervision
        short = rng.random() < 0.1 and not last_month
        day = min(rng.randint(3, 26), rules.month_end(m).day - 1)
        held_on = m.replace(day=day)
        if held_on + datetime.timedelta(days=1) >= today:
            held_on = today - datetime.timedelta(days=3)
            if held_on < m:
                continue
        if short:
            days, start, end = rng.choice(
                [(1, datetime.time(9), datetime.time(17)), (2, datetime.time(9), datetime.time(16, 45))]
            )
        else:
            days, start, end = 2, datetime.time(8, 30), datetime.time(17, 0)
        recent = (today - held_on).days < 40
        method = rng.choice(list(SupervisionMethod))
        out.append(
            SupervisionLog(
                station=station,
                supervisor=worker,
                organisation=provider,
                held_on=held_on,
                days=days,
                start_time=start,
                end_time=end,
                hours=rules.sup1_session_hours(start_time=start, end_time=end, days=days),
                method=method,
                content=CONTENT[method],
                follow_up="下次督导前完成档案补充。" if rng.random() < 0.5 else "",
                status=LogStatus.RECORDED if recent and rng.random() < 0.3 else LogStatus.CONFIRMED,
                confirmed_at=None,
            )
        )
    return out


__all__ = ["Decimal", "build"]
