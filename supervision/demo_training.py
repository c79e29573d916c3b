"""Demo training (SUP-2, SUP-3) on the real Liuzhou tree: the city's trainer pool in the plan's four fields and
one the city added (社会工作督导), courses of every kind and organiser from 2021 to this year — the city's policy
and field courses, the national social-work information system's online training, each county's competence
course — and each stationed worker's attendance. Most workers reach the 48 hours of their year (pro rata for
those stationed part of it); about one in seven does not, so the shortfall list, the indicators and (from 1
October) the workbench alert have something to show. Idempotent: nothing is added once a course exists.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from network.choices import PlaceLevel
from network.models import Place
from stations.imports import history_insert_select
from workforce.choices import AssignmentRole
from workforce.models import Assignment, SpecialisationCategory

from .models import Attendance, Course, Trainer

FIRST_YEAR = 2021
CITY_FIELD = ("supervision", "社会工作督导")
TRAINERS = [
    ("韦丽华", "广西科技大学", "副教授", ["minors_protection"], "儿童保护个案、家庭教育指导"),
    ("覃建国", "柳州市民政局", "高级社会工作师", ["social_assistance"], "社会救助政策、困难群众帮扶"),
    ("黄秋燕", "柳州市社会福利院", "社会工作师", ["elderly_services"], "失能老人照护、养老服务评估"),
    (
        "蒙志强",
        "柳州市人民检察院",
        "检察官",
        ["judicial_protection", "minors_protection"],
        "未成年人司法保护、社区矫正",
    ),
    ("梁晓敏", "广西民族大学", "讲师", ["social_assistance", "elderly_services"], "需求评估、个案管理"),
    ("潘文杰", "柳州市社会工作协会", "高级社会工作师", ["supervision"], "社会工作督导、专业伦理"),
    ("莫红梅", "柳州市妇女儿童活动中心", "社会工作师", ["minors_protection"], "留守儿童关爱、小组工作"),
    ("韦德明", "柳州市司法局", "一级主任科员", ["judicial_protection"], "安置帮教、人民调解"),
]
FIELD_COURSES = [
    ("未成年人保护专题培训", "minors_protection"),
    ("社会救助对象需求评估", "social_assistance"),
    ("养老服务与老年社会工作", "elderly_services"),
    ("司法社会工作实务", "judicial_protection"),
]


def _course(title, kind, mode, level, place, start, end, hours, field=None, trainers=()):
    c = Course.objects.create(
        title=title,
        kind=kind,
        mode=mode,
        organiser_level=level,
        place=place,
        start_on=start,
        end_on=end,
        hours=Decimal(hours),
        field=field,
        venue="柳州市民政局培训中心" if level == "city" and mode == "offline" else "",
    )
    if trainers:
        c.trainers.set(trainers)
    return c


def build(rng, out) -> None:
    if Course.objects.exists():
        return
    today = timezone.localdate()
    city = Place.objects.filter(level=PlaceLevel.CITY).order_by("code").first()
    if city is None:
        return
    SpecialisationCategory.objects.get_or_create(code=CITY_FIELD[0], defaults={"name": CITY_FIELD[1]})
    fields = SpecialisationCategory.objects.in_bulk()
    trainers = []
    for name, employer, title, codes, specialities in TRAINERS:
        t = Trainer.objects.create(place=city, name=name, employer=employer, title=title, specialities=specialities)
        t.fields.set([fields[c] for c in codes if c in fields])
        trainers.append(t)
    counties = list(Place.objects.filter(level=PlaceLevel.COUNTY, code__startswith=city.code[:4]).order_by("code"))
    # Courses by year: (course, its days, hours a day).
    by_year: dict[int, list] = {}
    for year in range(FIRST_YEAR, today.year + 1):
        day = lambda m, d, y=year: datetime.date(y, m, d)  # noqa: E731
        courses = []
        policy = _course(
            f"{year}年社会救助与社会工作政策解读",
            "basic_policy",
            "offline",
            "city",
            city,
            day(3, 9),
            day(3, 10),
            16,
            trainers=[trainers[1]],
        )
        courses.append(("all", policy, [day(3, 9), day(3, 10)], Decimal(8)))
        title, code = FIELD_COURSES[year % len(FIELD_COURSES)]
        field_course = _course(
            f"{year}年{title}",
            "field_specific",
            "offline",
            "city",
            city,
            day(6, 15),
            day(6, 15),
            8,
            field=fields.get(code),
            trainers=[t for t, spec in zip(trainers, TRAINERS, strict=True) if code in spec[3]],
        )
        courses.append(("all", field_course, [day(6, 15)], Decimal(8)))
        online = _course(
            f"{year}年全国社会工作信息系统网络培训",
            "basic_competence",
            "online",
            "national_online",
            city,
            day(1, 1),
            day(12, 31),
            40,
        )
        courses.append(("online", online, None, Decimal(4)))
        for county in counties:
            c = _course(
                f"{year}年{county.name}社工站驻站社工能力提升班",
                "basic_competence",
                "offline",
                "county",
                county,
                day(9, 12),
                day(9, 13),
                16,
                trainers=[trainers[4]],
            )
            courses.append((county.code[:6], c, [day(9, 12), day(9, 13)], Decimal(8)))
        by_year[year] = courses
    rows = []
    assignments = Assignment.objects.filter(role=AssignmentRole.STATIONED).select_related("station")
    for a in assignments.order_by("id"):
        county = a.station.place_id[:6]
        for year, courses in by_year.items():
            first, last = (
                max(a.start_on, datetime.date(year, 1, 1)),
                min(a.end_on or today, datetime.date(year, 12, 31)),
            )
            last = min(last, today - datetime.timedelta(days=1))
            if first > last:
                continue
            short = rng.random() < 0.15  # skips the county course and most online hours
            for scope, course, days, per_day in courses:
                if scope == "online":
                    sessions = 1 if short else rng.choice([2, 3, 4])
                    span = (last - first).days
                    picked = sorted({first + datetime.timedelta(days=rng.randint(0, span)) for _ in range(sessions)})
                    rows += [
                        Attendance(course=course, worker_id=a.worker_id, attended_on=d, hours=per_day, source="form")
                        for d in picked
                    ]
                    continue
                if scope not in ("all", county) or (short and scope == county):
                    continue
                rows += [
                    Attendance(course=course, worker_id=a.worker_id, attended_on=d, hours=per_day, source="import")
                    for d in days
                    if first <= d <= last
                ]
    # A worker on two assignments the same year attends each day once.
    seen, unique = set(), []
    for r in rows:
        key = (r.course_id, r.worker_id, r.attended_on)
        if key not in seen:
            seen.add(key)
            unique.append(r)
    created = Attendance.objects.bulk_create(unique, batch_size=2000)
    history_insert_select(Attendance, [r.pk for r in created], None, "+")
    out(f"training: {len(trainers)} trainers, {Course.objects.count()} courses, {len(created)} attendance rows")
