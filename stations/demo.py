"""Demo stations on the real tree: 42 operating at end-2020 (35 %), the rest established 2021–2022."""

import datetime

from django.db import models

from network.choices import PlaceLevel
from network.models import Place

from .choices import (
    COUNTED_STATUSES,
    SIX_HAVES_FIELDS,
    NeedLevel,
    ServiceField,
    ServiceKind,
    SharedVenue,
    StationStatus,
    TargetGroup,
)
from .models import (
    CatalogueItem,
    FollowUpPlan,
    NeedsAssessment,
    Recipient,
    Room,
    ServiceRecord,
    SixHavesChange,
    StandardCheck,
    Station,
    StationStatusChange,
)

BASELINE_STATIONS = 42  # TGT-COV 2020 baseline
BY_END_2021 = 83  # 70.3 % of 118: the 2021 target met


def _date(rng, year, first_month=1, last_month=12):
    month = rng.randint(first_month, last_month)
    return datetime.date(year, month, rng.randint(1, 28))


def build(rng, out) -> None:
    if not Station.objects.exists():
        build_stations(rng, out)
    if not Recipient.objects.exists():
        build_services(rng, out)


def build_stations(rng, out) -> None:
    townships = list(
        Place.objects.filter(level=PlaceLevel.TOWNSHIP, code__startswith="4502")
        .select_related("parent")
        .order_by("code")
    )
    order = townships[:]
    rng.shuffle(order)
    stations, changes = [], []
    demo_per_county: dict[str, int] = {}
    for i, place in enumerate(order):
        if i < BASELINE_STATIONS:
            established = _date(rng, rng.choice([2018, 2019, 2020]), 1, 9)
            timeline = [
                (StationStatus.ESTABLISHED, established),
                (StationStatus.OPERATING, min(established + datetime.timedelta(days=60), datetime.date(2020, 12, 30))),
            ]
        elif i < BY_END_2021:
            established = _date(rng, 2021)
            timeline = [
                (StationStatus.PLANNED, datetime.date(2020, 11, 1)),
                (StationStatus.ESTABLISHED, established),
                (StationStatus.OPERATING, established + datetime.timedelta(days=rng.randint(30, 120))),
            ]
        else:
            established = _date(rng, 2022, 1, 10)
            timeline = [
                (StationStatus.PLANNED, datetime.date(2021, 6, 1)),
                (StationStatus.ESTABLISHED, established),
                (StationStatus.OPERATING, established + datetime.timedelta(days=rng.randint(20, 60))),
            ]
        full = i < BY_END_2021 or rng.random() < 0.6
        county = place.parent_id
        demo = i < BASELINE_STATIONS and demo_per_county.get(county, 0) < 2 and rng.random() < 0.5
        if demo:
            demo_per_county[county] = demo_per_county.get(county, 0) + 1
        station = Station(
            place=place,
            status=timeline[-1][0],
            has_venue=True,
            has_equipment=full or rng.random() < 0.7,
            has_personnel=True,
            has_service_functions=full,
            has_workflow=full or rng.random() < 0.5,
            has_rules=full,
            independent_office=full,
            is_demonstration=demo,
            shared_venues=rng.sample(SharedVenue.values, k=rng.randint(1, 3)),
            address=f"{place.parent.name}{place.name}人民政府院内",
            phone=f"0772-{rng.randint(2000000, 8999999)}",
        )
        stations.append((station, timeline))
    Station.objects.bulk_create([s for s, _ in stations])
    six_haves = []
    for station, timeline in stations:
        for status, on in timeline:
            changes.append(StationStatusChange(station=station, status=status, effective_on=on, note="示范数据"))
        # NET-3: the six haves dated from the station's first status; the last haves of a late station
        # arrive a few months after it was established, so past years see them missing.
        flags = {f.value: getattr(station, f.value) for f in SIX_HAVES_FIELDS}
        if all(flags.values()) and timeline[0][1].year >= 2021:
            first = {**flags, "has_rules": False, "has_workflow": False}
            six_haves.append(SixHavesChange(station=station, effective_on=timeline[0][1], note="示范数据", **first))
            later = timeline[-1][1] + datetime.timedelta(days=rng.randint(60, 200))
            six_haves.append(SixHavesChange(station=station, effective_on=later, note="示范数据", **flags))
        else:
            six_haves.append(SixHavesChange(station=station, effective_on=timeline[0][1], note="示范数据", **flags))
    StationStatusChange.objects.bulk_create(changes)
    SixHavesChange.objects.bulk_create(six_haves)
    out(f"stations: {len(stations)} ({BASELINE_STATIONS} operating at end-2020)")

    villages = Place.objects.filter(level=PlaceLevel.VILLAGE, code__startswith="4502").values_list("code", flat=True)
    rooms = [
        Room(
            place_id=code,
            established_on=_date(rng, rng.choice([2020, 2021, 2022])),
            staffing_note="村（社区）“两委”干部兼任",
        )
        for code in villages
        if rng.random() < 0.89
    ]
    Room.objects.bulk_create(rooms, batch_size=1000)
    out(f"rooms: {len(rooms)} village/community rooms")


CATALOGUE = {
    ServiceField.LIVELIHOOD: ["困难群众入户走访", "低保对象需求评估", "临时救助个案跟进"],
    ServiceField.GOVERNANCE: ["社区议事协商", "志愿者队伍培育"],
    ServiceField.SOCIAL_SERVICES: ["留守儿童四点半课堂", "独居老人关爱探访", "残疾人康复支持小组"],
}
SURNAMES = "韦覃蓝莫黄梁廖罗陆潘卢吴李张王刘陈杨周"
GIVEN = "秀兰桂英海军明华春梅志强丽萍建国玉凤小红金花德文永福"
DEMO_TODAY = datetime.date(2023, 6, 30)  # the demo describes the plan period; fixed so rebuilds are identical


def build_standard_checks(rng, out) -> None:
    """TGT-STD: county officers confirmed on site some of the stations that met the standard on the day
    they came (run once the workforce demo has stationed its workers)."""
    from .rules import tgt_std_check

    if StandardCheck.objects.exists():
        return
    first_dates = dict(
        StationStatusChange.objects.filter(status__in=COUNTED_STATUSES)
        .order_by()
        .values_list("station_id")
        .annotate(first=models.Min("effective_on"))
    )
    checks = []
    for station in Station.objects.order_by("place_id"):
        first = first_dates.get(station.id)
        if not first or rng.random() >= 0.6:
            continue
        on = min(DEMO_TODAY, first + datetime.timedelta(days=rng.randint(120, 500)))
        result = tgt_std_check(station=station, on=on)
        if result.met:
            checks.append(
                StandardCheck(
                    station=station,
                    confirmed_on=on,
                    items=[r.as_dict() for r in result.items],
                    evidence_note="县指导中心现场核查，六有台账齐全（示范数据）",
                )
            )
    StandardCheck.objects.bulk_create(checks)
    out(f"standard checks: {len(checks)} stations confirmed on site (TGT-STD)")


def _id_number(rng, region: str, used: set) -> str:
    from liuzhou_social.validators import id_number_check_char

    while True:
        birth = datetime.date(rng.randint(1935, 2015), rng.randint(1, 12), rng.randint(1, 28))
        first17 = f"{region}{birth:%Y%m%d}{rng.randint(100, 999)}"
        number = first17 + id_number_check_char(first17)
        if number not in used:
            used.add(number)
            return number


def build_services(rng, out) -> None:
    """Service catalogues (NET-2), confirmed standard checks (TGT-STD), recipients with assessments,
    service records and follow-ups (SRV-1…4) — a few hundred people in the stations' villages."""

    stations = list(Station.objects.select_related("place").order_by("place_id"))
    if not stations:
        return
    first_dates = dict(
        StationStatusChange.objects.filter(status__in=COUNTED_STATUSES)
        .order_by()
        .values_list("station_id")
        .annotate(first=models.Min("effective_on"))
    )
    items = []
    for station in stations:
        first = first_dates.get(station.id)
        for field, titles in CATALOGUE.items():
            for title in rng.sample(titles, k=rng.randint(1, len(titles))):
                # NET-2: published some weeks after the station was established; one in ten still a draft.
                published = None
                if first and rng.random() < 0.9:
                    published = min(DEMO_TODAY, first + datetime.timedelta(days=rng.randint(10, 200)))
                items.append(CatalogueItem(station=station, field=field, title=title, published_on=published))
    CatalogueItem.objects.bulk_create(items)
    out(f"service catalogue: {len(items)} items")

    by_township: dict[str, list] = {}
    for code, parent in Place.objects.filter(
        level=PlaceLevel.VILLAGE, parent_id__in=[s.place_id for s in stations]
    ).values_list("code", "parent_id"):
        by_township.setdefault(parent, []).append(code)
    used: set[str] = set()
    recipients = []
    served = [s for s in stations if s.id in first_dates and by_township.get(s.place_id)]
    for station in served:
        start = max(first_dates[station.id], datetime.date(2021, 1, 1))
        if start >= DEMO_TODAY:
            continue
        for _i in range(rng.randint(2, 8)):
            groups = rng.sample(TargetGroup.values, k=rng.choice([1, 1, 2, 3]))
            registered = start + datetime.timedelta(days=rng.randint(0, (DEMO_TODAY - start).days))
            recipients.append(
                Recipient(
                    name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)),
                    gender=rng.choice(["male", "female"]),
                    id_number=_id_number(rng, station.place_id[:6], used),
                    phone=f"1{rng.randint(3, 9)}{rng.randint(0, 10**9 - 1):09d}",
                    village_id=rng.choice(by_township[station.place_id]),
                    target_groups=groups,
                    registered_on=registered,
                    household_notes=rng.choice(["独居", "与配偶同住", "与子女同住", "隔代抚养", ""]),
                )
            )
    Recipient.objects.bulk_create(recipients, batch_size=1000)

    station_of = {s.place_id: s for s in stations}
    assessments, records, follow_ups = [], [], []
    levels = NeedLevel.values
    for r in recipients:
        assessments.append(
            NeedsAssessment(
                recipient=r,
                assessed_on=r.registered_on,
                material=rng.choice(levels),
                psychological=rng.choice(levels),
                social=rng.choice(levels),
                material_notes="生活物资基本满足" if rng.random() < 0.5 else "",
            )
        )
        due = r.registered_on + datetime.timedelta(days=rng.randint(30, 180))
        done = due + datetime.timedelta(days=rng.randint(-10, 10)) if rng.random() < 0.7 and due < DEMO_TODAY else None
        follow_ups.append(
            FollowUpPlan(
                recipient=r,
                due_on=due,
                action=rng.choice(["电话回访", "入户复评", "转介跟进"]),
                done_on=min(done, DEMO_TODAY) if done else None,
            )
        )
    NeedsAssessment.objects.bulk_create(assessments, batch_size=1000)
    FollowUpPlan.objects.bulk_create(follow_ups, batch_size=1000)
    village_parent = dict(
        Place.objects.filter(code__in={r.village_id for r in recipients}).values_list("code", "parent_id")
    )
    for r in recipients:
        station = station_of[village_parent[r.village_id]]
        for _i in range(rng.randint(1, 3)):
            kind = rng.choice(ServiceKind.values)
            on = r.registered_on + datetime.timedelta(days=rng.randint(0, max(0, (DEMO_TODAY - r.registered_on).days)))
            group = kind in (ServiceKind.GROUP, ServiceKind.COMMUNITY)
            records.append(
                (
                    ServiceRecord(
                        station=station,
                        kind=kind,
                        served_on=on,
                        duration_hours=rng.choice([1, 1.5, 2, 3]),
                        participant_count=rng.randint(5, 30) if group else 1,
                        volunteer_count=rng.randint(0, 6) if group else rng.randint(0, 1),
                        charity_resources="爱心企业捐赠米油" if rng.random() < 0.2 else "",
                        summary="示范数据",
                        target_groups=sorted(set(r.target_groups)),
                    ),
                    r,
                )
            )
    ServiceRecord.objects.bulk_create([rec for rec, _r in records], batch_size=1000)
    through = ServiceRecord.recipients.through
    through.objects.bulk_create(
        [through(servicerecord_id=rec.pk, recipient_id=r.pk) for rec, r in records], batch_size=2000
    )
    out(
        f"recipients: {len(recipients)} with {len(assessments)} assessments, {len(records)} service records, "
        f"{len(follow_ups)} follow-ups"
    )
