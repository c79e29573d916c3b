"""Procurement pages: projects and their bids, the award step, contracts with their findings, staffing and pay lines,
evaluation teams and the evaluation step, county funds, minimum wages, organisation accounts, OCDS downloads, the
pay-line workbook. Views stay thin: rules are in ``services``/``rules``, reads in ``selectors``; every query goes
through ``restrict``."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liuzhou_social.columns import Column
from network.roles import is_city_admin, may_write
from network.rule_settings import rule_int, rule_value
from network.scope import CHANGE, VIEW, can, reaches
from network.scoped_views import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    form_errors_add,
)
from network.views import city_admin_required, import_template_response, import_upload_page
from workforce.models import Organisation

from . import ocds, rules, selectors, services
from .choices import QUALITY_FIELDS, ProjectStatus
from .filtersets import ContractFilterSet, EvaluationFilterSet, PayLineFilterSet, ProjectFilterSet
from .forms import (
    AwardForm,
    BidForm,
    BidScoreForm,
    BidTeamMemberForm,
    ContractAssignmentForm,
    ContractForm,
    CountyFundForm,
    EvaluationForm,
    EvaluationTeamForm,
    MinimumWageForm,
    OrganisationAccountForm,
    PayLineForm,
    ProjectForm,
)
from .models import (
    Award,
    Bid,
    Contract,
    ContractAssignment,
    CountyFund,
    Evaluation,
    EvaluationTeam,
    MinimumWage,
    OrganisationAccount,
    PayLine,
    Project,
)


def _changeable(request, obj) -> None:
    """A write on a visible record: read-only roles and records outside the change scope answer 403."""
    if not may_write(request.user) or not can(request.user, CHANGE, obj):
        raise PermissionDenied(_("You may see this record but not change it."))


def _money(v) -> str:
    return "" if v is None else f"{v:,.2f}"


# --- Projects -----------------------------------------------------------------------------------------------


class ProjectListView(ScopedListView):
    model = Project
    filterset_class = ProjectFilterSet
    template_name = "procurement/project_list.html"
    search_fields = ["number", "name", "purchaser"]
    export_name = "purchase-projects"
    create_url_name = "procurement:project_create"
    columns = [
        Column(gettext_lazy("Project number"), "number", link=True),
        Column(gettext_lazy("Project name"), "name"),
        Column(gettext_lazy("County-level unit"), "county__name"),
        Column(gettext_lazy("Purchasing body"), "purchaser"),
        Column(gettext_lazy("Service period from"), "service_start"),
        Column(gettext_lazy("Service period to"), "service_end"),
        Column(gettext_lazy("Budget (yuan)"), lambda p: _money(p.budget_total)),
        Column(gettext_lazy("Status"), "status"),
    ]

    def base_queryset(self):
        return Project.objects.select_related("county").order_by("county_id", "-service_start", "number")


class ProjectDetailView(ScopedDetailView):
    model = Project
    template_name = "procurement/project_detail.html"

    def base_queryset(self):
        return Project.objects.select_related("county")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        p, user = self.object, self.request.user
        # Linked only where the reader may open the station (a project may cover stations beyond their places).
        ctx["stations"] = [
            (s, reaches(user, s.place_id)) for s in p.stations.select_related("place").order_by("place_id")
        ]
        bids = Bid.objects.restrict(user).filter(project=p).select_related("organisation").order_by("price")
        ctx["ranking"] = selectors.project_ranking(p) if bids.count() == p.bids.count() else None
        ctx["bids"] = {b.pk: b for b in bids}
        ctx["price_weight"] = rule_value("PRC-1.price_weight")
        ctx["award"] = (
            Award.objects.restrict(user).filter(project=p).select_related("bid__organisation", "decided_by").first()
        )
        ctx["contracts"] = Contract.objects.restrict(user).filter(project=p).select_related("provider")
        ctx["teams"] = selectors.evaluation_teams_of(p)
        ctx["funds"] = [(label, getattr(p, name)) for label, name in _fund_rows()]
        # FUND-1 for the project's county and budget year (every project of that year counts).
        statuses = selectors.fund_statuses(
            projects=Project.objects.filter(county=p.county, budget_year=p.budget_year),
            funds=CountyFund.objects.filter(county=p.county, year=p.budget_year),
        )
        ctx["fund_status"] = statuses[0] if statuses else None
        ctx["can_bid"] = ctx["can_change"] and p.status == ProjectStatus.TENDERING
        ctx["can_award"] = ctx["can_bid"] and bool(ctx["bids"])
        records = selectors.provider_records({b.organisation_id for b in bids}, before_project=p)
        ranking = ctx["ranking"]
        ctx["rank_rows"] = (
            [(r, records.get(ctx["bids"][r.id].organisation_id)) for r in ranking.rows] if ranking else []
        )
        return ctx


def _fund_rows():
    from .choices import FUNDING_FIELDS, FundingSource

    return [(FundingSource(s).label, f) for s, f in FUNDING_FIELDS.items()]


class ProjectSaveMixin:
    model = Project
    form_class = ProjectForm

    def perform_save(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "stations"}
        return services.project_save(
            user=self.request.user,
            data=data,
            stations=list(form.cleaned_data["stations"]),
            project=getattr(self, "object", None),
        )

    def get_success_url(self):
        return self.object.get_absolute_url()


class ProjectCreateView(ProjectSaveMixin, ScopedCreateView):
    pass


class ProjectUpdateView(ProjectSaveMixin, ScopedUpdateView):
    pass


@login_required
def project_ocds(request, pk):
    """NET-2: the project, its award and contracts as an OCDS 1.1 release package (no personal data)."""
    project = get_object_or_404(Project.objects.restrict(request.user), pk=pk)
    package = ocds.release_package(project, request=request)
    response = HttpResponse(json.dumps(package, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="ocds-{project.number}.json"'
    return response


# --- Bids and the award (PRC-1, PRC-2) ---------------------------------------------------------------------------


class ProjectChildMixin:
    """Pages that add to one project: the project must be visible (404) and changeable (403)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.project = get_object_or_404(Project.objects.restrict(request.user, VIEW), pk=kwargs["project"])
            if may_write(request.user) and not can(request.user, CHANGE, self.project):
                raise PermissionDenied(_("You may see this record but not change it."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = f"{self.model._meta.verbose_name} · {self.project}"
        return ctx

    def get_success_url(self):
        return self.project.get_absolute_url()


class BidCreateView(ProjectChildMixin, ScopedCreateView):
    model = Bid
    form_class = BidForm

    def get_initial(self):
        return {"submitted_on": timezone.localdate()}

    def perform_save(self, form):
        return services.bid_save(user=self.request.user, project=self.project, data=form.cleaned_data)

    def get_success_url(self):
        return self.object.get_absolute_url()


class BidDetailView(ScopedDetailView):
    model = Bid
    template_name = "procurement/bid_detail.html"

    def base_queryset(self):
        return Bid.objects.select_related("project__county", "organisation", "scored_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        b = self.object
        ctx["team"] = b.team.all()
        ctx["team_summary"] = selectors.team_members_summary(b)
        ctx["scores"] = [(c_label, getattr(b, f)) for c_label, f in _quality_rows()]
        ctx["quality"] = rules.prc1_quality_total({f: getattr(b, f) for f in QUALITY_FIELDS.values()})
        ctx["record"] = selectors.provider_records([b.organisation_id], before_project=b.project).get(b.organisation_id)
        ctx["open"] = ctx["can_change"] and b.project.status == ProjectStatus.TENDERING
        ctx["member_form"] = BidTeamMemberForm()
        return ctx


def _quality_rows():
    from .choices import QualityCriterion

    return [(c.label, QUALITY_FIELDS[c]) for c in QualityCriterion]


class BidUpdateView(ScopedUpdateView):
    model = Bid
    form_class = BidForm

    def perform_save(self, form):
        return services.bid_save(
            user=self.request.user, project=self.object.project, data=form.cleaned_data, bid=self.object
        )

    def get_success_url(self):
        return self.object.get_absolute_url()


@login_required
def bid_score(request, pk):
    """PRC-1, the scoring step: the panel scores each capability and quality criterion of a bid (one service)."""
    bid = get_object_or_404(Bid.objects.restrict(request.user).select_related("project"), pk=pk)
    _changeable(request, bid)
    initial = {f: getattr(bid, f) for f in QUALITY_FIELDS.values()}
    form = BidScoreForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.bid_score(user=request.user, bid=bid, scores=form.cleaned_data)
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(request, _("Scores saved."))
            return HttpResponseRedirect(bid.project.get_absolute_url())
    return render(
        request,
        "procurement/step_form.html",
        {
            "form": form,
            "title": _("Score the bid: %(b)s") % {"b": bid},
            "intro": _(
                "PRC-1: score each capability and quality criterion from 0 to 100; the quality total is their mean."
            ),
            "back": bid.get_absolute_url(),
        },
    )


@login_required
def bid_member_add(request, pk):
    """A member of the proposed team (POST from the bid page)."""
    bid = get_object_or_404(Bid.objects.restrict(request.user).select_related("project"), pk=pk)
    _changeable(request, bid)
    form = BidTeamMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.bid_team_member_add(user=request.user, bid=bid, data=form.cleaned_data)
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(bid.get_absolute_url())
    return render(
        request,
        "procurement/step_form.html",
        {"form": form, "title": _("Proposed team"), "back": bid.get_absolute_url()},
    )


@login_required
def award_step(request, pk):
    """PRC-1, the award step: the ranking (price weight from the rule settings) and the decision (one service)."""
    project = get_object_or_404(Project.objects.restrict(request.user).select_related("county"), pk=pk)
    _changeable(request, project)
    if project.status != ProjectStatus.TENDERING:
        messages.info(request, _("PRC-1: the project has already been awarded."))
        return HttpResponseRedirect(project.get_absolute_url())
    ranking = selectors.project_ranking(project)
    first = ranking.recommended
    form = AwardForm(request.POST or None, project=project, initial={"bid": first.id if first else None})
    if request.method == "POST" and form.is_valid():
        try:
            award = services.award_decide(
                user=request.user,
                project=project,
                bid=form.cleaned_data["bid"],
                reason=form.cleaned_data["reason"],
                departure_reason=form.cleaned_data["departure_reason"],
            )
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(
                request,
                _("Awarded to %(org)s; contract %(number)s drawn up: complete its clauses, staffing and fees.")
                % {"org": award.bid.organisation, "number": award.contract.number},
            )
            return HttpResponseRedirect(award.contract.get_absolute_url())
    return render(
        request,
        "procurement/award.html",
        {
            "title": _("Award: %(p)s") % {"p": project},
            "project": project,
            "ranking": ranking,
            "form": form,
            "price_weight": rule_value("PRC-1.price_weight"),
            "rank_rows": _rank_rows(project, ranking),
        },
    )


def _rank_rows(project, ranking):
    """Each ranked bid with the evaluations of its bidder's earlier contracts (PRC-4 feeds the next bids)."""
    orgs = dict(project.bids.values_list("pk", "organisation_id"))
    records = selectors.provider_records(set(orgs.values()), before_project=project)
    return [(r, records.get(orgs.get(r.id))) for r in ranking.rows]


class EvaluationTeamCreateView(ProjectChildMixin, ScopedCreateView):
    """PRC-4: assign the evaluation team of the purchaser and a third-party organisation."""

    model = EvaluationTeam
    form_class = EvaluationTeamForm

    def get_initial(self):
        return {"start_on": self.project.service_start, "end_on": self.project.service_end}

    def perform_save(self, form):
        return services.evaluation_team_assign(user=self.request.user, project=self.project, data=form.cleaned_data)


# --- Contracts (PRC-2, PRC-3, PRC-5) ---------------------------------------------------------------------------


class ContractListView(ScopedListView):
    model = Contract
    filterset_class = ContractFilterSet
    template_name = "procurement/contract_list.html"
    search_fields = ["number", "provider__name", "project__name"]
    export_name = "contracts"
    columns = [
        Column(gettext_lazy("Contract number"), "number", link=True),
        Column(gettext_lazy("Provider"), "provider__name"),
        Column(gettext_lazy("Project"), "project__name"),
        Column(gettext_lazy("County-level unit"), "project__county__name"),
        Column(gettext_lazy("Start"), "start_on"),
        Column(gettext_lazy("End"), "end_on"),
        Column(gettext_lazy("Contract value (yuan)"), lambda c: _money(c.value)),
        Column(gettext_lazy("Management fee share (%)"), lambda c: rules.prc3_fee_share(c.management_fee, c.value)),
        Column(
            gettext_lazy("All six clauses (PRC-5)"),
            lambda c: _("Yes") if not rules.prc5_missing_clauses(vars(c)) else _("No"),
        ),
    ]

    def base_queryset(self):
        return Contract.objects.select_related("provider", "project__county").order_by(
            "project__county_id", "-start_on", "number"
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["due"] = selectors.final_evaluations_due(Contract.objects.restrict(self.request.user))
        return ctx


class ContractDetailView(ScopedDetailView):
    model = Contract
    template_name = "procurement/contract_detail.html"

    def base_queryset(self):
        return Contract.objects.select_related("provider", "project__county", "award__decided_by", "award__bid")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        c, user = self.object, self.request.user
        ctx["review"] = selectors.contract_review(c, pay_lines=PayLine.objects.restrict(user))
        ctx["project_visible"] = can(user, VIEW, c.project)
        ctx["provider_visible"] = can(user, VIEW, c.provider)
        ctx["workers_per_station"] = rule_int("PRC-2.workers_per_station")
        ctx["fee_cap"] = rule_value("PRC-3.management_fee_cap")
        ctx["floors"] = [
            (_("Uncertified"), rule_value("PRC-3.floor_uncertified")),
            (_("Assistant social worker"), rule_value("PRC-3.floor_assistant")),
            (_("Social worker or senior social worker"), rule_value("PRC-3.floor_social_worker")),
        ]
        ctx["evaluations"] = Evaluation.objects.restrict(user).filter(contract=c).select_related("team__organisation")
        ctx["staffing_links"] = (
            ContractAssignment.objects.restrict(user)
            .filter(contract=c)
            .select_related("assignment__worker", "assignment__station__place")
        )
        ctx["can_staff"] = _may_staff(user, c)
        ctx["can_evaluate"] = ctx["can_change"]
        return ctx


def _may_staff(user, contract) -> bool:
    """Linking staff and recording pay: the county (change scope), or the provider while the contract is in force."""
    return may_write(user) and selectors.contracts_staffed_by(user).filter(pk=contract.pk).exists()


class ContractUpdateView(ScopedUpdateView):
    model = Contract
    form_class = ContractForm

    def perform_save(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "stations"}
        return services.contract_save(
            user=self.request.user, contract=self.object, data=data, stations=list(form.cleaned_data["stations"])
        )

    def get_success_url(self):
        return self.object.get_absolute_url()


@login_required
def contract_staff(request, pk):
    """PRC-2: link a stationed worker's assignment to the contract (or every matching one at once)."""
    contract = get_object_or_404(Contract.objects.restrict(request.user), pk=pk)
    if not _may_staff(request.user, contract):
        raise PermissionDenied(_("You may see this record but not change it."))
    form = ContractAssignmentForm(request.POST or None, contract=contract, user=request.user)
    if request.method == "POST" and request.POST.get("all"):
        n = services.contract_assignments_link_matching(user=request.user, contract=contract)
        messages.success(request, _("%(n)s assignment(s) linked.") % {"n": n})
        return HttpResponseRedirect(contract.get_absolute_url())
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_assignment_link(
                user=request.user, contract=contract, assignment=form.cleaned_data["assignment"]
            )
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(contract.get_absolute_url())
    return render(
        request,
        "procurement/staff_form.html",
        {"form": form, "contract": contract, "title": _("Stationed workers under %(c)s") % {"c": contract.number}},
    )


class ContractAssignmentDeleteView(ScopedDeleteView):
    """Unlink an assignment from its contract, after a confirmation."""

    model = ContractAssignment

    def get_success_url(self):
        return reverse("procurement:contract_detail", args=[self.object.contract_id])


@login_required
def evaluation_step(request, pk):
    """PRC-4, the evaluation step: the team's scores per criterion and findings for a contract (one service)."""
    contract = get_object_or_404(Contract.objects.restrict(request.user).select_related("project"), pk=pk)
    _changeable(request, contract)
    form = EvaluationForm(request.POST or None, contract=contract, initial={"evaluated_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluation_record(user=request.user, contract=contract, data=form.cleaned_data)
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(request, _("Evaluation recorded."))
            return HttpResponseRedirect(evaluation.get_absolute_url())
    return render(
        request,
        "procurement/step_form.html",
        {
            "form": form,
            "title": _("Evaluate: %(c)s") % {"c": contract},
            "intro": _(
                "PRC-4: the team of the purchaser and a third-party organisation scores each criterion from 0 to "
                "100; the final evaluation is due by %(d)s, one month before the contract ends."
            )
            % {"d": rules.prc4_final_due(contract.end_on)},
            "back": contract.get_absolute_url(),
        },
    )


class EvaluationListView(ScopedListView):
    model = Evaluation
    filterset_class = EvaluationFilterSet
    template_name = "procurement/evaluation_list.html"
    search_fields = ["contract__number", "contract__provider__name", "team__organisation__name"]
    export_name = "evaluations"
    columns = [
        Column(gettext_lazy("Contract"), "contract__number", link=True),
        Column(gettext_lazy("Provider"), "contract__provider__name"),
        Column(gettext_lazy("Kind"), "kind"),
        Column(gettext_lazy("Evaluated on"), "evaluated_on"),
        Column(gettext_lazy("Third-party organisation"), "team__organisation__name"),
        Column(gettext_lazy("Total score"), "total"),
    ]

    def base_queryset(self):
        return Evaluation.objects.select_related("contract__provider", "team__organisation").order_by(
            "-evaluated_on", "id"
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["due"] = selectors.final_evaluations_due(Contract.objects.restrict(self.request.user))
        ctx["reminder_days"] = rule_int("PRC-4.final_reminder_days")
        return ctx


class EvaluationDetailView(ScopedDetailView):
    model = Evaluation
    template_name = "procurement/evaluation_detail.html"

    def base_queryset(self):
        return Evaluation.objects.select_related("contract__provider", "team__organisation", "recorded_by")

    def get_context_data(self, **kwargs):
        from .choices import EVALUATION_FIELDS, EvaluationCriterion

        ctx = super().get_context_data(**kwargs)
        e = self.object
        ctx["scores"] = [(c.label, getattr(e, EVALUATION_FIELDS[c])) for c in EvaluationCriterion]
        ctx["due"] = rules.prc4_final_due(e.contract.end_on)
        return ctx


# --- Pay lines (PRC-3) -----------------------------------------------------------------------------------------


class PayLineListView(ScopedListView):
    """Pay lines with their floor (PRC-3); the filter "below the floor" lists the findings."""

    model = PayLine
    filterset_class = PayLineFilterSet
    template_name = "procurement/payline_list.html"
    search_fields = ["worker__name", "contract__number"]
    export_name = "pay-lines"
    create_url_name = "procurement:payline_create"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.columns = [
            Column(gettext_lazy("Worker"), "worker__name", link=True),
            Column(gettext_lazy("Station"), "station__place__name"),
            Column(gettext_lazy("Contract"), "contract__number"),
            Column(gettext_lazy("Month"), lambda p: f"{p.month:%Y-%m}"),
            Column(gettext_lazy("Monthly pay (yuan)"), lambda p: _money(p.amount)),
            Column(gettext_lazy("Grade on the first day"), lambda p: str(_grade_label(p.grade))),
            Column(
                gettext_lazy("Floor (yuan)"),
                lambda p: _money(rules.prc3_floor(p.grade, p.wage)) if p.wage is not None else _("no minimum wage"),
            ),
            Column(gettext_lazy("Meets the floor (PRC-3)"), lambda p: _("Yes") if p.meets_floor else _("No")),
        ]

    def base_queryset(self):
        return selectors.pay_lines_with_floor(
            PayLine.objects.select_related("worker", "station__place", "contract")
        ).order_by("-month", "station__place_id", "worker__name", "id")


def _grade_label(grade):
    from .choices import TeamGrade

    return TeamGrade(grade or 0).label


class PayLineDetailView(ScopedDetailView):
    model = PayLine
    template_name = "procurement/payline_detail.html"

    def base_queryset(self):
        return selectors.pay_lines_with_floor(PayLine.objects.select_related("worker", "station__place", "contract"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["check"] = selectors.pay_check([self.object])[0]
        ctx["can_change"] = _may_staff(self.request.user, self.object.contract)
        return ctx


class PayLineSaveMixin:
    model = PayLine
    form_class = PayLineForm

    def perform_save(self, form):
        return services.payline_save(user=self.request.user, data=form.cleaned_data, line=getattr(self, "object", None))

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        # Provider staff record pay for their contracts in force; the county for its contracts.
        form.fields["contract"].queryset = selectors.contracts_staffed_by(self.request.user).select_related("provider")
        form.fields["worker"].queryset = form.fields["worker"].queryset.restrict(self.request.user, VIEW)
        return form

    def get_success_url(self):
        return self.object.get_absolute_url()


class PayLineCreateView(PayLineSaveMixin, ScopedCreateView):
    def get_initial(self):
        return {"contract": self.request.GET.get("contract")}


class PayLineUpdateView(PayLineSaveMixin, ScopedUpdateView):
    """Correct a pay line (e.g. back pay): the history keeps the line as it was."""


@login_required
def payline_template(request):
    from .imports import PayLineImport

    return import_template_response(request, PayLineImport, "驻站社工工资表模板.xlsx")


@login_required
def payline_import(request):
    """Upload pay lines; checked on the job page and imported there on confirm, all or nothing."""
    from .imports import PayLineImport

    return import_upload_page(request, PayLineImport)


# --- Funds (FUND-1) and minimum wages (PRC-3) -----------------------------------------------------------------


class CountyFundListView(ScopedListView):
    model = CountyFund
    template_name = "procurement/fund_list.html"
    search_fields = ["county__name", "note"]
    export_name = "county-funds"
    create_url_name = "procurement:fund_create"
    filterset_class = None
    columns = [
        Column(gettext_lazy("County-level unit"), "county__name", link=True),
        Column(gettext_lazy("Year"), "year"),
        Column(gettext_lazy("Social-assistance special funds (yuan)"), lambda f: _money(f.assistance_funds)),
        Column(gettext_lazy("Note"), "note"),
    ]

    def get_filterset_class(self):
        from .filtersets import CountyFundFilterSet

        return CountyFundFilterSet

    def base_queryset(self):
        return CountyFund.objects.select_related("county").order_by("county_id", "-year")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["statuses"] = selectors.fund_statuses(
            projects=Project.objects.restrict(user), funds=CountyFund.objects.restrict(user)
        )
        ctx["cap"] = rule_value("FUND-1.assistance_fund_share_max")
        return ctx


class CountyFundSaveMixin:
    model = CountyFund
    form_class = CountyFundForm

    def perform_save(self, form):
        return services.county_fund_save(
            user=self.request.user, data=form.cleaned_data, fund=getattr(self, "object", None)
        )

    def get_success_url(self):
        return reverse("procurement:fund_list")


class CountyFundCreateView(CountyFundSaveMixin, ScopedCreateView):
    pass


class CountyFundUpdateView(CountyFundSaveMixin, ScopedUpdateView):
    pass


@login_required
def wage_list(request):
    """PRC-3: the city minimum wage by year (the city keeps it; demo values are marked)."""
    return render(
        request,
        "procurement/wage_list.html",
        {
            "title": MinimumWage._meta.verbose_name_plural,
            "wages": MinimumWage.objects.all(),
            "can_edit": is_city_admin(request.user),
            "floors": [
                (_("Uncertified"), rule_value("PRC-3.floor_uncertified")),
                (_("Assistant social worker"), rule_value("PRC-3.floor_assistant")),
                (_("Social worker or senior social worker"), rule_value("PRC-3.floor_social_worker")),
            ],
        },
    )


@city_admin_required
def wage_edit(request, year=None):
    wage = get_object_or_404(MinimumWage, year=year) if year is not None else None
    form = MinimumWageForm(request.POST or None, instance=wage)
    if year is not None:
        form.fields["year"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.minimum_wage_save(user=request.user, data=form.cleaned_data, wage=wage)
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("procurement:wage_list"))
    return render(
        request,
        "procurement/step_form.html",
        {"form": form, "title": MinimumWage._meta.verbose_name, "back": reverse("procurement:wage_list")},
    )


# --- Organisation accounts and provider profiles -----------------------------------------------------------------


@city_admin_required
def account_list(request):
    """Which organisation each provider-staff and evaluator account works for (the city administrator keeps it)."""
    form = OrganisationAccountForm(request.POST or None, request_user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_account_save(
                user=request.user,
                account_user=form.cleaned_data["user"],
                organisation=form.cleaned_data["organisation"],
            )
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("procurement:account_list"))
    accounts = OrganisationAccount.objects.restrict(request.user).select_related("user", "organisation")
    return render(
        request,
        "procurement/account_list.html",
        {"title": _("Organisation accounts"), "form": form, "accounts": accounts},
    )


@login_required
def provider_profile(request, pk):
    """PRC-4: a provider's contracts and the evaluations of them (its record, shown beside its next bids)."""
    organisation = get_object_or_404(Organisation.objects.restrict(request.user), pk=pk)
    contracts = Contract.objects.restrict(request.user).filter(provider=organisation).select_related("project")
    record = selectors.provider_records([organisation.pk]).get(organisation.pk)
    visible = set(
        Evaluation.objects.restrict(request.user).filter(contract__provider=organisation).values_list("pk", flat=True)
    )
    evaluations = [e for e in (record.evaluations if record else []) if e.pk in visible]
    return render(
        request,
        "procurement/provider_profile.html",
        {
            "title": _("Provider: %(o)s") % {"o": organisation},
            "organisation": organisation,
            "contracts": contracts,
            "evaluations": evaluations,
            "mean": record.mean if record and evaluations else None,
            "bids": Bid.objects.restrict(request.user).filter(organisation=organisation).select_related("project"),
        },
    )
