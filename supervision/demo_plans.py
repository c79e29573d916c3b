"""Demo county plans (PLAN-1, SUP-4) on the real Liuzhou tree: every county-level unit's 2021–2023 implementation
plan, most filed with the city in 2021, 柳城县's revised and filed again in 2022, 鹿寨县's returned once before it
was filed, 融安县's returned and not yet revised, 三江县's submitted and awaiting filing, 北部生态新区's still a draft;
and the next plans (2024–2026) of 柳城县 (filed) and 鹿寨县 (submitted). Built through the services, then dated.
Idempotent: nothing is added once a plan exists."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from network.choices import PlaceLevel
from network.models import Place, User

from . import services_plans as services
from .models import CountyPlan, PlanVersion
from .rules_plans import SECTIONS

LIUCHENG, LUZHAI, RONGAN, SANJIANG, NORTH_ZONE = (
    "450222000000",
    "450223000000",
    "450224000000",
    "450226000000",
    "450272000000",
)
OFFICERS = {LIUCHENG: "liucheng_officer", LUZHAI: "luzhai_officer"}

PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)

TEXT = {
    "goals": "到{last}年底，{c}{n}个乡镇（街道）社工站全部建成并规范运行，"
    "每站驻站社工不少于2名，持证社工人数较2020年翻一番。",
    "siting": "依托乡镇（街道）便民服务中心等现有场所设置社工站，"
    "做到“六有”；有条件的村（社区）依托党群服务中心设立社工服务室。",
    "workforce": "通过政府购买服务配备驻站社工，新入职社工24个月内取得职业资格；开展岗前培训和继续教育，落实薪酬保障。",
    "funding": "县财政每年安排社工站建设经费；社会救助专项经费的2%以内"
    "用于购买社会救助服务，统筹福彩公益金和高龄补贴工作经费。",
    "services": "聚焦低保对象、特困人员、留守儿童和老年人等十类对象，"
    "开展入户走访、个案、小组和社区活动，建立服务台账。",
    "schedule": "{first}年完成试点站建设；{mid}年实现乡镇（街道）社工站全覆盖；{last}年全面规范化运行并开展总结评估。",
    "supervision_training": "建立县级督导制度，每站每月督导不少于1次；驻站社工每年参加培训不少于48学时。",
    "evaluation": "引入第三方评估机构，对社工站项目开展中期和终期评估，评估结果与下一年度购买服务挂钩。",
    "safeguards": "成立由民政局主要负责人任组长的工作领导小组，建立联席会议制度，加强宣传，营造良好氛围。",
    "supervision_plan": "县社工站指导中心组织督导团队，按季度制定督导排期，督导记录报县民政局备查。",
    "training_plan": "每年组织政策法规、专业能力和专项领域培训不少于4期，鼓励参加全国社会工作信息系统线上培训。",
    "evaluation_plan": "每年11月开展年度考核，合同期满前一个月完成终期评估，评估报告向社会公开。",
}


def _text(county: Place, first: int, last: int, n: int, extra: str = "") -> dict[str, str]:
    short = county.name.split("（")[0]
    values = {s.field: TEXT[s.field].format(c=short, n=n, first=first, mid=first + 1, last=last) for s in SECTIONS}
    if extra:
        values["schedule"] += extra
    return values


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _date(version: PlanVersion, *, created=None, submitted=None, decided=None, filed=None) -> None:
    fields = {}
    if created:
        fields["created_at"] = _at(created, 9)
    if submitted:
        fields["submitted_at"] = _at(submitted)
    if decided:
        fields["decided_at"] = _at(decided, 15)
    if filed:
        fields["filed_on"] = filed
    PlanVersion.objects.filter(pk=version.pk).update(**fields)


def _draft(user, county, first, last, n, *, extra="", version=None):
    if version is None:
        plan = services.county_plan_create(
            user=user,
            county=county,
            title=f"{county.name.split('（')[0]}乡镇（街道）社工站和社会工作人才队伍建设实施方案（{first}—{last}年）",
            first_year=first,
            last_year=last,
        )
        version = plan.versions.get(number=1)
    pdf = ContentFile(PDF, name=f"{county.code}-{first}-v{version.number}.pdf")
    return services.plan_version_save(
        user=user, version=version, data=_text(county, first, last, n, extra), signed_pdf=pdf
    )


def build(rng, out) -> None:
    if CountyPlan.objects.exists():
        return
    admin = User.objects.filter(username="city_admin").first()
    if admin is None:
        out("plans: no city administrator; load the network first")
        return
    counties = list(Place.objects.filter(level=PlaceLevel.COUNTY, code__startswith="4502").order_by("code"))
    for i, county in enumerate(counties):
        user = User.objects.filter(username=OFFICERS.get(county.code, "")).first() or admin
        n = Place.objects.filter(parent=county, level=PlaceLevel.TOWNSHIP).count()
        submitted_on = datetime.date(2021, 3, 1) + datetime.timedelta(days=7 * i)
        v1 = _draft(user, county, 2021, 2023, n)
        _date(v1, created=submitted_on - datetime.timedelta(days=20))
        if county.code == NORTH_ZONE:
            continue  # still a draft
        services.plan_version_submit(user=user, version=v1)
        _date(v1, submitted=submitted_on)
        if county.code == SANJIANG:
            continue  # awaiting filing
        if county.code in (RONGAN, LUZHAI):
            services.plan_version_return(
                user=admin,
                version=v1,
                comments="资金安排未明确社会救助专项经费和福彩公益金的使用比例，请补充后重新报送。",
            )
            _date(v1, decided=submitted_on + datetime.timedelta(days=10))
            if county.code == RONGAN:
                continue  # returned, not yet revised
            v2 = services.plan_revise(user=user, plan=v1.plan, change_note="补充资金使用比例")
            v2 = _draft(user, county, 2021, 2023, n, version=v2)
            services.plan_version_submit(user=user, version=v2)
            services.plan_version_file(user=admin, version=v2, comments="同意备案")
            _date(
                v2,
                created=submitted_on + datetime.timedelta(days=12),
                submitted=submitted_on + datetime.timedelta(days=20),
            )
            _date(
                v2, decided=submitted_on + datetime.timedelta(days=30), filed=submitted_on + datetime.timedelta(days=30)
            )
            continue
        services.plan_version_file(user=admin, version=v1, comments="同意备案")
        filed_on = submitted_on + datetime.timedelta(days=14)
        _date(v1, decided=filed_on, filed=filed_on)
        if county.code == LIUCHENG:
            v2 = services.plan_revise(user=user, plan=v1.plan, change_note="调整进度安排，2022年实现全覆盖")
            v2 = _draft(
                user,
                county,
                2021,
                2023,
                n,
                extra="因2021年建站进度提前，全覆盖目标调整为2022年6月底前完成。",
                version=v2,
            )
            services.plan_version_submit(user=user, version=v2)
            services.plan_version_file(user=admin, version=v2, comments="同意备案，原方案同时废止")
            _date(v2, created=datetime.date(2022, 2, 1), submitted=datetime.date(2022, 2, 10))
            _date(v2, decided=datetime.date(2022, 2, 20), filed=datetime.date(2022, 2, 20))
    # The next plans: 柳城县 filed, 鹿寨县 submitted and awaiting the city.
    for code, filed in ((LIUCHENG, True), (LUZHAI, False)):
        county = Place.objects.get(code=code)
        user = User.objects.filter(username=OFFICERS[code]).first() or admin
        n = Place.objects.filter(parent=county, level=PlaceLevel.TOWNSHIP).count()
        v = _draft(user, county, 2024, 2026, n)
        services.plan_version_submit(user=user, version=v)
        _date(v, created=datetime.date(2024, 1, 10), submitted=datetime.date(2024, 2, 1))
        if filed:
            services.plan_version_file(user=admin, version=v, comments="同意备案")
            _date(v, decided=datetime.date(2024, 2, 26), filed=datetime.date(2024, 2, 26))
    out(
        f"plans: {CountyPlan.objects.count()} county plans, {PlanVersion.objects.count()} versions, "
        f"{PlanVersion.objects.filter(status='filed').count()} in force"
    )
