"""A populated test network for the crawls: every kind of record in every township of both counties, with names
and ID numbers that occur nowhere else, so that a page showing a record outside a persona's places is found by
a plain text search.

Each township holds two workers, each village a recipient and a room; each county an organisation, a
county-level worker and its guidance centre; each station an assignment per worker, a service record of its
own workers and recipients, a catalogue entry; each recipient an assessment and a follow-up by a worker of
its township. Nothing links a record to one outside its township (except the county's organisation, which
townships read by design), so every name a persona may not see is a leak wherever it appears.
"""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from network.choices import CentreLevel
from network.models import Centre, User
from procurement.choices import EVALUATION_FIELDS, EvaluationKind
from procurement.models import Contract, ContractAssignment, CountyFund, EvaluationTeam, MinimumWage, PayLine, Project
from procurement.services import bid_save, bid_team_member_add, evaluation_record
from stations.models import CatalogueItem, FollowUpPlan, NeedsAssessment, Room
from tests.factories import (
    OrganisationFactory,
    QualificationFactory,
    RecipientFactory,
    ServiceRecordFactory,
    SpecialisationFactory,
    WorkerFactory,
    valid_id_number,
)
from workforce.models import Assignment

# Rare characters: a three-character name built from them occurs on no page unless the record is shown.
_SURNAMES = "隗雒蒯眭郦"
_GIVEN = "翀翮翥翯鹮鹲鹳鹴鹞鹟鹡鹣"


def _names():
    for surname in _SURNAMES:
        for a, b in itertools.permutations(_GIVEN, 2):
            yield surname + a + b


TOWNSHIPS = ("a1", "a2", "b1", "b2")


def populate(network) -> dict:
    """Adds the records to ``network`` (keys ``pop_…``) and returns the registry of what was made:
    ``workers`` and ``recipients`` as lists of model instances, ``phones`` by record."""
    if "personas" in network:  # the records below (contracts, notifications) are made for every account
        network["personas"].all()
    names = _names()
    serial = itertools.count(500)
    made: dict[str, list] = {"workers": [], "recipients": []}
    organisations = {}
    for county in ("a", "b"):
        place = network[f"county_{county}"]
        organisations[county] = OrganisationFactory(county=place, name=f"{place.name}阳光社工服务中心")
        Centre.objects.get_or_create(
            place=place, defaults={"level": CentreLevel.COUNTY, "name": f"{place.name}社会工作服务站指导中心"}
        )
        made["workers"].append(
            WorkerFactory(
                name=next(names),
                place=place,
                organisation=organisations[county],
                id_number=valid_id_number(next(serial), region=place.code[:6], birth="19850505"),
                phone=f"139077{next(serial):05d}",
            )
        )
    Centre.objects.get_or_create(
        place=network["city"], defaults={"level": CentreLevel.CITY, "name": "柳州市社会工作发展中心"}
    )
    for key in TOWNSHIPS:
        township, station = network[f"township_{key}"], network[f"station_{key}"]
        org = organisations[key[0]]
        workers = []
        for _i in range(2):
            worker = WorkerFactory(
                name=next(names),
                place=township,
                organisation=org,
                id_number=valid_id_number(next(serial), region=township.code[:6], birth="19900303"),
                phone=f"138077{next(serial):05d}",
            )
            QualificationFactory(worker=worker, certificate_no=f"S{worker.id_number[-8:]}")
            SpecialisationFactory(worker=worker)
            Assignment.objects.create(
                worker=worker, station=station, organisation=org, start_on=datetime.date(2021, 3, 1)
            )
            workers.append(worker)
        made["workers"].extend(workers)
        recipients = []
        for v in (1, 2):
            village = network[f"village_{key}{v}"]
            Room.objects.get_or_create(place=village)
            recipient = RecipientFactory(
                name=next(names),
                village=village,
                id_number=valid_id_number(next(serial), region=township.code[:6], birth="19550707"),
                phone=f"137077{next(serial):05d}",
            )
            NeedsAssessment.objects.create(
                recipient=recipient,
                assessed_on=datetime.date(2022, 4, 1),
                material="high",
                psychological="low",
                social="medium",
            )
            FollowUpPlan.objects.create(
                recipient=recipient, due_on=datetime.date(2022, 6, 1), action="电话回访", worker=workers[0]
            )
            recipients.append(recipient)
        made["recipients"].extend(recipients)
        record = ServiceRecordFactory(station=station, summary=f"入户走访 {key}")
        record.workers.set(workers)
        record.recipients.set(recipients)
        CatalogueItem.objects.create(
            station=station,
            field="livelihood",
            title=f"{township.name}长者关爱",
            published_on=datetime.date(2021, 5, 1),
        )
        network[f"pop_workers_{key}"] = workers
        network[f"pop_recipients_{key}"] = recipients
        network[f"pop_record_{key}"] = record
    _procurement(network, network["pop_workers_a1"])
    _supervision(network, organisations)
    _training(network)
    _plans(network)
    _workbench(network)
    return made


def _supervision(network, organisations) -> None:
    """SUP-1: a plan per county, and in every township a supervisor assignment and a supervision log (awaiting the
    station's confirmation), so every supervision page and dropdown has records in every place."""
    from supervision.models import SupervisionLog, SupervisionPlan

    today = timezone.localdate()
    for county in ("a", "b"):
        SupervisionPlan.objects.create(
            organisation=organisations[county],
            county=network[f"county_{county}"],
            start_on=datetime.date(2021, 1, 1),
            end_on=datetime.date(today.year + 1, 12, 31),
        )
    for key in TOWNSHIPS:
        supervisor = network[f"pop_workers_{key}"][1]
        station = network[f"station_{key}"]
        Assignment.objects.create(
            worker=supervisor,
            station=station,
            role="supervisor",
            organisation=organisations[key[0]],
            start_on=datetime.date(2021, 3, 1),
        )
        for days_before, status in ((5, "recorded"), (12, "confirmed")):  # one to confirm, one that counts
            log = SupervisionLog.objects.create(
                station=station,
                supervisor=supervisor,
                organisation=organisations[key[0]],
                held_on=today.replace(day=1) - datetime.timedelta(days=days_before),
                days=2,
                start_time=datetime.time(9),
                end_time=datetime.time(17),
                hours=Decimal(16),
                method="casework",
                content=f"督导 {key}",
                status=status,
            )
            log.workers_present.set(network[f"pop_workers_{key}"][:1])


def _training(network) -> None:
    """Training (SUP-2, SUP-3): a trainer of the city's pool, a city course with a trainer, a course of each county,
    and attendance of a worker of A1 and of B1."""
    from supervision.models import Attendance, Course, Trainer
    from workforce.models import SpecialisationCategory

    field, _created = SpecialisationCategory.objects.get_or_create(
        code="minors_protection", defaults={"name": "未成年人保护", "in_plan": True}
    )
    trainer = Trainer.objects.create(place=network["city"], name="师资库老师", employer="柳州市社工协会")
    trainer.fields.set([field])
    day = datetime.date(2023, 5, 18)
    city = Course.objects.create(
        title="市级政策培训",
        kind="basic_policy",
        mode="offline",
        organiser_level="city",
        place=network["city"],
        start_on=day,
        end_on=day,
        hours=Decimal(8),
    )
    city.trainers.set([trainer])
    for key in ("a", "b"):
        course = Course.objects.create(
            title=f"县级能力培训{key}",
            kind="basic_competence",
            mode="offline",
            organiser_level="county",
            place=network[f"county_{key}"],
            start_on=day,
            end_on=day,
            hours=Decimal(8),
        )
        worker = network[f"pop_workers_{key}1"][0]
        Attendance.objects.create(course=city, worker=worker, attended_on=day, hours=Decimal(8))
        Attendance.objects.create(course=course, worker=worker, attended_on=day, hours=Decimal(4))


def _plans(network) -> None:
    """County plans (PLAN-1) in every state the pages offer a step for: in county A a plan whose filed version 1 is
    followed by a submitted version 2 (compare, file, return), a draft (edit, submit) and a returned plan (revise);
    in county B a filed plan. Written directly: the workflow's services are tested in tests/supervision."""
    from supervision.models import CountyPlan, PlanVersion
    from supervision.rules_plans import SECTION_FIELDS

    text = {f: f"{f}（人口测试）" for f in SECTION_FIELDS}
    today = timezone.localdate()
    for county, first, states in (
        ("county_a", 2021, ["filed", "submitted"]),
        ("county_a", 2024, ["draft"]),
        ("county_a", 2018, ["returned"]),
        ("county_b", 2021, ["filed"]),
    ):
        place = network[county]
        plan = CountyPlan.objects.create(
            county=place, title=f"{place.name}实施方案{first}", first_year=first, last_year=first + 2
        )
        for number, state in enumerate(states, start=1):
            version = PlanVersion.objects.create(
                plan=plan,
                number=number,
                status=state,
                filed_on=today if state == "filed" else None,
                comments="请补充" if state == "returned" else "",
                **(text | {"funding": f"资金安排第{number}版"}),
            )
            if state == "filed":
                CountyPlan.objects.filter(pk=plan.pk).update(in_force=version)


def _procurement(network, workers) -> None:
    """County A's purchase of services, every kind of record once: the city's minimum wages and the county's
    funds, a stationed worker of A1 on the personas' contract with a pay line, an evaluation of that contract,
    and a tendering project with a scored bid and its proposed team (so the award step is offered)."""
    contract = Contract.objects.filter(number="450222-P-001-C001").first()
    if contract is None:  # the personas fixture builds the contract
        return
    today = timezone.localdate()
    county = network["county_a"]
    for year in range(2021, today.year + 2):
        MinimumWage.objects.get_or_create(year=year, defaults={"monthly": Decimal(2000), "is_demo_value": True})
    CountyFund.objects.create(county=county, year=today.year, assistance_funds=Decimal(1000000))
    worker = workers[0]
    ContractAssignment.objects.create(contract=contract, assignment=worker.assignments.get())
    PayLine.objects.create(
        contract=contract, worker=worker, station=network["station_a1"], month=today.replace(day=1), amount=4000
    )
    evaluator = OrganisationFactory(county=county, name="柳城县第三方评估中心", scope_includes_social_work=False)
    team = EvaluationTeam.objects.create(
        project=contract.project,
        organisation=evaluator,
        purchaser_members="柳城县民政局",
        start_on=contract.project.service_start,
        end_on=contract.project.service_end,
    )
    evaluation_record(
        user=User.objects.get(username="officer_a"),
        contract=contract,
        data={
            "team": team,
            "kind": EvaluationKind.MID_TERM,
            "evaluated_on": today,
            **dict.fromkeys(EVALUATION_FIELDS.values(), Decimal(85)),
        },
    )
    tendering = Project.objects.create(
        number="450222-P-009",
        name="柳城县未成年人关爱服务项目",
        county=county,
        purchaser="柳城县民政局",
        service_start=today + datetime.timedelta(days=30),
        service_end=today + datetime.timedelta(days=760),
        budget_year=today.year,
        fund_department=Decimal(400000),
    )
    tendering.stations.set([network["station_a1"]])
    bidder = OrganisationFactory(county=county, name="柳城县同心社会工作服务中心")
    bid = bid_save(
        user=None, project=tendering, data={"organisation": bidder, "price": Decimal(390000), "submitted_on": today}
    )
    bid_team_member_add(
        user=None, bid=bid, data={"name": "同心队员", "grade": 1, "age_band": "35_44", "education": "bachelor"}
    )


def _workbench(network) -> None:
    """The workbench's records: a city notice with an attachment to every level, an import waiting for the city
    administrator's confirmation, and every user's notifications from the alerts (the beat task's work)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from network.choices import JobStatus
    from network.models import Job, User
    from network.notices import notice_publish
    from network.notifications import notifications_sync

    admin = User.objects.filter(username="city_admin").first()
    if admin is None:  # the personas fixture builds the accounts
        return
    notice_publish(
        user=admin,
        title="关于开展社会工作宣传周活动的通知",
        body="请各级按通知要求组织开展活动。",
        place=network["city"],
        levels=["city", "county", "township"],
        audience=[],
        files=[SimpleUploadedFile("活动方案.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")],
    )
    Job.objects.create(
        kind="division_import",
        created_by=admin,
        status=JobStatus.DONE,
        params={"step": "preview"},
        result={"error_count": 0, "step": "preview"},
    )
    notifications_sync()
