"""Pages of the county plans (PLAN-1, SUP-4): the list, the city's overview of the counties' filings, a plan with its
versions, a version with its sections, the draft's edit page, each workflow step (submit, file, return, revise) as
its own page calling one service, the comparison of two versions, the printable plan and its signed PDF.

Views stay thin: the rules are in ``services_plans``/``rules_plans``, reads in ``selectors_plans``; every query
goes through ``restrict`` (outside the places: 404; visible but not the user's step: 403)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liuzhou_social.columns import Column
from liuzhou_social.exports import xlsx_response
from network.roles import may_draft_county_plans, may_file_county_plans, may_write
from network.scope import CHANGE, VIEW, can
from network.scoped_views import ScopedCreateView, ScopedDetailView, ScopedListView, ScopedUpdateView, form_errors_add

from . import selectors_plans as selectors
from . import services_plans as services
from .choices_plans import OPEN_STATUSES, REVISABLE_STATUSES, PlanStatus
from .filtersets_plans import CountyPlanFilterSet
from .forms_plans import (
    CountyPlanForm,
    PlanCompareForm,
    PlanFileForm,
    PlanReturnForm,
    PlanReviseForm,
    PlanVersionForm,
)
from .models import CountyPlan, PlanVersion
from .rules_plans import SECTIONS, plan1_missing_sections


def _may_draft_here(user, plan) -> bool:
    return may_write(user) and may_draft_county_plans(user) and can(user, CHANGE, plan)


def _county_step(request, plan) -> None:
    """The county's steps (edit, submit, revise): 403 for a role or place that may not take them."""
    if not _may_draft_here(request.user, plan):
        raise PermissionDenied(_("PLAN-1: only the county drafts and submits its implementation plan."))


def _city_step(request) -> None:
    """The city's steps (file, return): 403 for everyone but the city civil-affairs bureau."""
    if not may_file_county_plans(request.user):
        raise PermissionDenied(_("PLAN-1: only the city civil-affairs bureau files or returns a county plan."))


def _version(request, pk) -> PlanVersion:
    return get_object_or_404(PlanVersion.objects.restrict(request.user, VIEW).select_related("plan__county"), pk=pk)


def _status_label(value) -> str:
    return str(PlanStatus(value).label) if value else ""


# --- Lists ---------------------------------------------------------------------------------------------------


class CountyPlanListView(ScopedListView):
    model = CountyPlan
    filterset_class = CountyPlanFilterSet
    template_name = "supervision/plans/plan_list.html"
    search_fields = ["title", "county__name"]
    export_name = "county-plans"
    create_url_name = "supervision:plan_create"
    columns = [
        Column(gettext_lazy("Title"), "title", link=True),
        Column(gettext_lazy("County-level unit"), "county__name"),
        Column(gettext_lazy("Period"), lambda p: f"{p.first_year}—{p.last_year}"),
        Column(gettext_lazy("Latest version"), lambda p: f"v{p.latest_number}" if p.latest_number else ""),
        Column(gettext_lazy("Latest status"), lambda p: _status_label(p.latest_status)),
        Column(gettext_lazy("Version in force"), lambda p: f"v{p.in_force.number}" if p.in_force else "—"),
        Column(gettext_lazy("Filed on"), lambda p: p.in_force.filed_on if p.in_force else "—"),
    ]

    def base_queryset(self):
        return selectors.plans_with_latest(
            CountyPlan.objects.select_related("county", "in_force").order_by("county_id", "-first_year")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_create"] = may_write(self.request.user) and may_draft_county_plans(self.request.user)
        ctx["can_file"] = may_file_county_plans(self.request.user)
        return ctx


@login_required
def plan_counties(request):
    """PLAN-1, the city's overview: every county-level unit in the user's places — whether it has filed, when, and
    which version is in force; ``?year=`` the plans covering a year; ``?export=xlsx`` the same rows."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        year = None
    if year is not None and not 2000 <= year <= 2100:
        year = None
    # With a year: the plans covering it, in force on its last day (or today, for the current year).
    on = min(today, datetime.date(year, 12, 31)) if year else today
    rows = selectors.county_filings(request.user, on=on, year=year)
    headers = [
        _("County-level unit"),
        _("Plan"),
        _("Latest version"),
        _("Latest status"),
        _("Version in force"),
        _("Filed on"),
        _("In force on %(d)s") % {"d": on.isoformat()},
    ]

    def cells(r):
        return [
            r.county.name,
            str(r.plan) if r.plan else _("No plan yet"),
            f"v{r.latest_number}" if r.latest_number else "—",
            r.latest_status_label or "—",
            f"v{r.in_force.number}" if r.in_force else "—",
            r.in_force.filed_on.isoformat() if r.in_force else "—",
            _("Yes") if r.in_force_today else _("No"),
        ]

    if request.GET.get("export") == "xlsx":
        return xlsx_response("county-plan-filings.xlsx", headers, (cells(r) for r in rows))
    filed = sum(1 for r in rows if r.in_force_today)
    return render(
        request,
        "supervision/plans/counties.html",
        {
            "title": _("County plans filed with the city"),
            "rows": [(r, cells(r)) for r in rows],
            "headers": headers,
            "year": year,
            "filed": filed,
            "on": on,
            "total": len(rows),
            "querystring": request.GET.urlencode(),
        },
    )


# --- A plan and its versions -----------------------------------------------------------------------------------


class CountyPlanCreateView(ScopedCreateView):
    model = CountyPlan
    form_class = CountyPlanForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and may_write(request.user) and not may_draft_county_plans(request.user):
            raise PermissionDenied(_("PLAN-1: only the county drafts and submits its implementation plan."))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        year = timezone.localdate().year
        return {"first_year": year, "last_year": year + 2}

    def perform_save(self, form):
        return services.county_plan_create(user=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return self.object.versions.get(number=1).get_absolute_url()


class CountyPlanDetailView(ScopedDetailView):
    model = CountyPlan
    template_name = "supervision/plans/plan_detail.html"

    def base_queryset(self):
        return CountyPlan.objects.select_related("county", "in_force", "created_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan, user = self.object, self.request.user
        versions = list(plan.versions.select_related("submitted_by", "decided_by", "created_by").order_by("-number"))
        ctx["versions"] = versions
        latest = versions[0] if versions else None
        ctx["latest"] = latest
        ctx["can_draft"] = _may_draft_here(user, plan)
        ctx["can_revise"] = ctx["can_draft"] and (latest is None or latest.status in REVISABLE_STATUSES)
        ctx["open_version"] = next((v for v in versions if v.status in OPEN_STATUSES), None)
        ctx["in_force_today"] = bool(
            plan.in_force
            and selectors.plan1_in_force(
                filed_on=plan.in_force.filed_on, last_year=plan.last_year, on=timezone.localdate()
            )
        )
        if len(versions) >= 2:
            ctx["compare_form"] = PlanCompareForm(
                versions=plan.versions.all(), initial={"a": versions[1].pk, "b": versions[0].pk}
            )
            ctx["compare_form"]._portal_scoped = True
        return ctx


class PlanVersionDetailView(ScopedDetailView):
    model = PlanVersion
    template_name = "supervision/plans/version_detail.html"

    def base_queryset(self):
        return PlanVersion.objects.select_related(
            "plan__county", "plan__in_force", "based_on", "submitted_by", "decided_by", "created_by"
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        v, user = self.object, self.request.user
        drafting = _may_draft_here(user, v.plan)
        ctx["sections"] = v.sections()
        ctx["missing"] = plan1_missing_sections({s.field: getattr(v, s.field) for s in SECTIONS})
        ctx["can_edit"] = drafting and v.status == PlanStatus.DRAFT
        ctx["can_submit"] = ctx["can_edit"]
        ctx["can_decide"] = may_file_county_plans(user) and v.status == PlanStatus.SUBMITTED
        latest = v.plan.versions.order_by("-number").first()
        ctx["can_revise"] = drafting and latest == v and v.status in REVISABLE_STATUSES
        ctx["is_in_force"] = v.plan.in_force_id == v.pk
        return ctx


class PlanVersionEditView(ScopedUpdateView):
    """PLAN-1: the county writes a draft's sections and attaches the signed PDF (one service)."""

    model = PlanVersion
    form_class = PlanVersionForm
    template_name = "supervision/plans/version_form.html"

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not may_draft_county_plans(self.request.user):
            raise PermissionDenied(_("PLAN-1: only the county drafts and submits its implementation plan."))
        return obj

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.status != PlanStatus.DRAFT:
            messages.info(request, _("PLAN-1: only a draft can be edited; start a new version to revise the plan."))
            return HttpResponseRedirect(self.object.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("Edit the draft")
        return ctx

    def perform_save(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "signed_pdf"}
        upload = form.cleaned_data.get("signed_pdf")
        fresh = upload if isinstance(upload, UploadedFile) else None  # not the file already stored
        version = PlanVersion.objects.get(pk=self.object.pk)
        return services.plan_version_save(user=self.request.user, version=version, data=data, signed_pdf=fresh)

    def get_success_url(self):
        return self.object.get_absolute_url()


def _step_page(request, version, *, title, intro, form=None, button, danger=False, errors=None):
    return render(
        request,
        "supervision/plans/step.html",
        {
            "title": title,
            "intro": intro,
            "form": form,
            "errors": errors or [],
            "version": version,
            "button": button,
            "danger": danger,
            "back": version.get_absolute_url(),
            "missing": plan1_missing_sections({s.field: getattr(version, s.field) for s in SECTIONS}),
        },
        status=400 if errors else 200,
    )


@login_required
def version_submit(request, pk):
    """PLAN-1, the county submits a draft to the city (one service): every section written, the signed PDF attached."""
    version = _version(request, pk)
    _county_step(request, version.plan)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.plan_version_submit(user=request.user, version=version)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Submitted to the city civil-affairs bureau for filing."))
            return HttpResponseRedirect(version.get_absolute_url())
    return _step_page(
        request,
        version,
        title=_("Submit %(v)s") % {"v": version},
        intro=_(
            "PLAN-1: once submitted, this version cannot be changed; the city files it or returns it with comments."
        ),
        button=_("Submit"),
        errors=errors,
    )


@login_required
def version_file(request, pk):
    """PLAN-1, the city files (备案) a submitted version (one service); it becomes the version in force."""
    version = _version(request, pk)
    _city_step(request)
    form = PlanFileForm(request.POST if request.method == "POST" else None, initial={"filed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_version_file(
                user=request.user,
                version=version,
                filed_on=form.cleaned_data["filed_on"],
                comments=form.cleaned_data["comments"],
            )
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(request, _("Filed: this version is now the plan in force."))
            return HttpResponseRedirect(version.get_absolute_url())
    return _step_page(
        request,
        version,
        title=_("File %(v)s") % {"v": version},
        intro=_("PLAN-1: filing makes this version the county's plan in force; a version filed before is superseded."),
        form=form,
        button=_("File"),
    )


@login_required
def version_return(request, pk):
    """PLAN-1, the city returns a submitted version with comments (one service)."""
    version = _version(request, pk)
    _city_step(request)
    form = PlanReturnForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_version_return(user=request.user, version=version, comments=form.cleaned_data["comments"])
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(request, _("Returned to the county with your comments."))
            return HttpResponseRedirect(version.get_absolute_url())
    return _step_page(
        request,
        version,
        title=_("Return %(v)s") % {"v": version},
        intro=_("PLAN-1: the county revises the plan in a new version and submits it again."),
        form=form,
        button=_("Return"),
        danger=True,
    )


@login_required
def plan_revise(request, pk):
    """PLAN-1, the county starts a new version from the latest returned or filed one (one service)."""
    plan = get_object_or_404(CountyPlan.objects.restrict(request.user, VIEW).select_related("county"), pk=pk)
    _county_step(request, plan)
    latest = plan.versions.order_by("-number").first()
    form = PlanReviseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.plan_revise(user=request.user, plan=plan, change_note=form.cleaned_data["change_note"])
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(request, _("Version %(n)s opened as a draft.") % {"n": version.number})
            return HttpResponseRedirect(version.get_absolute_url())
    return render(
        request,
        "supervision/plans/step.html",
        {
            "title": _("New version of %(p)s") % {"p": plan},
            "intro": _(
                "PLAN-1: the new version starts as a copy of the latest one; the version in force stays in force "
                "until the new one is filed."
            ),
            "form": form,
            "version": latest,
            "button": _("Start a new version"),
            "back": plan.get_absolute_url(),
        },
    )


@login_required
def plan_compare(request, pk):
    """PLAN-1: two versions of a plan side by side, section by section, with the changes marked."""
    plan = get_object_or_404(CountyPlan.objects.restrict(request.user, VIEW).select_related("county"), pk=pk)
    versions = plan.versions.order_by("-number")
    form = PlanCompareForm(request.GET or None, versions=versions)
    rows = None
    a = b = None
    if form.is_bound and form.is_valid():
        a, b = form.cleaned_data["a"], form.cleaned_data["b"]
        if a.number > b.number:
            a, b = b, a
        rows = selectors.versions_compare(a, b)
    elif not form.is_bound and versions.count() >= 2:
        b, a = list(versions[:2])
        rows = selectors.versions_compare(a, b)
        form = PlanCompareForm(versions=versions, initial={"a": a.pk, "b": b.pk})
    form._portal_scoped = True
    return render(
        request,
        "supervision/plans/compare.html",
        {"title": _("Compare versions"), "plan": plan, "form": form, "rows": rows, "a": a, "b": b},
    )


@login_required
def version_print(request, pk):
    """PLAN-1: the version as a printable document (the page prints without the portal's menus)."""
    version = _version(request, pk)
    return render(
        request,
        "supervision/plans/print.html",
        {"version": version, "plan": version.plan, "sections": version.sections(), "today": timezone.localdate()},
    )


@login_required
def version_pdf(request, pk):
    """The signed PDF of a version, to whoever may see the plan (not served as a public file)."""
    version = _version(request, pk)
    if not version.signed_pdf:
        raise Http404
    name = version.signed_pdf.name.rsplit("/", 1)[-1]
    return FileResponse(
        version.signed_pdf.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )
