"""The indicator catalogue: one declarative entry per indicator.

Adding an indicator (pay floors, supervision, training, plans, funds) is one entry here plus one
query in ``reporting.queries``; the recompute, dashboards, workbook and API read this list.
Targets are read from the rule settings (``network.rule_settings``) the city administrator edits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from network.rule_settings import rule_value
from stations.choices import ServiceKind, TargetGroup
from workforce.choices import PLAN_SPECIALISATIONS

from . import queries
from .choices import IndicatorKind

BASELINE_YEAR = 2020
PLAN_END_YEAR = 2023
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
    multiple = growth ** years
    if year >= PLAN_END_YEAR:
        multiple = max(multiple, rule_value("TGT-CERT.multiple_2023"))
    return multiple.quantize(Decimal("0.0001"))


def growth_target(year: int):
    return rule_value("TGT-CERT.annual_growth") if year > BASELINE_YEAR else None


def growth_needed_target(year: int):
    return rule_value("TGT-CERT.annual_growth") if year < PLAN_END_YEAR else None


# The rule each indicator measures, as RULES.md states it (shown on every explanation page).
RULE_TEXT = {
    "TGT-COV": _("Station coverage = townships/streets with a station that is established or operating on the date "
                 "÷ all townships/streets, per county and city-wide, as of 31 Dec of each year (a station established "
                 "on 31 Dec counts for that year). Planned, suspended and closed stations do not count. 2020 baseline "
                 "35 %; 2021 at least 70 %; 2022 100 %."),
    "TGT-STD": _("By 2023 every station meets the standard: the six haves, a service catalogue and staffing."),
    "TGT-CERT": _("Certified social workers (assistant social worker, social worker or senior social worker) grow "
                  "about 25 % a year 2021–2023 and the 2023 total is at least twice the 2020 total. A person counts "
                  "once, at the highest grade held on the date; a certificate counts from the date obtained until "
                  "revoked. 1.25³ ≈ 1.95 < 2: the annual path and the doubling goal disagree slightly."),
    "TGT-EVERY": _("Every township/street has at least one certified social worker, by 2023."),
    "TGT-SPEC": _("Four specialised categories — minors protection, social assistance, elderly services, judicial "
                  "protection — each at least 10 per cent of all certified social workers city-wide."),
    "TGT-ORG": _("Each county/district incubates at least 3 social-work service organisations during 2021–2023."),
    "SRV": _("Stations serve the ten target groups (SRV-1) through home visits, assessment, follow-up, "
             "casework, group work and community work (SRV-3), and record each service."),
    "PRC-2": _("A provider sends at least 2 stationed social workers per station, and each must obtain a "
               "social-work qualification within 2 years of starting at the station."),
}

GROUPS = {
    "network": _("Station network"),
    "workforce": _("Certified social workers"),
    "specialisation": _("Specialisations"),
    "organisations": _("Service organisations"),
    "procurement": _("Stationed workers (PRC-2)"),
    "services": _("Services delivered"),
}

_SPEC_EN = {"minors_protection": "minors protection", "social_assistance": "social assistance",
            "elderly_services": "elderly services", "judicial_protection": "judicial protection"}

# SRV-3 methods and SRV-1 target groups, as RULES.md names them in Chinese.
_SRV_METHOD_ZH = {"home_visit": "入户走访", "casework": "个案", "group": "小组", "community": "社区活动"}
_SRV_GROUP_ZH = {"dibao": "低保对象", "dibao_margin": "低保边缘家庭", "tekun": "特困人员", "temporary": "临时救助对象",
                 "orphan": "孤儿", "unsupported_child": "事实无人抚养儿童", "left_behind": "农村“三留守”人员",
                 "elderly_difficulty": "特殊困难老年人", "disability": "残疾人", "homeless": "生活无着落的流浪乞讨人员"}

INDICATORS: list[Indicator] = [
    Indicator(
        "TGT-COV", "TGT-COV", "乡镇（街道）社工站覆盖率", "Township station coverage",
        _("Townships/streets with a station established or operating on the date, over all townships/streets."),
        _("Townships with an established or operating station"), _("All townships/streets"), "%",
        IndicatorKind.SHARE, queries.coverage, "network", target=coverage_target, records="coverage"),
    Indicator(
        "TGT-STD", "TGT-STD", "社工站标准化建设比例", "Standardised stations",
        _("Counted stations with the six haves, a published service catalogue and the required stationed "
          "workers, over counted stations."),
        _("Standardised stations"), _("Established or operating stations"), "%",
        IndicatorKind.SHARE, queries.standardised, "network", target=_from_year(2023, "TGT-STD.target_2023"),
        records="stations"),
    Indicator(
        "TGT-CERT", "TGT-CERT", "持证社工人数", "Certified social workers",
        _("People holding an assistant social worker, social worker or senior social worker qualification on "
          "the date, each counted once at the highest grade held."),
        _("Certified people"), "", _("people"),
        IndicatorKind.COUNT, queries.certified, "workforce", target=certified_multiple, target_scale="baseline",
        records="certified"),
    Indicator(
        "TGT-CERT-GROWTH", "TGT-CERT", "持证社工年增长率", "Certified workers, growth on the year",
        _("Certified workers on the date over those on the previous 31 Dec, minus one."),
        _("Certified people on the date"), _("Certified people on the previous 31 Dec"), "%",
        IndicatorKind.DERIVED, queries.certified_growth, "workforce", levels=(CITY, COUNTY),
        target=growth_target, records="certified"),
    Indicator(
        "TGT-CERT-X2020", "TGT-CERT", "持证社工人数与2020年之比", "Certified workers, ratio to 2020",
        _("Certified workers on the date over those on 31 Dec 2020; the plan asks for at least twice by 2023."),
        _("Certified people on the date"), _("Certified people on 31 Dec 2020"), "×",
        IndicatorKind.DERIVED, queries.certified_ratio, "workforce", levels=(CITY, COUNTY),
        target=certified_multiple, records="certified"),
    Indicator(
        "TGT-CERT-NEED", "TGT-CERT", "实现翻番每年尚需增长率", "Growth still needed each year to double",
        _("Annual growth needed in each remaining year to 2023 to reach twice the 2020 total. Above the "
          "planned 25 % it shows that 25 % a year alone falls short (1.25³ ≈ 1.95)."),
        _("Certified people on the date"), _("Certified people on 31 Dec 2020"), "%",
        IndicatorKind.DERIVED, queries.certified_growth_needed, "workforce", levels=(CITY, COUNTY),
        target=growth_needed_target, higher_is_better=False, records="certified"),
    Indicator(
        "TGT-EVERY", "TGT-EVERY", "有持证社工的乡镇（街道）比例", "Townships with a certified worker",
        _("Townships/streets with at least one certified social worker (registered there or stationed at its "
          "station) on the date, over all townships/streets."),
        _("Townships with a certified worker"), _("All townships/streets"), "%",
        IndicatorKind.SHARE, queries.every_township, "workforce", target=_from_year(2023, "TGT-EVERY.target_2023"),
        records="townships_certified"),
    *[
        Indicator(
            f"TGT-SPEC-{code.split('_')[0].upper()}", "TGT-SPEC", f"{zh}专业社工占比",
            f"Share specialised in {_SPEC_EN[code]}",
            _("Certified workers holding this specialisation on the date, over all certified workers; "
              "each of the plan's four at least 10 per cent city-wide."),
            _("Certified workers with the specialisation"), _("Certified workers"), "%",
            IndicatorKind.SHARE, queries.specialisation(code), "specialisation", levels=(CITY, COUNTY),
            target=_from_year(2021, "TGT-SPEC.min_share"), records="certified")
        for code, zh in PLAN_SPECIALISATIONS.items()
    ],
    Indicator(
        "TGT-ORG", "TGT-ORG", "孵化社会工作服务机构数", "Service organisations incubated",
        _("Social-work service organisations incubated from 2021 up to the period's year; at least 3 per "
          "county-level unit by 2023."),
        _("Organisations incubated since 2021"), "", _("organisations"),
        IndicatorKind.COUNT, queries.organisations, "organisations", levels=(CITY, COUNTY),
        target=_from_year(2023, "TGT-ORG.per_county"), target_scale="counties", records="organisations"),
    Indicator(
        "PRC-2-STAFF", "PRC-2", "驻站社工配备达标站点比例", "Stations with two stationed workers",
        _("Established or operating stations with at least two stationed social workers on the date, over "
          "those stations."),
        _("Stations with enough stationed workers"), _("Established or operating stations"), "%",
        IndicatorKind.SHARE, queries.staffed_stations, "procurement",
        target=_from_year(2021, "PRC-2.staffed_target"), records="stations"),
    Indicator(
        "PRC-2-OVERDUE", "PRC-2", "驻站社工取证逾期人数", "Stationed workers past their qualification deadline",
        _("Stationed workers on the date who started more than 24 months earlier and obtained no qualification "
          "within those 24 months."),
        _("Workers past the deadline"), "", _("people"),
        IndicatorKind.COUNT, queries.overdue_qualifications, "procurement",
        target=lambda year: Decimal(0) if year >= 2021 else None, higher_is_better=False, records="overdue"),
    # SRV: services delivered, counted as service records dated from 1 Jan of the period's year up to
    # its date (a whole year for a closed year, the year to date for the current month), where the
    # station is. No plan target. By method: the record's kind; by target group: records that served at
    # least one recipient of the group (a record serving several groups counts once in each), as recorded
    # with the record. The breakdowns are computed for counties and the city; a township's breakdown is
    # the list of its records on the explanation page.
    Indicator(
        "SRV", "SRV", "社工站服务次数", "Services delivered",
        _("Service records of the stations dated from 1 January of the year up to the date."),
        _("Service records in the year to the date"), "", _("services"),
        IndicatorKind.COUNT, queries.services_total, "services", records="services"),
    *[
        Indicator(
            f"SRV-M-{kind.upper()}", "SRV", f"服务次数：{_SRV_METHOD_ZH[kind]}", f"Services: {kind.replace('_', ' ')}",
            _("Service records of this method dated from 1 January of the year up to the date."),
            _("Service records of the method in the year to the date"), "", _("services"),
            IndicatorKind.COUNT, queries.services_by_method(kind), "services", records=f"services_kind_{kind}",
            in_ranking=False, levels=(CITY, COUNTY))
        for kind in ServiceKind.values
    ],
    *[
        Indicator(
            f"SRV-G-{group.upper()}", "SRV", f"服务次数：{_SRV_GROUP_ZH[group]}", f"Services: {group.replace('_', ' ')}",
            _("Service records dated from 1 January of the year up to the date that served at least one "
              "recipient of this target group."),
            _("Service records serving the group in the year to the date"), "", _("services"),
            IndicatorKind.COUNT, queries.services_by_group(group), "services", records=f"services_group_{group}",
            in_ranking=False, levels=(CITY, COUNTY))
        for group in TargetGroup.values
    ],
]

BY_CODE: dict[str, Indicator] = {i.code: i for i in INDICATORS}
SPEC_CODES = [i.code for i in INDICATORS if i.rule == "TGT-SPEC"]
# What the trend chart draws and the map colours.
TREND_CODES = ["TGT-COV", "TGT-STD", "TGT-CERT", "TGT-EVERY", "PRC-2-STAFF"]
MAP_CODE = "TGT-COV"


def indicator_get(code: str) -> Indicator | None:
    return BY_CODE.get(code)
