"""Government purchase of social-work services (政府购买社工服务): purchase projects and their funds (PRC-1,
FUND-1), bids and the award (PRC-1, PRC-2), contracts with their staffing and pay lines (PRC-2, PRC-3, PRC-5),
third-party evaluation (PRC-4), and the accounts of provider and evaluator organisations.

Every model is scoped through the one primitive, ``restrict(user, action)`` (``ProcurementQuerySet``): the
county and city see what lies in their places; station workers read the projects and contracts that cover
their station; provider staff see their own organisation's records (and change pay lines and staffing only
while the contract is in force); evaluators see exactly the projects assigned to their organisation.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.history import PortalHistoricalRecords
from network.models import Place
from network.roles import is_evaluator, works_for_organisation
from network.scope import CHANGE, VIEW, ScopedQuerySet, scope_prefixes, scope_q
from workforce.choices import Education

from .choices import (
    AgeBand,
    EvaluationKind,
    ProcurementMethod,
    ProjectStatus,
    PurchaserKind,
    TeamGrade,
)

MONEY = {"max_digits": 14, "decimal_places": 2}
SCORE = {
    "max_digits": 5,
    "decimal_places": 2,
    "null": True,
    "blank": True,
    "validators": [MinValueValidator(0), MaxValueValidator(100)],
}


def account_organisation_id(user) -> int | None:
    """The organisation a provider-staff or evaluator account works for (cached on the user for the request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cache = user.__dict__.setdefault("_procurement_organisation", {})
    if "id" not in cache:
        cache["id"] = (
            OrganisationAccount.objects.filter(user_id=user.pk).values_list("organisation_id", flat=True).first()
        )
    return cache["id"]


def in_force_q(on, prefix: str = "") -> Q:
    """PRC-5: a contract is in force from its start to its end date, both included."""
    return Q(**{f"{prefix}start_on__lte": on, f"{prefix}end_on__gte": on})


class ProcurementQuerySet(ScopedQuerySet):
    """``restrict`` for procurement records. A model declares ``scope_field`` (its county's code),
    optionally ``scope_station_field`` (the code of the stations it covers: station workers read it), and
    ``audience(user, organisation_id, action)``: the Q of the records a provider-staff or evaluator account
    reaches through its organisation (None: nothing)."""

    def restrict(self, user, action: str = VIEW):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if works_for_organisation(user):
            if action == CHANGE and is_evaluator(user):
                return self.none()  # evaluators only read (network.roles)
            org = account_organisation_id(user)
            q = None if org is None else self.model.audience(user, org, action)
            if q is None:
                return self.none()
            return self.filter(pk__in=self.model._default_manager.filter(q).values("pk"))
        prefixes = scope_prefixes(user, action)
        if not prefixes:
            return self.none()
        q = scope_q(self.model.scope_field, prefixes)
        if q is None:
            return self
        station_field = getattr(self.model, "scope_station_field", None)
        if station_field and action == VIEW:
            covered = self.model._default_manager.filter(scope_q(station_field, prefixes)).values("pk")
            q |= Q(pk__in=covered)
        return self.filter(q)


class OrganisationAccount(models.Model):
    """The organisation a provider-staff or evaluator account works for. A provider account reaches the stations
    of its organisation's contracts in force (and nothing once they end); an evaluator account the projects its
    organisation is assigned to evaluate (PRC-4)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="organisation_account",
    )
    organisation = models.ForeignKey(
        "workforce.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="accounts",
        help_text=_("The provider or evaluating organisation the account works for"),
    )
    history = PortalHistoricalRecords()

    objects = ProcurementQuerySet.as_manager()
    scope_field = "organisation__county__code"

    class Meta:
        verbose_name = _("organisation account")
        verbose_name_plural = _("organisation accounts")
        ordering = ["organisation_id", "user_id"]

    def __str__(self):
        return f"{self.user} · {self.organisation}"

    def get_absolute_url(self):
        return reverse("procurement:account_list")

    @staticmethod
    def audience(user, org, action):
        return Q(user_id=user.pk) if action == VIEW else None


class MinimumWage(models.Model):
    """The city minimum monthly wage of a year (全市最低工资标准), which the PRC-3 pay floors multiply. It is not
    in the plan: the city keeps the table; values marked as demo values are placeholders, not official."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    monthly = models.DecimalField(
        _("monthly minimum wage (yuan)"), validators=[MinValueValidator(1)], help_text=_("Yuan per month"), **MONEY
    )
    is_demo_value = models.BooleanField(
        _("demo value"), default=False, help_text=_("A placeholder shipped with the demo data, not the official value")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("city minimum wage")
        verbose_name_plural = _("city minimum wages")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}: {self.monthly}"

    def get_absolute_url(self):
        return reverse("procurement:wage_list")


class CountyFund(models.Model):
    """FUND-1: a county's social-assistance special funds of a year; the part spent on purchased services stays
    within a share of them (``FUND-1.assistance_fund_share_max``, 2 %)."""

    county = models.ForeignKey(
        Place, verbose_name=_("county-level unit"), on_delete=models.PROTECT, related_name="assistance_funds"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    assistance_funds = models.DecimalField(
        _("social-assistance special funds (yuan)"),
        validators=[MinValueValidator(1)],
        help_text=_("Social-assistance working funds and assistance grants for people in difficulty, for the year"),
        **MONEY,
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = PortalHistoricalRecords()

    objects = ProcurementQuerySet.as_manager()
    scope_field = "county__code"

    class Meta:
        verbose_name = _("county social-assistance funds")
        verbose_name_plural = _("county social-assistance funds")
        ordering = ["county_id", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year"],
                name="prc_fund_county_year",
                violation_error_message=_("FUND-1: this county's funds of that year are already recorded."),
            )
        ]

    def __str__(self):
        return f"{self.county} {self.year}"

    def get_absolute_url(self):
        return reverse("procurement:fund_list")

    @staticmethod
    def audience(user, org, action):
        return None


class Project(models.Model):
    """A purchase project (PRC-1, FUND-1, PRC-5): who buys, for which stations and period, with what money."""

    number = models.CharField(_("project number"), max_length=40, unique=True)
    name = models.CharField(_("project name"), max_length=100)
    county = models.ForeignKey(
        Place, verbose_name=_("county-level unit"), on_delete=models.PROTECT, related_name="purchase_projects"
    )
    purchaser_kind = models.CharField(
        _("purchaser"), max_length=20, choices=PurchaserKind.choices, default=PurchaserKind.CIVIL_AFFAIRS
    )
    purchaser = models.CharField(
        _("purchasing body"),
        max_length=100,
        help_text=_("PRC-1: mainly the county civil-affairs bureau; another department may buy through a station"),
    )
    stations = models.ManyToManyField(
        "stations.Station", verbose_name=_("stations covered"), related_name="purchase_projects"
    )
    service_start = models.DateField(_("service period from"))
    service_end = models.DateField(_("service period to"), help_text=_("PRC-5: one to three years"))
    budget_year = models.PositiveSmallIntegerField(
        _("budget year"), help_text=_("FUND-1: the year whose social-assistance funds the project draws on")
    )
    fund_assistance = models.DecimalField(
        _("social-assistance special funds (yuan)"), default=0, validators=[MinValueValidator(0)], **MONEY
    )
    fund_lottery = models.DecimalField(
        _("welfare-lottery public-welfare funds (yuan)"), default=0, validators=[MinValueValidator(0)], **MONEY
    )
    fund_elderly = models.DecimalField(
        _("elderly-allowance working funds (yuan)"), default=0, validators=[MinValueValidator(0)], **MONEY
    )
    fund_community = models.DecimalField(
        _("village/community funds (yuan)"),
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Village/community social-affairs funds and community-benefit project funds"),
        **MONEY,
    )
    fund_department = models.DecimalField(
        _("department's own budget (yuan)"), default=0, validators=[MinValueValidator(0)], **MONEY
    )
    formal_procurement = models.BooleanField(
        _("formal government procurement"),
        default=False,
        help_text=_("In the centralised procurement catalogue or above the quota: the procurement method is recorded"),
    )
    procurement_method = models.CharField(
        _("procurement method"), max_length=30, choices=ProcurementMethod.choices, blank=True
    )
    description = models.TextField(_("description"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.TENDERING, editable=False
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = PortalHistoricalRecords(m2m_fields=[stations])

    objects = ProcurementQuerySet.as_manager()
    scope_field = "county__code"
    scope_station_field = "stations__place__code"

    class Meta:
        verbose_name = _("purchase project")
        verbose_name_plural = _("purchase projects")
        ordering = ["county_id", "-service_start", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(service_end__gt=models.F("service_start")), name="prc_project_period_order"
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    def get_absolute_url(self):
        return reverse("procurement:project_detail", args=[self.pk])

    @property
    def budget_total(self):
        return self.fund_assistance + self.fund_lottery + self.fund_elderly + self.fund_community + self.fund_department

    @staticmethod
    def audience(user, org, action):
        if action != VIEW:
            return None
        if is_evaluator(user):
            return Q(evaluation_teams__organisation_id=org)
        return Q(contracts__provider_id=org) | Q(bids__organisation_id=org)


class Bid(models.Model):
    """A bid for a project (PRC-1, PRC-2): the bidder, its price and proposed team, and the panel's capability
    and quality scores (0–100 each)."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="bids")
    organisation = models.ForeignKey(
        "workforce.Organisation", verbose_name=_("bidder"), on_delete=models.PROTECT, related_name="bids"
    )
    price = models.DecimalField(_("bid price (yuan)"), validators=[MinValueValidator(0.01)], **MONEY)
    submitted_on = models.DateField(_("submitted on"))
    summary = models.TextField(_("summary of the offer"), max_length=2000, blank=True)
    score_capability = models.DecimalField(_("service capability"), **SCORE)
    score_team = models.DecimalField(_("professional team"), **SCORE)
    score_plan = models.DecimalField(_("service plan"), **SCORE)
    score_assurance = models.DecimalField(_("supervision, training and quality assurance"), **SCORE)
    score_record = models.DecimalField(_("track record and earlier evaluations"), **SCORE)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scored by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    history = PortalHistoricalRecords()

    objects = ProcurementQuerySet.as_manager()
    scope_field = "project__county__code"

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        ordering = ["project_id", "price", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation"],
                name="prc_bid_once",
                violation_error_message=_("PRC-1: this organisation has already bid for the project."),
            ),
            models.CheckConstraint(condition=Q(price__gt=0), name="prc_bid_price_positive"),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.project.number}"

    def get_absolute_url(self):
        return reverse("procurement:bid_detail", args=[self.pk])

    @staticmethod
    def audience(user, org, action):
        if action != VIEW:
            return None
        if is_evaluator(user):
            return Q(project__evaluation_teams__organisation_id=org)
        return Q(organisation_id=org)


class BidTeamMember(models.Model):
    """A member of the team a bid proposes (PRC-2: the plan prefers young and middle-aged, college-educated,
    certified workers)."""

    bid = models.ForeignKey(Bid, verbose_name=_("bid"), on_delete=models.CASCADE, related_name="team")
    name = models.CharField(_("name"), max_length=50)
    grade = models.PositiveSmallIntegerField(_("grade"), choices=TeamGrade.choices, default=TeamGrade.UNCERTIFIED)
    age_band = models.CharField(_("age band"), max_length=10, choices=AgeBand.choices)
    education = models.CharField(_("education"), max_length=12, choices=Education.choices)
    history = PortalHistoricalRecords()

    objects = ProcurementQuerySet.as_manager()
    scope_field = "bid__project__county__code"

    class Meta:
        verbose_name = _("proposed team member")
        verbose_name_plural = _("proposed team")
        ordering = ["bid_id", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("procurement:bid_detail", args=[self.bid_id])

    @staticmethod
    def audience(user, org, action):
        if action != VIEW:
            return None
        if is_evaluator(user):
            return Q(bid__project__evaluation_teams__organisation_id=org)
        return Q(bid__organisation_id=org)


class Award(models.Model):
    """The award of a project (PRC-1): the winning bid, who decided and why; choosing other than the bid ranked
    first needs a written reason. The ranking at the decision is kept with it."""

    project = models.OneToOneField(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="award")
    bid = models.ForeignKey(Bid, verbose_name=_("winning bid"), on_delete=models.PROTECT, related_name="awards")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("decided on"))
    reason = models.TextField(_("reasons for the decision"), max_length=2000)
    departure_reason = models.TextField(
        _("why not the bid ranked first"),
        max_length=2000,
        blank=True,
        help_text=_("PRC-1: required when the bid chosen is not the one ranked first"),
    )
    ranking = models.JSONField(_("ranking at the decision"), default=list, blank=True)
    history = PortalHistoricalRecords()

    objects = ProcurementQuerySet.as_manager()
    scope_field = "project__county__code"

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-decided_on"]

    def __str__(self):
        return f"{self.project.number} → {self.bid.organisation}"

    def get_absolute_url(self):
        return reverse("procurement:project_detail", args=[self.project_id])

    @staticmethod
    def audience(user, org, action):
        if action != VIEW:
            return None
        if is_evaluator(user):
            return Q(project__evaluation_teams__organisation_id=org)
        return Q(bid__organisation_id=org)


class Contract(models.Model):
    """A service contract (PRC-2, PRC-3, PRC-5): provider, stations, dates (one to three years), the six clauses,
    the planned stationed workers per station, its value, the provider's management fee and the supervision
    budget (SUP-1: supervision money is part of the project budget)."""

    number = models.CharField(_("contract number"), max_length=40, unique=True)
    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="contracts")
    award = models.OneToOneField(
        Award, verbose_name=_("award"), null=True, blank=True, on_delete=models.PROTECT, related_name="contract"
    )
    provider = models.ForeignKey(
        "workforce.Organisation", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="contracts"
    )
    stations = models.ManyToManyField("stations.Station", verbose_name=_("stations"), related_name="contracts")
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    start_on = models.DateField(_("start"))
    end_on = models.DateField(_("end"), help_text=_("PRC-5: a contract runs one to three years"))
    value = models.DecimalField(_("contract value (yuan)"), validators=[MinValueValidator(0.01)], **MONEY)
    management_fee = models.DecimalField(
        _("provider's management fee (yuan)"),
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("PRC-3: the management fee's share of the contract value stays within the cap"),
        **MONEY,
    )
    supervision_budget = models.DecimalField(
        _("supervision budget (yuan)"),
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("SUP-1: supervision money is part of the project budget"),
        **MONEY,
    )
    planned_workers_per_station = models.PositiveSmallIntegerField(
        _("stationed workers planned per station"),
        default=2,
        help_text=_("PRC-2: at least the number in the rule settings"),
    )
    clause_staffing = models.BooleanField(_("clause: staffing"), default=False)
    clause_content = models.BooleanField(_("clause: service content"), default=False)
    clause_objectives = models.BooleanField(_("clause: service objectives"), default=False)
    clause_funds = models.BooleanField(_("clause: fund management"), default=False)
    clause_supervision = models.BooleanField(_("clause: supervision and training"), default=False)
    clause_evaluation = models.BooleanField(_("clause: evaluation requirements"), default=False)
    history = PortalHistoricalRecords(m2m_fields=[stations])

    objects = ProcurementQuerySet.as_manager()
    scope_field = "project__county__code"
    scope_station_field = "stations__place__code"

    class Meta:
        verbose_name = _("service contract")
        verbose_name_plural = _("service contracts")
        ordering = ["project__county_id", "-start_on", "number"]
        indexes = [models.Index(fields=["provider", "start_on", "end_on"], name="prc_contract_provider_dates")]
        constraints = [
            models.CheckConstraint(condition=Q(end_on__gt=models.F("start_on")), name="prc_contract_period_order"),
            models.CheckConstraint(condition=Q(value__gt=0), name="prc_contract_value_positive"),
        ]

    def __str__(self):
        return f"{self.number} · {self.provider}"

    def get_absolute_url(self):
        return reverse("procurement:contract_detail", args=[self.pk])

    def in_force(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.start_on <= on <= self.end_on

    @staticmethod
    def audience(user, org, action):
        if is_evaluator(user):
            return Q(project__evaluation_teams__organisation_id=org) if action == VIEW else None
        return Q(provider_id=org) if action == VIEW else None


class ContractAssignment(models.Model):
    """A stationed worker's assignment (workforce) employed under a contract (PRC-2): the contract's staffing."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="staffing"
    )
    assignment = models.OneToOneField(
        "workforce.Assignment", verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="contract_link"
    )
    history = PortalHistoricalRecords()

    objects = ProcurementQuerySet.as_manager()
    scope_field = "contract__project__county__code"

    class Meta:
        verbose_name = _("stationed worker under contract")
        verbose_name_plural = _("stationed workers under contract")
        ordering = ["contract_id", "assignment__station_id", "id"]

    def __str__(self):
        return f"{self.contract.number} · {self.assignment}"

    def get_absolute_url(self):
        return reverse("procurement:contract_detail", args=[self.contract_id])

    @staticmethod
    def audience(user, org, action):
        if is_evaluator(user):
            return Q(contract__project__evaluation_teams__organisation_id=org) if action == VIEW else None
        q = Q(contract__provider_id=org)
        return q if action == VIEW else q & in_force_q(timezone.localdate(), "contract__")


class PayLine(models.Model):
    """A stationed worker's pay for one month under a contract (PRC-3). Checked against the floor of the worker's
    grade on the first day of the month × the city minimum wage of that year; a line below its floor is a finding
    that stays until the line is corrected (its history shows who corrected it and when)."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="pay_lines"
    )
    worker = models.ForeignKey(
        "workforce.Worker", verbose_name=_("worker"), on_delete=models.PROTECT, related_name="pay_lines"
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="pay_lines",
        help_text=_("Where the worker is stationed under the contract that month"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month paid"))
    amount = models.DecimalField(
        _("monthly pay (yuan)"), validators=[MinValueValidator(0)], help_text=_("Gross pay for the month"), **MONEY
    )
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("e.g. what a correction paid back"))
    history = PortalHistoricalRecords()

    objects = ProcurementQuerySet.as_manager()
    scope_field = "contract__project__county__code"

    class Meta:
        verbose_name = _("pay line")
        verbose_name_plural = _("pay lines")
        ordering = ["contract_id", "-month", "worker_id"]
        indexes = [models.Index(fields=["station", "month"], name="prc_payline_station_month")]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "worker", "month"],
                name="prc_payline_once",
                violation_error_message=_("PRC-3: this worker's pay for that month is already recorded."),
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="prc_payline_first_of_month"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="prc_payline_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.worker} {self.month:%Y-%m}"

    def get_absolute_url(self):
        return reverse("procurement:payline_detail", args=[self.pk])

    @staticmethod
    def audience(user, org, action):
        if is_evaluator(user):
            return Q(contract__project__evaluation_teams__organisation_id=org) if action == VIEW else None
        q = Q(contract__provider_id=org)
        return q if action == VIEW else q & in_force_q(timezone.localdate(), "contract__")


class EvaluationTeam(models.Model):
    """PRC-4: a project is evaluated by a team of the purchaser and a third-party organisation. An organisation
    that holds a station service contract may not evaluate, nor be awarded a contract while it evaluates."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="evaluation_teams"
    )
    organisation = models.ForeignKey(
        "workforce.Organisation",
        verbose_name=_("third-party organisation"),
        on_delete=models.PROTECT,
        related_name="evaluation_teams",
    )
    purchaser_members = models.CharField(
        _("purchaser's members"), max_length=200, help_text=_("Names of the purchaser's members of the team")
    )
    start_on = models.DateField(_("evaluates from"))
    end_on = models.DateField(_("evaluates until"))
    history = PortalHistoricalRecords()

    objects = ProcurementQuerySet.as_manager()
    scope_field = "project__county__code"

    class Meta:
        verbose_name = _("evaluation team")
        verbose_name_plural = _("evaluation teams")
        ordering = ["project_id", "start_on"]
        constraints = [
            models.CheckConstraint(condition=Q(end_on__gte=models.F("start_on")), name="prc_team_period_order"),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.project.number}"

    def get_absolute_url(self):
        return reverse("procurement:project_detail", args=[self.project_id])

    @staticmethod
    def audience(user, org, action):
        if action != VIEW:
            return None
        if is_evaluator(user):
            return Q(organisation_id=org)
        return Q(project__contracts__provider_id=org)


class Evaluation(models.Model):
    """A mid-term or final evaluation of a contract (PRC-4): scores per criterion (0–100) and findings. The final
    one is due no later than one month before the contract ends."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="evaluations"
    )
    team = models.ForeignKey(
        EvaluationTeam, verbose_name=_("evaluation team"), on_delete=models.PROTECT, related_name="evaluations"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EvaluationKind.choices)
    evaluated_on = models.DateField(_("evaluated on"))
    score_management = models.DecimalField(_("project management"), **(SCORE | {"null": False, "blank": False}))
    score_staffing = models.DecimalField(
        _("staffing and stationed workers"), **(SCORE | {"null": False, "blank": False})
    )
    score_services = models.DecimalField(
        _("services delivered and their outcomes"), **(SCORE | {"null": False, "blank": False})
    )
    score_satisfaction = models.DecimalField(
        _("satisfaction of those served"), **(SCORE | {"null": False, "blank": False})
    )
    score_funds = models.DecimalField(_("use of funds"), **(SCORE | {"null": False, "blank": False}))
    score_supervision = models.DecimalField(_("supervision and training"), **(SCORE | {"null": False, "blank": False}))
    total = models.DecimalField(_("total score"), max_digits=5, decimal_places=2, editable=False)
    findings = models.TextField(_("findings"), max_length=4000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = PortalHistoricalRecords()

    objects = ProcurementQuerySet.as_manager()
    scope_field = "contract__project__county__code"

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["contract_id", "evaluated_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "kind"],
                name="prc_evaluation_once",
                violation_error_message=_("PRC-4: this evaluation of the contract is already recorded."),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.contract.number}"

    def get_absolute_url(self):
        return reverse("procurement:evaluation_detail", args=[self.pk])

    @staticmethod
    def audience(user, org, action):
        if action != VIEW:
            return None
        if is_evaluator(user):
            return Q(team__organisation_id=org)
        return Q(contract__provider_id=org)
