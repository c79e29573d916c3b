"""Demo workforce on the real Liuzhou tree.

About 2,500 social workers; certified counts grow from about 1,000 at end-2020 to about 2,100 at end-2022
(the published 2022 figure is 2,137); certificates dated 2015–2023 with some upgrades and revocations;
specialisations of the plan's four categories and one the city added; about 40 service organisations, most
counties incubating three in 2021–2023 and a few falling short; two or more stationed workers at most
stations, some understaffed, and uncertified stationed workers with qualification deadlines due or overdue.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from network.choices import PlaceLevel
from network.models import Place

from .choices import AssignmentRole, Education, Gender, Grade, OrganisationField
from .identifiers import make_credit_code, make_id_number
from .models import Assignment, Organisation, Qualification, Specialisation, SpecialisationCategory, Worker
from .services import certified_spans_refresh, specialisation_categories_ensure

SURNAMES = "韦覃蓝黄陈李张王刘杨莫梁罗吴周廖谭潘唐卢蒙何欧"
GIVEN = [
    "丽",
    "芳",
    "秀英",
    "海燕",
    "婷",
    "晓明",
    "建华",
    "小红",
    "春梅",
    "志强",
    "玉兰",
    "静",
    "桂花",
    "伟",
    "丹",
    "雪梅",
    "国庆",
    "艳",
    "凤",
    "文杰",
    "思思",
    "美玲",
    "宇航",
    "金凤",
    "永红",
]
ORG_WORDS = ["阳光", "同心", "启航", "暖心", "和谐", "益民", "仁爱", "明德", "惠民", "馨家", "星光", "善行"]
TOTAL_WORKERS = 2500
# Certificates obtained per year (first certificate of a person): ~1,000 by end-2020, ~2,100 by end-2022.
FIRST_CERTS = {2015: 120, 2016: 140, 2017: 150, 2018: 180, 2019: 200, 2020: 230, 2021: 340, 2022: 790, 2023: 150}
CITY_CATEGORY = ("community_governance", "社区治理")


def _d(rng, year, first=1, last=12):
    return datetime.date(year, rng.randint(first, last), rng.randint(1, 28))


def build(rng, out) -> None:
    if Worker.objects.exists():
        return
    from stations.models import Station

    today = timezone.localdate()
    counties = list(Place.objects.filter(level=PlaceLevel.COUNTY, code__startswith="4502").order_by("code"))
    townships = list(
        Place.objects.filter(level=PlaceLevel.TOWNSHIP, code__startswith="4502")
        .select_related("parent")
        .order_by("code")
    )
    if not counties or not townships:
        out("workforce: no Liuzhou places; load the network first")
        return
    specialisation_categories_ensure()
    SpecialisationCategory.objects.get_or_create(code=CITY_CATEGORY[0], defaults={"name": CITY_CATEGORY[1]})

    # Organisations (TGT-ORG): 3-4 per county, most with three incubated 2021-2023, a few short.
    orgs, seq = [], 1
    for i, county in enumerate(counties):
        incubated = 2 if i % 4 == 3 else 3
        for k in range(incubated + rng.randint(0, 1)):
            year = rng.choice([2021, 2022, 2023]) if k < incubated else rng.choice([2016, 2018, 2019])
            short = county.name.split("（")[0]
            orgs.append(
                Organisation(
                    name=f"{short}{ORG_WORDS[(i + k) % len(ORG_WORDS)]}社会工作服务中心",
                    credit_code=make_credit_code(county.code, seq),
                    county=county,
                    registered_on=_d(rng, year, 1, 6),
                    scope_includes_social_work=rng.random() < 0.93 or k == 0,
                    service_fields=rng.sample(OrganisationField.values[:4], k=rng.randint(1, 3)),
                    incubation_base=f"{short}社会组织孵化基地" if year >= 2021 else "柳州市社会组织孵化基地",
                    incubated_year=year,
                    contact_phone=f"0772-{rng.randint(2000000, 8999999)}",
                )
            )
            seq += 1
    orgs = bulk_create_with_history(orgs, Organisation, batch_size=500)
    orgs_by_county: dict[str, list[Organisation]] = {}
    for o in orgs:
        orgs_by_county.setdefault(o.county_id, []).append(o)
    out(f"workforce: {len(orgs)} service organisations")

    # Workers: most registered in a township, some at the county level.
    workers = []
    for i in range(TOTAL_WORKERS):
        place = rng.choice(townships)
        if rng.random() >= 0.85:
            place = place.parent
        male = rng.random() < 0.3
        birth = datetime.date(rng.randint(1968, 2000), rng.randint(1, 12), rng.randint(1, 28))
        county_orgs = orgs_by_county.get(place.code[:6] + "000000", [])
        workers.append(
            Worker(
                name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                gender=Gender.MALE if male else Gender.FEMALE,
                birth_date=birth,
                id_number=make_id_number(place.code, birth, i, male),
                phone=f"1{rng.choice('3578')}{rng.randint(100000000, 999999999)}",
                education=rng.choice([*Education.values[1:], Education.BACHELOR]),
                organisation=rng.choice(county_orgs) if county_orgs and rng.random() < 0.7 else None,
                place=place,
            )
        )
    workers = bulk_create_with_history(workers, Worker, batch_size=1000)
    rng.shuffle(workers)

    # Qualifications (TGT-CERT): first certificates per year, upgrades, a few revocations.
    quals, certified, n = [], [], 0
    pool = iter(workers)
    for year, count in FIRST_CERTS.items():
        for _ in range(count):
            w = next(pool)
            obtained = _d(rng, year)
            if obtained < w.birth_date + relativedelta(years=20):
                obtained = w.birth_date + relativedelta(years=22)
                if obtained.year > 2023:
                    obtained = _d(rng, 2023)
            grade = Grade.SOCIAL_WORKER if rng.random() < 0.22 else Grade.ASSISTANT
            registered = obtained + datetime.timedelta(days=rng.randint(10, 120)) if rng.random() < 0.8 else None
            revoked = None
            if rng.random() < 0.01:
                revoked = obtained + datetime.timedelta(days=rng.randint(300, 900))
            n += 1
            quals.append(
                Qualification(
                    worker=w,
                    grade=grade,
                    certificate_no=f"GX{obtained.year}{n:06d}",
                    obtained_on=obtained,
                    registered_on=registered if registered and registered <= today else None,
                    revoked_on=revoked if revoked and revoked <= today else None,
                )
            )
            certified.append((w, obtained))
            if grade == Grade.ASSISTANT and rng.random() < 0.15 and obtained.year <= 2021:
                n += 1
                up = obtained + datetime.timedelta(days=rng.randint(400, 1000))
                quals.append(
                    Qualification(
                        worker=w,
                        grade=Grade.SOCIAL_WORKER,
                        certificate_no=f"GX{up.year}{n:06d}",
                        obtained_on=up,
                        registered_on=up + datetime.timedelta(days=30),
                    )
                )
            elif grade == Grade.SOCIAL_WORKER and rng.random() < 0.05:
                n += 1
                up = obtained + datetime.timedelta(days=rng.randint(700, 1200))
                quals.append(
                    Qualification(worker=w, grade=Grade.SENIOR, certificate_no=f"GX{up.year}{n:06d}", obtained_on=up)
                )
    quals = [q for q in quals if q.obtained_on <= today]
    bulk_create_with_history(quals, Qualification, batch_size=1000)
    certified_spans_refresh()
    uncertified = [w for w in workers if w.pk not in {c.pk for c, _o in certified}]
    out(f"workforce: {len(workers)} workers, {len(quals)} certificates, {len(uncertified)} uncertified")

    # Specialisations (TGT-SPEC): each of the plan's four for about 15-20 % of certified workers.
    specs = []
    plan = ["minors_protection", "social_assistance", "elderly_services", "judicial_protection"]
    for w, obtained in certified:
        cats = [c for c in plan if rng.random() < 0.19]
        if rng.random() < 0.05:
            cats.append(CITY_CATEGORY[0])
        for c in cats:
            specs.append(
                Specialisation(
                    worker=w,
                    category_id=c,
                    since=obtained + datetime.timedelta(days=rng.randint(0, 200)) if obtained.year < 2023 else obtained,
                )
            )
    bulk_create_with_history([s for s in specs if s.since <= today], Specialisation, batch_size=1000)

    # Assignments (PRC-2): two or three stationed workers at most stations, some understaffed; uncertified
    # workers with deadlines due soon or overdue; one supervisor per county.
    by_township: dict[str, list[Worker]] = {}
    for w in workers:
        by_township.setdefault(w.place_id[:9], []).append(w)
    cert_on = {w.pk: o for w, o in certified}
    assignments, used = [], set()
    stations = list(Station.objects.select_related("place").order_by("place_id"))
    for k, station in enumerate(stations):
        first = station.status_changes.order_by("effective_on").values_list("effective_on", flat=True).first()
        opened = max(first or datetime.date(2021, 1, 1), datetime.date(2019, 1, 1))
        county_orgs = [
            o for o in orgs_by_county.get(station.place.code[:6] + "000000", []) if o.scope_includes_social_work
        ]
        provider = county_orgs[k % len(county_orgs)] if county_orgs else None
        wanted = 1 if k % 9 == 4 else (3 if k % 4 == 0 else 2)
        local = [w for w in by_township.get(station.place.code[:9], []) if w.pk not in used]
        # Most stations are staffed by certified workers first; every sixth takes an uncertified one first.
        local.sort(key=lambda w: ((w.pk in cert_on) if k % 6 == 1 else (w.pk not in cert_on), w.pk))
        for j, w in enumerate(local[:wanted]):
            used.add(w.pk)
            if w.pk in cert_on:
                start = max(opened, cert_on[w.pk] - datetime.timedelta(days=rng.randint(0, 300)))
            elif j % 2 == 0:
                start = today - relativedelta(months=22) + datetime.timedelta(days=rng.randint(0, 40))  # due soon
            else:
                start = today - relativedelta(months=rng.randint(25, 30))  # overdue
            assignments.append(
                Assignment(
                    worker=w,
                    station=station,
                    role=AssignmentRole.STATIONED,
                    organisation=provider,
                    start_on=min(start, today),
                )
            )
    # SUP-1: one supervisor per county covering two to five of its stations at once; in the last county the
    # supervisor has only one station so far (flagged on the worker page and the county page).
    for n, county in enumerate(counties):
        pool_c = [w for w in workers if w.place_id.startswith(county.code[:6]) and w.pk in cert_on and w.pk not in used]
        county_stations = [s for s in stations if s.place.code.startswith(county.code[:6])]
        if pool_c and county_stations:
            used.add(pool_c[0].pk)
            covered = 1 if n == len(counties) - 1 else min(len(county_stations), rng.randint(2, 5))
            for station in county_stations[:covered]:
                assignments.append(
                    Assignment(
                        worker=pool_c[0],
                        station=station,
                        role=AssignmentRole.SUPERVISOR,
                        start_on=datetime.date(2022, 3, 1),
                    )
                )
    bulk_create_with_history(assignments, Assignment, batch_size=1000)
    out(f"workforce: {len(assignments)} station assignments")

    # SRV-3: the stations' service records (built by the stations demo, before any worker existed) are
    # signed by the workers stationed there on the day of the service.
    from stations.models import ServiceRecord

    through = ServiceRecord.workers.through
    stationed: dict[int, list[Assignment]] = {}
    for a in assignments:
        if a.role == AssignmentRole.STATIONED:
            stationed.setdefault(a.station_id, []).append(a)
    links = [
        through(servicerecord_id=rec_id, worker_id=a.worker_id)
        for rec_id, station_id, served_on in ServiceRecord.objects.values_list("id", "station_id", "served_on")
        for a in stationed.get(station_id, [])[:2]
        if a.start_on <= served_on and (a.end_on is None or a.end_on >= served_on)
    ]
    through.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)
    out(f"workforce: {len(links)} worker signatures on service records")

    # TGT-STD: with the workers stationed, the county's on-site confirmations of the standard check.
    from stations.demo import build_standard_checks

    build_standard_checks(rng, out)
