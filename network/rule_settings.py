"""The numbers of RULES.md that the city centre may edit, with the plan's values as defaults.

Code reads them only through ``rule_value(key)``; a stored ``RuleSetting`` overrides the default.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liuzhou_social.cache import cache_forget, cache_get_or_compute

# The plan's own dates (the action plan 2021–2023 against the 2020 baseline): dates of the plan, not
# numbers the city edits.
BASELINE_YEAR = 2020
PLAN_FIRST_YEAR = 2021
PLAN_LAST_YEAR = 2023


@dataclass(frozen=True)
class RuleParameter:
    key: str
    rule: str
    label: str
    default: Decimal
    unit: str = ""
    minimum: Decimal = Decimal(0)
    maximum: Decimal | None = None


def _p(key, rule, label, default, unit="", minimum=0, maximum=None):
    return RuleParameter(
        key,
        rule,
        label,
        Decimal(str(default)),
        unit,
        Decimal(str(minimum)),
        None if maximum is None else Decimal(str(maximum)),
    )


PARAMETERS: dict[str, RuleParameter] = {
    p.key: p
    for p in [
        _p(
            "TGT-COV.baseline_stations",
            "TGT-COV",
            _("Stations at end-2020 (baseline)"),
            42,
            pgettext_lazy("unit", "stations"),
        ),
        _p("TGT-COV.target_2020", "TGT-COV", _("Coverage 2020 (baseline)"), 35, "%", 0, 100),
        _p("TGT-COV.target_2021", "TGT-COV", _("Coverage target 2021"), 70, "%", 0, 100),
        _p("TGT-COV.target_2022", "TGT-COV", _("Coverage target 2022"), 100, "%", 0, 100),
        _p("TGT-COV.target_2023", "TGT-COV", _("Coverage target 2023"), 100, "%", 0, 100),
        _p("TGT-STD.target_2023", "TGT-STD", _("Standardised stations 2023"), 100, "%", 0, 100),
        _p("TGT-CERT.annual_growth", "TGT-CERT", _("Annual growth of certified workers"), 25, "%", 0, 500),
        _p("TGT-CERT.multiple_2023", "TGT-CERT", _("2023 total as a multiple of 2020"), 2, "×", 1, 10),
        _p("TGT-SPEC.min_share", "TGT-SPEC", _("Minimum share of each specialisation"), 10, "%", 0, 100),
        _p(
            "TGT-ORG.per_county",
            "TGT-ORG",
            _("Organisations incubated per county 2021–2023"),
            3,
            pgettext_lazy("unit", "organisations"),
        ),
        _p("TGT-EVERY.target_2023", "TGT-EVERY", _("Townships with a certified worker by 2023"), 100, "%", 0, 100),
        _p(
            "PRC-2.staffed_target", "PRC-2", _("Stations with the required stationed workers, target"), 100, "%", 0, 100
        ),
        _p("TGT.on_track_ratio", "TGT", _("Share of a target reached that still counts as on track"), 90, "%", 0, 100),
        _p(
            "NET-2.demonstration_min",
            "NET-2",
            _("Demonstration stations per county, at least"),
            1,
            pgettext_lazy("unit", "stations"),
        ),
        _p(
            "NET-2.demonstration_max",
            "NET-2",
            _("Demonstration stations per county, at most"),
            2,
            pgettext_lazy("unit", "stations"),
        ),
        _p("PRC-1.price_weight", "PRC-1", _("Weight of price in bid scoring"), 20, "%", 0, 100),
        _p(
            "PRC-2.workers_per_station",
            "PRC-2",
            _("Stationed workers per station"),
            2,
            pgettext_lazy("unit", "workers"),
            1,
        ),
        _p(
            "PRC-2.qualify_within_months",
            "PRC-2",
            _("Months to obtain a qualification"),
            24,
            pgettext_lazy("unit", "months"),
            1,
        ),
        _p(
            "PRC-2.deadline_warning_days",
            "PRC-2",
            _("Warn this many days before a qualification deadline"),
            90,
            pgettext_lazy("unit", "days"),
        ),
        _p("PRC-3.floor_uncertified", "PRC-3", _("Pay floor, uncertified"), 160, "%"),
        _p("PRC-3.floor_assistant", "PRC-3", _("Pay floor, assistant social worker"), 200, "%"),
        _p("PRC-3.floor_social_worker", "PRC-3", _("Pay floor, social worker"), 230, "%"),
        _p("PRC-3.management_fee_cap", "PRC-3", _("Provider management fee cap"), 10, "%", 0, 100),
        _p(
            "PRC-4.final_reminder_days",
            "PRC-4",
            _("Remind this many days before a final evaluation is due"),
            60,
            pgettext_lazy("unit", "days"),
        ),
        _p("PRC-5.contract_min_years", "PRC-5", _("Contract term, at least"), 1, pgettext_lazy("unit", "years"), 1),
        _p("PRC-5.contract_max_years", "PRC-5", _("Contract term, at most"), 3, pgettext_lazy("unit", "years"), 1),
        _p(
            "SUP-1.visits_per_month",
            "SUP-1",
            _("Supervisions per station per month"),
            1,
            pgettext_lazy("unit", "visits"),
            1,
        ),
        _p("SUP-1.hours_per_visit", "SUP-1", _("Hours per supervision"), 16, pgettext_lazy("unit", "hours"), 1),
        _p(
            "SUP-1.stations_per_supervisor_min",
            "SUP-1",
            _("Stations per supervisor, at least"),
            2,
            pgettext_lazy("unit", "stations"),
            1,
        ),
        _p(
            "SUP-1.stations_per_supervisor_max",
            "SUP-1",
            _("Stations per supervisor, at most"),
            8,
            pgettext_lazy("unit", "stations"),
            1,
        ),
        _p(
            "SUP-1.alert_day",
            "SUP-1",
            _("Alert from this day of the month when a station has no supervision yet"),
            20,
            pgettext_lazy("unit", "day of month"),
            1,
            28,
        ),
        _p(
            "SUP-1.senior_min_grade",
            "SUP-1",
            _("Senior supervisor: qualification grade at least (1 assistant, 2 social worker, 3 senior)"),
            2,
            "",
            1,
            3,
        ),
        _p(
            "SUP-1.senior_min_years",
            "SUP-1",
            _("Senior supervisor: or years since the first station assignment, at least"),
            5,
            pgettext_lazy("unit", "years"),
            0,
        ),
        _p(
            "SUP-2.training_hours_per_year",
            "SUP-2",
            _("Training hours per stationed worker per year"),
            48,
            pgettext_lazy("unit", "hours"),
        ),
        _p("SUP-2.alert_from_month", "SUP-2", _("Training shortfall alert from month"), 10, "", 1, 12),
        _p("SUP-2.alert_from_day", "SUP-2", _("Training shortfall alert from day of that month"), 1, "", 1, 28),
        _p("FUND-1.assistance_fund_share_max", "FUND-1", _("Share of assistance funds, at most"), 2, "%", 0, 100),
        _p(
            "QUAL.registration_valid_years",
            "TGT-CERT",
            _("Registration in the national system valid for"),
            3,
            pgettext_lazy("unit", "years"),
            1,
        ),
        _p(
            "QUAL.reregistration_window_months",
            "TGT-CERT",
            _("Re-registration due this many months before expiry"),
            3,
            pgettext_lazy("unit", "months"),
            1,
        ),
    ]
}

_CACHE_KEY = "rule-settings:v1"


def rule_value(key: str) -> Decimal:
    """The value in force for a rule parameter (stored override, else the plan's default)."""
    if key not in PARAMETERS:
        raise KeyError(f"unknown rule parameter {key!r}")
    overrides = cache_get_or_compute(_CACHE_KEY, _stored_overrides, 300)
    return overrides.get(key, PARAMETERS[key].default)


def _stored_overrides() -> dict[str, Decimal]:
    from .models import RuleSetting

    return dict(RuleSetting.objects.values_list("key", "value"))


def rule_int(key: str) -> int:
    return int(rule_value(key))


def forget_rule_settings() -> None:
    cache_forget(_CACHE_KEY)
