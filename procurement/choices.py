from django.db import models
from django.utils.translation import gettext_lazy as _


class PurchaserKind(models.TextChoices):
    """PRC-1: the purchaser is mainly the county civil-affairs bureau; other departments may buy through a
    station too (SRV-2)."""

    CIVIL_AFFAIRS = "civil_affairs", _("County civil-affairs bureau")
    OTHER_DEPARTMENT = "other_department", _("Another department buying through a station")


class ProcurementMethod(models.TextChoices):
    """How a project under formal government procurement was procured (the plan: items in the centralised
    catalogue or above the quota follow the government procurement rules)."""

    OPEN_TENDERING = "open_tendering", _("Open tendering")
    INVITED_TENDERING = "invited_tendering", _("Invited tendering")
    COMPETITIVE_NEGOTIATION = "competitive_negotiation", _("Competitive negotiation")
    COMPETITIVE_CONSULTATION = "competitive_consultation", _("Competitive consultation")
    SINGLE_SOURCE = "single_source", _("Single source")
    INQUIRY = "inquiry", _("Request for quotations")


# OCDS 1.1 "method" codelist for each procurement method.
OCDS_METHOD = {
    ProcurementMethod.OPEN_TENDERING: "open",
    ProcurementMethod.INVITED_TENDERING: "selective",
    ProcurementMethod.COMPETITIVE_NEGOTIATION: "limited",
    ProcurementMethod.COMPETITIVE_CONSULTATION: "limited",
    ProcurementMethod.SINGLE_SOURCE: "direct",
    ProcurementMethod.INQUIRY: "selective",
}


class FundingSource(models.TextChoices):
    """FUND-1: where the money for purchased services comes from (谁使用、谁购买)."""

    ASSISTANCE = "assistance", _("Social-assistance special funds (share)")
    LOTTERY = "lottery", _("Welfare-lottery public-welfare funds")
    ELDERLY = "elderly", _("Elderly-allowance working funds")
    COMMUNITY = "community", _("Village/community social-affairs and community-benefit funds")
    DEPARTMENT = "department", _("The department's own budget")


# The project field holding each source's amount.
FUNDING_FIELDS = {
    FundingSource.ASSISTANCE: "fund_assistance",
    FundingSource.LOTTERY: "fund_lottery",
    FundingSource.ELDERLY: "fund_elderly",
    FundingSource.COMMUNITY: "fund_community",
    FundingSource.DEPARTMENT: "fund_department",
}


class ProjectStatus(models.TextChoices):
    TENDERING = "tendering", _("Receiving bids")
    AWARDED = "awarded", _("Awarded")


class TeamGrade(models.IntegerChoices):
    """A proposed or stationed worker's grade: the TGT-CERT grades and none (PRC-3 floors by grade)."""

    UNCERTIFIED = 0, _("Uncertified")
    ASSISTANT = 1, _("Assistant social worker")
    SOCIAL_WORKER = 2, _("Social worker")
    SENIOR = 3, _("Senior social worker")


class AgeBand(models.TextChoices):
    """A proposed team member's age (PRC-2: the plan prefers teams of young and middle-aged workers)."""

    UNDER_35 = "under_35", _("Under 35")
    FROM_35 = "35_44", _("35–44")
    FROM_45 = "45_54", _("45–54")
    FROM_55 = "55_plus", _("55 or older")


# The bands counted as young and middle-aged on the bid page (the plan gives no age: under 45 here).
YOUNG_AND_MIDDLE_AGED = {AgeBand.UNDER_35, AgeBand.FROM_35}


class QualityCriterion(models.TextChoices):
    """PRC-1: the capability and quality criteria the purchaser's panel scores, each 0–100 (equal weights)."""

    CAPABILITY = "capability", _("Service capability")
    TEAM = "team", _("Professional team")
    PLAN = "plan", _("Service plan")
    ASSURANCE = "assurance", _("Supervision, training and quality assurance")
    RECORD = "record", _("Track record and earlier evaluations")


# The bid field holding each criterion's score.
QUALITY_FIELDS = {c: f"score_{c.value}" for c in QualityCriterion}


class Clause(models.TextChoices):
    """PRC-5: the six clauses a service contract states."""

    STAFFING = "staffing", _("Staffing")
    CONTENT = "content", _("Service content")
    OBJECTIVES = "objectives", _("Service objectives")
    FUNDS = "funds", _("Fund management")
    SUPERVISION = "supervision", _("Supervision and training")
    EVALUATION = "evaluation", _("Evaluation requirements")


CLAUSE_FIELDS = {c: f"clause_{c.value}" for c in Clause}


class EvaluationKind(models.TextChoices):
    MID_TERM = "mid_term", _("Mid-term evaluation")
    FINAL = "final", _("Final evaluation")


class EvaluationCriterion(models.TextChoices):
    """PRC-4: what the evaluation team scores, each 0–100 (the total is their mean)."""

    MANAGEMENT = "management", _("Project management")
    STAFFING = "staffing", _("Staffing and stationed workers")
    SERVICES = "services", _("Services delivered and their outcomes")
    SATISFACTION = "satisfaction", _("Satisfaction of those served")
    FUNDS = "funds", _("Use of funds")
    SUPERVISION = "supervision", _("Supervision and training")


EVALUATION_FIELDS = {c: f"score_{c.value}" for c in EvaluationCriterion}
