"""The indicator catalogue: one declarative entry per indicator.

Adding an indicator (pay floors, supervision, training, plans, funds) is one entry here plus one
query in ``reporting.queries``; the recompute, dashboards, workbook and API read this list.
Targets are read from the rule settings (``network.rule_settings``) the city administrator edits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from network.rule_settings import BASELINE_YEAR, PLAN_FIRST_YEAR, PLAN_LAST_YEAR, rule_value
from stations.choices import ServiceKind, TargetGroup
from workforce.choices import PLAN_SPECIALISATIONS

from . import queries, sup1
from .choices import IndicatorKind

PLAN_END_YEAR = PLAN_LAST_YEAR
CITY, COUNTY, TOWNSHIP = "city", "county", "township"


@dataclass(frozen=True)
class Indicator:
    code: str
    rule: str
    name_zh: str
    name_en: str
    definition: str
    numerator: str
    denominator: str
    unit: str
    kind: str
    query: Callable[[], tuple[str, list]]
    group: str
    levels: tuple[str, ...] = (CITY, COUNTY, TOWNSHIP)
    target: Callable[[int], Decimal | None] = field(default=lambda year: None)
    # "" plain; "baseline": target × the place's own 2020 value; "counties": × county-level units below.
    target_scale: str = ""
    higher_is_better: bool = True
    records: str = ""  # name of the function in reporting.records listing the records behind a value
    in_ranking: bool = True  # a column of the ranking table of the level below on the dashboard

    @property
    def additive(self) -> bool:
        """Numerator and denominator add up from counties to the city."""
        return self.kind != IndicatorKind.DERIVED

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh

    @property
    def definition_text(self) -> str:
        """The definition with the numbers of the rule settings in force."""
        return str(self.definition) % rule_numbers()

    @property
    def is_share(self) -> bool:
        return self.kind == IndicatorKind.SHARE


# --- targets from the rule settings -----------------------------------------------------------


def _from_year(first: int, key: str):
    return lambda year: rule_value(key) if year >= first else None


def coverage_target(year: int):
    if year < BASELINE_YEAR:
        return None
    return rule_value(f"TGT-COV.target_{min(year, PLAN_END_YEAR)}")


def certified_multiple(year: int):
    """TGT-CERT: the multiple of 2020 due by the year — 1.25 per year, and at least 2 by 2023."""
    if year <= BASELINE_YEAR:
        return None
    growth = 1 + rule_value("TGT-CERT.annual_growth") / 100
    years = min(year, PLAN_END_YEAR) - BASELINE_YEAR
    multiple = growth**years
    if year >= PLAN_END_YEAR:
        multiple = max(multiple, rule_value("TGT-CERT.multiple_2023"))
    return multiple.quantize(Decimal("0.0001"))


def growth_target(year: int):
    return rule_value("TGT-CERT.annual_growth") if year > BASELINE_YEAR else None


def growth_needed_target(year: int):
    return rule_value("TGT-CERT.annual_growth") if year < PLAN_END_YEAR else None


def _number(value) -> str:
    """A rule number as written in a sentence: 70, 2.5, 1.95."""
    value = Decimal(value)
    return str(int(value)) if value == value.to_integral_value() else f"{value.normalize():f}"


def rule_numbers() -> dict[str, str]:
    """The numbers the rule texts and definitions quote, from the rule settings in force (so that a city
    administrator's edit shows on every explanation page, in the API and on the dashboard)."""
    growth = rule_value("TGT-CERT.annual_growth")
    factor = 1 + growth / 100
    years = PLAN_LAST_YEAR - BASELINE_YEAR
    return {
        "baseline_year": str(BASELINE_YEAR),
        "first_year": str(PLAN_FIRST_YEAR),
        "last_year": str(PLAN_LAST_YEAR),
        "baseline_stations": _number(rule_value("TGT-COV.baseline_stations")),
        **{f"cov_{y}": _number(rule_value(f"TGT-COV.target_{y}")) for y in range(BASELINE_YEAR, PLAN_LAST_YEAR + 1)},
        "std": _number(rule_value("TGT-STD.target_2023")),
        "growth": _number(growth),
        "factor": _number(factor.quantize(Decimal("0.01"))),
        "years": str(years),
        "path": _number((factor**years).quantize(Decimal("0.01"))),
        "multiple": _number(rule_value("TGT-CERT.multiple_2023")),
        "every": _number(rule_value("TGT-EVERY.target_2023")),
        "spec": _number(rule_value("TGT-SPEC.min_share")),
        "org": _number(rule_value("TGT-ORG.per_county")),
        "workers": _number(rule_value("PRC-2.workers_per_station")),
        "train_hours": _number(rule_value("SUP-2.training_hours_per_year")),
        "months": _number(rule_value("PRC-2.qualify_within_months")),
        "staffed": _number(rule_value("PRC-2.staffed_target")),
        "floor0": _number(rule_value("PRC-3.floor_uncertified")),
        "floor1": _number(rule_value("PRC-3.floor_assistant")),
        "floor2": _number(rule_value("PRC-3.floor_social_worker")),
        "fee_cap": _number(rule_value("PRC-3.management_fee_cap")),
        "fund_share": _number(rule_value("FUND-1.assistance_fund_share_max")),
        "min_years": _number(rule_value("PRC-5.contract_min_years")),
        "max_years": _number(rule_value("PRC-5.contract_max_years")),
        "sup_visits": _number(rule_value("SUP-1.visits_per_month")),
        "sup_hours": _number(rule_value("SUP-1.hours_per_visit")),
        "sup_min": _number(rule_value("SUP-1.stations_per_supervisor_min")),
        "sup_max": _number(rule_value("SUP-1.stations_per_supervisor_max")),
    }


# The rule each indicator measures, as RULES.md states it (shown on every explanation page), with its numbers
# filled in from the rule settings in force (``rule_text``).
RULE_TEXT = {
    "TGT-COV": _(
        "Station coverage = townships/streets with a station that is established or operating on the date "
        "÷ all townships/streets, per county and city-wide, as of 31 Dec of each year (a station established "
        "on 31 Dec counts for that year). Planned, suspended and closed stations do not count. "
        "%(baseline_year)s baseline %(baseline_stations)s stations = %(cov_2020)s %%; 2021 at least "
        "%(cov_2021)s %%; 2022 %(cov_2022)s %%; 2023 %(cov_2023)s %%."
    ),
    "TGT-STD": _(
        "By %(last_year)s %(std)s %% of stations meet the standard. A station meets it on a date when every "
        "item of its standard check passes on that date: the six haves, a published service catalogue, at "
        "least %(workers)s stationed social workers, and SUP-1 met in the last completed month (from %(first_year)s)."
    ),
    "TGT-CERT": _(
        "Certified social workers (assistant social worker, social worker or senior social worker) grow "
        "about %(growth)s %% a year %(first_year)s–%(last_year)s and the %(last_year)s total is at least "
        "%(multiple)s times the %(baseline_year)s total. A person counts once, at the highest grade held on the "
        "date; a certificate counts from the date obtained until revoked. %(factor)s^%(years)s ≈ %(path)s "
        "against %(multiple)s: the annual path and the multiple may disagree, so both are shown."
    ),
    "TGT-EVERY": _(
        "Every township/street has at least one certified social worker: %(every)s %% of them by %(last_year)s."
    ),
    "TGT-SPEC": _(
        "Four specialised categories — minors protection, social assistance, elderly services, judicial "
        "protection — each at least %(spec)s per cent of all certified social workers city-wide."
    ),
    "TGT-ORG": _(
        "Each county/district incubates at least %(org)s social-work service organisations during "
        "%(first_year)s–%(last_year)s; an organisation counts when its registered business scope includes "
        "social-work services."
    ),
    "SRV": _(
        "Stations serve the ten target groups (SRV-1) through home visits, assessment, follow-up, "
        "casework, group work and community work (SRV-3), and record each service."
    ),
    "PRC-2": _(
        "A provider sends at least %(workers)s stationed social workers per station, and each must obtain a "
        "social-work qualification within %(months)s months of their first day as a stationed worker at any "
        "station (a move to another station does not restart the clock); from the day after that deadline "
        "until they hold a valid qualification they are overdue."
    ),
    "PRC-3": _(
        "A stationed worker's monthly pay is at least the city minimum wage of the year × %(floor0)s %% uncertified, "
        "%(floor1)s %% as an assistant social worker, %(floor2)s %% as a social worker (a senior social worker at "
        "least that), by the grade held on the first day of the month; pay may not be withheld; the provider's "
        "management fee is at most %(fee_cap)s %% of the contract value."
    ),
    "PRC-4": _(
        "Projects are evaluated by a team of the purchaser and a third-party organisation; the final evaluation is "
        "due no later than one month before the contract ends. An organisation that evaluates may not hold a station "
        "service contract."
    ),
    "PRC-5": _(
        "A contract states staffing, service content, service objectives, fund management, supervision and training, "
        "and evaluation requirements; it runs %(min_years)s to %(max_years)s years."
    ),
    "SUP-1": _(
        "The provider has a supervision plan. Each station receives at least %(sup_visits)s supervision a month, each "
        "at least %(sup_hours)s hours, confirmed by the station; hours are not added up across sessions, and a "
        "session over several consecutive days counts, whole, for the month of its first day. One supervisor covers "
        "%(sup_min)s–%(sup_max)s stations."
    ),
    "FUND-1": _(
        "Who uses, buys. Social-assistance funds used for purchased services stay within %(fund_share)s %% of the "
        "county's social-assistance special funds of the year."
    ),
    "PLAN-1": _(
        "Each county writes an implementation plan covering task goals, station siting, workforce, funding, service "
        "content, schedule, supervision and training, performance evaluation and safeguards, with its supervision, "
        "training and evaluation plans (SUP-4), and files it with the city civil-affairs bureau; every section is "
        "required. A filed plan is revised only by a new version filed again."
    ),
}


def rule_text(rule: str) -> str:
    """The rule's text with the numbers in force."""
    template = RULE_TEXT.get(rule)
    return str(template) % rule_numbers() if template else ""


# TGT-CERT grades: (grade, indicator code suffix, Chinese and English name of the grade).
CERT_GRADES = [
    (1, "ASSISTANT", "助理社会工作师", "assistant social workers"),
    (2, "SOCIAL-WORKER", "社会工作师", "social workers"),
    (3, "SENIOR", "高级社会工作师", "senior social workers"),
]

GROUPS = {
    "network": _("Station network"),
    "workforce": _("Certified social workers"),
    "specialisation": _("Specialisations"),
    "organisations": _("Service organisations"),
    "procurement": _("Stationed workers (PRC-2)"),
    "services": _("Services delivered"),
    "contracts": _("Procurement and funds"),
    "supervision": _("Supervision (SUP-1)"),
    "plans": _("County plans"),
}

_SPEC_EN = {
    "minors_protection": "minors protection",
    "social_assistance": "social assistance",
    "elderly_services": "elderly services",
    "judicial_protection": "judicial protection",
}

# SRV-3 methods and SRV-1 target groups, as RULES.md names them in Chinese.
_SRV_METHOD_ZH = {"home_visit": "入户走访", "casework": "个案", "group": "小组", "community": "社区活动"}
_SRV_GROUP_ZH = {
    "dibao": "低保对象",
    "dibao_margin": "低保边缘家庭",
    "tekun": "特困人员",
    "temporary": "临时救助对象",
    "orphan": "孤儿",
    "unsupported_child": "事实无人抚养儿童",
    "left_behind": "农村“三留守”人员",
    "elderly_difficulty": "特殊困难老年人",
    "disability": "残疾人",
    "homeless": "生活无着落的流浪乞讨人员",
}

INDICATORS: list[Indicator] = [
    Indicator(
        "TGT-COV",
        "TGT-COV",
        "乡镇（街道）社工站覆盖率",
        "Township station coverage",
        _("Townships/streets with a station established or operating on the date, over all townships/streets."),
        _("Townships with an established or operating station"),
        _("All townships/streets"),
        "%",
        IndicatorKind.SHARE,
        queries.coverage,
        "network",
        target=coverage_target,
        records="coverage",
    ),
    Indicator(
        "TGT-STD",
        "TGT-STD",
        "社工站标准化建设比例",
        "Standardised stations",
        _(
            "Counted stations with the six haves, a published service catalogue and the required stationed "
            "workers, over counted stations."
        ),
        _("Standardised stations"),
        _("Established or operating stations"),
        "%",
        IndicatorKind.SHARE,
        queries.standardised,
        "network",
        target=_from_year(2023, "TGT-STD.target_2023"),
        records="stations",
    ),
    Indicator(
        "TGT-CERT",
        "TGT-CERT",
        "持证社工人数",
        "Certified social workers",
        _(
            "People holding an assistant social worker, social worker or senior social worker qualification on "
            "the date, each counted once at the highest grade held."
        ),
        _("Certified people"),
        "",
        _("people"),
        IndicatorKind.COUNT,
        queries.certified,
        "workforce",
        target=certified_multiple,
        target_scale="baseline",
        records="certified",
    ),
    *[
        Indicator(
            f"TGT-CERT-{code}",
            "TGT-CERT",
            f"持证社工人数：{zh}",
            f"Certified workers: {en}",
            _(
                "People whose highest qualification held on the date is of this grade, each counted once (the "
                "three grades add up to the certified total)."
            ),
            _("Certified people at this highest grade"),
            "",
            _("people"),
            IndicatorKind.COUNT,
            queries.certified_by_grade(grade),
            "workforce",
            records=f"certified_grade_{grade}",
            in_ranking=False,
        )
        for grade, code, zh, en in CERT_GRADES
    ],
    Indicator(
        "TGT-CERT-GROWTH",
        "TGT-CERT",
        "持证社工年增长率",
        "Certified workers, growth on the year",
        _("Certified workers on the date over those on the previous 31 Dec, minus one."),
        _("Certified people on the date"),
        _("Certified people on the previous 31 Dec"),
        "%",
        IndicatorKind.DERIVED,
        queries.certified_growth,
        "workforce",
        levels=(CITY, COUNTY),
        target=growth_target,
        records="certified",
    ),
    Indicator(
        "TGT-CERT-X2020",
        "TGT-CERT",
        "持证社工人数与2020年之比",
        "Certified workers, ratio to 2020",
        _(
            "Certified workers on the date over those on 31 Dec %(baseline_year)s; the plan asks for at least "
            "%(multiple)s times by %(last_year)s."
        ),
        _("Certified people on the date"),
        _("Certified people on 31 Dec 2020"),
        "×",
        IndicatorKind.DERIVED,
        queries.certified_ratio,
        "workforce",
        levels=(CITY, COUNTY),
        target=certified_multiple,
        records="certified",
    ),
    Indicator(
        "TGT-CERT-NEED",
        "TGT-CERT",
        "实现翻番每年尚需增长率",
        "Growth still needed each year to double",
        _(
            "Annual growth needed in each remaining year to %(last_year)s to reach %(multiple)s times the "
            "%(baseline_year)s total. Above the planned %(growth)s %% it shows that %(growth)s %% a year alone "
            "falls short (%(factor)s^%(years)s ≈ %(path)s)."
        ),
        _("Certified people on the date"),
        _("Certified people on 31 Dec 2020"),
        "%",
        IndicatorKind.DERIVED,
        queries.certified_growth_needed,
        "workforce",
        levels=(CITY, COUNTY),
        target=growth_needed_target,
        higher_is_better=False,
        records="certified",
    ),
    Indicator(
        "TGT-EVERY",
        "TGT-EVERY",
        "有持证社工的乡镇（街道）比例",
        "Townships with a certified worker",
        _(
            "Townships/streets with at least one certified social worker (registered there or stationed at its "
            "station) on the date, over all townships/streets."
        ),
        _("Townships with a certified worker"),
        _("All townships/streets"),
        "%",
        IndicatorKind.SHARE,
        queries.every_township,
        "workforce",
        target=_from_year(2023, "TGT-EVERY.target_2023"),
        records="townships_certified",
    ),
    *[
        Indicator(
            f"TGT-SPEC-{code.split('_')[0].upper()}",
            "TGT-SPEC",
            f"{zh}专业社工占比",
            f"Share specialised in {_SPEC_EN[code]}",
            _(
                "Certified workers holding this specialisation on the date, over all certified workers; "
                "each of the plan's four at least %(spec)s per cent city-wide."
            ),
            _("Certified workers with the specialisation"),
            _("Certified workers"),
            "%",
            IndicatorKind.SHARE,
            queries.specialisation(code),
            "specialisation",
            levels=(CITY, COUNTY),
            target=_from_year(2021, "TGT-SPEC.min_share"),
            records="certified",
        )
        for code, zh in PLAN_SPECIALISATIONS.items()
    ],
    Indicator(
        "TGT-ORG",
        "TGT-ORG",
        "孵化社会工作服务机构数",
        "Service organisations incubated",
        _(
            "Social-work service organisations whose registered business scope includes social-work services, "
            "incubated from %(first_year)s up to the period's year (at most %(last_year)s); at least %(org)s per "
            "county-level unit by %(last_year)s."
        ),
        _("Organisations counted for the plan"),
        "",
        _("organisations"),
        IndicatorKind.COUNT,
        queries.organisations,
        "organisations",
        levels=(CITY, COUNTY),
        target=_from_year(2023, "TGT-ORG.per_county"),
        target_scale="counties",
        records="organisations",
    ),
    Indicator(
        "PRC-2-STAFF",
        "PRC-2",
        "驻站社工配备达标站点比例",
        "Stations with the required stationed workers",
        _(
            "Established or operating stations with at least %(workers)s stationed social workers on the date, "
            "over those stations."
        ),
        _("Stations with enough stationed workers"),
        _("Established or operating stations"),
        "%",
        IndicatorKind.SHARE,
        queries.staffed_stations,
        "procurement",
        target=_from_year(2021, "PRC-2.staffed_target"),
        records="stations",
    ),
    Indicator(
        "PRC-2-OVERDUE",
        "PRC-2",
        "驻站社工取证逾期人数",
        "Stationed workers past their qualification deadline",
        _(
            "Workers stationed on the date, more than %(months)s months after their first day as a stationed "
            "worker at any station, who hold no valid qualification on the date."
        ),
        _("Workers past the deadline"),
        "",
        _("people"),
        IndicatorKind.COUNT,
        queries.overdue_qualifications,
        "procurement",
        target=lambda year: Decimal(0) if year >= 2021 else None,
        higher_is_better=False,
        records="overdue",
    ),
    # Procurement and funds: contracts count in their project's county-level unit, stations and pay lines where
    # the station is; each query embeds the rule's SQL form from procurement.rules (parity tests in
    # tests/procurement/test_indicators.py).
    Indicator(
        "PRC-5-CLAUSES",
        "PRC-5",
        "六项条款齐全的服务合同比例",
        "Contracts stating all six clauses",
        _("Service contracts in force on the date that state all six clauses, over contracts in force."),
        _("Contracts with all six clauses"),
        _("Contracts in force"),
        "%",
        IndicatorKind.SHARE,
        queries.contract_clauses,
        "contracts",
        levels=(CITY, COUNTY),
        target=lambda year: Decimal(100) if year >= PLAN_FIRST_YEAR else None,
        records="contracts_clauses",
    ),
    Indicator(
        "PRC-COVER",
        "PRC-5",
        "有服务合同覆盖的社工站比例",
        "Stations covered by a contract in force",
        _("Established or operating stations covered by a service contract in force on the date, over those stations."),
        _("Stations covered by a contract in force"),
        _("Established or operating stations"),
        "%",
        IndicatorKind.SHARE,
        queries.stations_contracted,
        "contracts",
        levels=(CITY, COUNTY),
        records="stations_contracted",
    ),
    Indicator(
        "PRC-2-CONTRACT-STAFF",
        "PRC-2",
        "合同驻站社工配备达标站点比例",
        "Stations with the required stationed workers under contract",
        _(
            "Stations covered by a contract in force on the date with at least %(workers)s stationed workers employed "
            "under a contract in force, over those stations."
        ),
        _("Stations with enough stationed workers under contract"),
        _("Stations covered by a contract in force"),
        "%",
        IndicatorKind.SHARE,
        queries.stations_staffed_under_contract,
        "contracts",
        levels=(CITY, COUNTY),
        target=_from_year(2021, "PRC-2.staffed_target"),
        records="stations_contracted",
    ),
    Indicator(
        "PRC-3-PAY",
        "PRC-3",
        "驻站社工薪酬达标比例",
        "Stationed workers' pay lines meeting their floor",
        _(
            "Monthly pay lines of the year up to the date at or above the floor (the city minimum wage × %(floor0)s / "
            "%(floor1)s / %(floor2)s %% by grade), over those pay lines."
        ),
        _("Pay lines meeting their floor"),
        _("Pay lines"),
        "%",
        IndicatorKind.SHARE,
        queries.pay_floor,
        "contracts",
        levels=(CITY, COUNTY),
        target=lambda year: Decimal(100) if year >= PLAN_FIRST_YEAR else None,
        records="pay_floor",
    ),
    Indicator(
        "PRC-3-FEE",
        "PRC-3",
        "管理费占比未超上限的合同比例",
        "Contracts whose management fee is within its cap",
        _(
            "Service contracts in force on the date whose management fee is at most %(fee_cap)s %% of the contract "
            "value, over contracts in force."
        ),
        _("Contracts within the fee cap"),
        _("Contracts in force"),
        "%",
        IndicatorKind.SHARE,
        queries.contract_fee,
        "contracts",
        levels=(CITY, COUNTY),
        target=lambda year: Decimal(100) if year >= PLAN_FIRST_YEAR else None,
        records="contracts_fee",
    ),
    Indicator(
        "FUND-1",
        "FUND-1",
        "社会救助专项经费用于购买服务占比",
        "Share of social-assistance funds used for purchased services",
        _(
            "Social-assistance funds budgeted for purchased services in the year (projects by budget year) over the "
            "county's social-assistance special funds of the year; at most %(fund_share)s %%."
        ),
        _("Social-assistance funds for purchased services (yuan)"),
        _("Social-assistance special funds (yuan)"),
        "%",
        IndicatorKind.SHARE,
        queries.assistance_fund_share,
        "contracts",
        levels=(CITY, COUNTY),
        target=lambda year: rule_value("FUND-1.assistance_fund_share_max") if year >= PLAN_FIRST_YEAR else None,
        higher_is_better=False,
        records="funds",
    ),
    Indicator(
        "PRC-4-ONTIME",
        "PRC-4",
        "按期完成终期评估的合同比例",
        "Final evaluations done on time",
        _(
            "Contracts whose final evaluation was due (one month before the contract ends) by the date and was done "
            "by then, over contracts whose final evaluation was due by the date."
        ),
        _("Final evaluations done on time"),
        _("Final evaluations due"),
        "%",
        IndicatorKind.SHARE,
        queries.final_evaluations_on_time,
        "contracts",
        levels=(CITY, COUNTY),
        target=lambda year: Decimal(100) if year >= PLAN_FIRST_YEAR else None,
        records="evaluations_due",
    ),
    # SUP-1 (reporting.sup1): station-months meeting the rule in the year up to the date; supervisors' loads.
    Indicator(
        "SUP-1-MONTHS",
        "SUP-1",
        "达到督导要求的站点月数占比",
        "Station-months meeting SUP-1",
        _(
            "Station-months from January of the year (from %(first_year)s) that have ended by the date, of stations "
            "established or operating on the month's first day, in which the station received at least "
            "%(sup_visits)s confirmed supervision session(s) of at least %(sup_hours)s hours, over those "
            "station-months."
        ),
        _("Station-months meeting SUP-1"),
        _("Station-months due"),
        "%",
        IndicatorKind.SHARE,
        sup1.supervision_months,
        "supervision",
        levels=(CITY, COUNTY),
        target=lambda year: Decimal(100) if year >= PLAN_FIRST_YEAR else None,
        records="supervision_months",
    ),
    Indicator(
        "SUP-1-LOAD",
        "SUP-1",
        "督导覆盖站点数符合要求的督导人员占比",
        "Supervisors within the station range",
        _(
            "Supervisors covering %(sup_min)s–%(sup_max)s stations on the date, over all supervisors supervising "
            "a station on it; counted where the supervisor is registered."
        ),
        _("Supervisors within the range"),
        _("Supervisors supervising on the date"),
        "%",
        IndicatorKind.SHARE,
        sup1.supervisor_loads,
        "supervision",
        levels=(CITY, COUNTY),
        target=lambda year: Decimal(100) if year >= PLAN_FIRST_YEAR else None,
        records="supervisor_loads",
    ),
    Indicator(
        "PLAN-1",
        "PLAN-1",
        "已备案实施方案的县（区）",
        "Counties with a filed plan in force",
        _(
            "County-level units with an implementation plan filed with the city civil-affairs bureau and in force on "
            "the date (a version filed on or before the date, of a plan whose period runs to the date's year or "
            "later), over all county-level units."
        ),
        _("County-level units with a filed plan in force"),
        _("County-level units"),
        "%",
        IndicatorKind.SHARE,
        queries.county_plans_in_force,
        "plans",
        levels=(CITY, COUNTY),
        target=lambda year: Decimal(100) if year >= PLAN_FIRST_YEAR else None,
        records="county_plans",
    ),
    # SRV: services delivered, counted as service records dated from 1 Jan of the period's year up to
    # its date (a whole year for a closed year, the year to date for the current month), where the
    # station is. No plan target. By method: the record's kind; by target group: records that served at
    # least one recipient of the group (a record serving several groups counts once in each), as recorded
    # with the record. The breakdowns are computed for counties and the city; a township's breakdown is
    # the list of its records on the explanation page.
    Indicator(
        "SRV",
        "SRV",
        "社工站服务次数",
        "Services delivered",
        _("Service records of the stations dated from 1 January of the year up to the date."),
        _("Service records in the year to the date"),
        "",
        _("services"),
        IndicatorKind.COUNT,
        queries.services_total,
        "services",
        records="services",
    ),
    *[
        Indicator(
            f"SRV-M-{kind.upper()}",
            "SRV",
            f"服务次数：{_SRV_METHOD_ZH[kind]}",
            f"Services: {kind.replace('_', ' ')}",
            _("Service records of this method dated from 1 January of the year up to the date."),
            _("Service records of the method in the year to the date"),
            "",
            _("services"),
            IndicatorKind.COUNT,
            queries.services_by_method(kind),
            "services",
            records=f"services_kind_{kind}",
            in_ranking=False,
            levels=(CITY, COUNTY),
        )
        for kind in ServiceKind.values
    ],
    *[
        Indicator(
            f"SRV-G-{group.upper()}",
            "SRV",
            f"服务次数：{_SRV_GROUP_ZH[group]}",
            f"Services: {group.replace('_', ' ')}",
            _(
                "Service records dated from 1 January of the year up to the date that served at least one "
                "recipient of this target group."
            ),
            _("Service records serving the group in the year to the date"),
            "",
            _("services"),
            IndicatorKind.COUNT,
            queries.services_by_group(group),
            "services",
            records=f"services_group_{group}",
            in_ranking=False,
            levels=(CITY, COUNTY),
        )
        for group in TargetGroup.values
    ],
]

# Training (SUP-2): its entries, rule text and group live in their own module.
from .catalogue_training import TRAINING_INDICATORS  # noqa: E402

INDICATORS += TRAINING_INDICATORS

BY_CODE: dict[str, Indicator] = {i.code: i for i in INDICATORS}
SPEC_CODES = [i.code for i in INDICATORS if i.rule == "TGT-SPEC"]
# What the trend chart draws and the map colours.
TREND_CODES = ["TGT-COV", "TGT-STD", "TGT-CERT", "TGT-EVERY", "PRC-2-STAFF"]
MAP_CODE = "TGT-COV"
