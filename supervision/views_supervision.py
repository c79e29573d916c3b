"""Pages of supervision (SUP-1): logs (list, detail with history, record, correct, the station's confirmation as its
own step), plans (list, detail with supervisors and loads, the step that adds a station to a supervisor), the
supervisors' stations, and the county heat map. Every read goes through ``restrict``; every write through one
service of ``services_supervision``."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from liuzhou_social.columns import Column
from network.roles import may_confirm_supervision, may_keep_supervision_plans, may_record_supervision, may_write
from network.scope import CHANGE, can
from network.scoped_views import ScopedCreateView, ScopedDetailView, ScopedListView, ScopedUpdateView, form_errors_add
from workforce.models import Assignment

from . import rules_supervision as rules
from . import selectors_supervision as selectors
from . import services_supervision as services
from .choices_supervision import LogStatus, MonthState
from .filtersets_supervision import SupervisionLogFilterSet, SupervisionPlanFilterSet, SupervisorStationFilterSet
from .forms_supervision import PlanStationForm, SupervisionLogForm, SupervisionPlanForm
from .models import SupervisionLog, SupervisionPlan


class _RecordingRole:
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and may_write(request.user) and not may_record_supervision(request.user):
            raise PermissionDenied(_("Supervision logs are recorded by the supervisor's provider or the county."))
        return super().dispatch(request, *args, **kwargs)


class _PlanRole:
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and may_write(request.user) and not may_keep_supervision_plans(request.user):
            raise PermissionDenied(_("Supervision plans are kept by the county and the city."))
        return super().dispatch(request, *args, **kwargs)


# --- logs -------------------------------------------------------------------------------------------------------


class SupervisionLogListView(ScopedListView):
    model = SupervisionLog
    filterset_class = SupervisionLogFilterSet
    template_name = "supervision/supervision/log_list.html"
    search_fields = ["supervisor__name", "station__place__name", "content"]
    export_name = "supervision-logs"
    create_url_name = "supervision:log_create"
    columns = [
        Column(gettext_lazy("Date"), "held_on", link=True),
        Column(gettext_lazy("Station"), "station__place__name"),
        Column(gettext_lazy("Supervisor"), "supervisor__name"),
        Column(gettext_lazy("Provider"), "organisation__name"),
        Column(gettext_lazy("Days"), "days"),
        Column(gettext_lazy("Time"), lambda o: f"{o.start_time:%H:%M}–{o.end_time:%H:%M}"),
        Column(gettext_lazy("Hours"), "hours"),
        Column(gettext_lazy("Method"), "method"),
        Column(gettext_lazy("Status"), "status"),
    ]

    def base_queryset(self):
        return SupervisionLog.objects.select_related("station__place", "supervisor", "organisation").order_by(
            "-held_on", "-id"
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_create"] = may_record_supervision(self.request.user)
        ctx["rule_text"] = rules.sup1_rule_text()
        return ctx


class SupervisionLogDetailView(ScopedDetailView):
    model = SupervisionLog
    template_name = "supervision/supervision/log_detail.html"

    def base_queryset(self):
        return SupervisionLog.objects.select_related(
            "station__place", "supervisor", "organisation", "recorded_by", "confirmed_by"
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        log = self.object
        pending = log.status == LogStatus.RECORDED
        ctx["can_edit"] = ctx["can_change"] and pending and may_record_supervision(self.request.user)
        ctx["can_confirm"] = ctx["can_change"] and pending and may_confirm_supervision(self.request.user)
        ctx["counts"] = rules.sup1_session_counts(rules.Session(log.hours, log.status == LogStatus.CONFIRMED))
        ctx["hours_per_visit"] = rules.rule_value("SUP-1.hours_per_visit")
        ctx["rule_text"] = rules.sup1_rule_text()
        ctx["workers"] = log.workers_present.all()
        return ctx


class SupervisionLogCreateView(_RecordingRole, ScopedCreateView):
    model = SupervisionLog
    form_class = SupervisionLogForm
    template_name = "supervision/supervision/log_form.html"
    success_message = gettext_lazy("Supervision recorded; it counts once the station confirms it.")

    def get_initial(self):
        initial = super().get_initial()
        station = self.request.GET.get("station")
        if station and station.isdigit():
            initial["station"] = int(station)
        initial.setdefault("days", 1)
        return initial

    def perform_save(self, form):
        return services.supervision_log_save(user=self.request.user, data=dict(form.cleaned_data))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rule_text"] = rules.sup1_rule_text()
        return ctx


class SupervisionLogUpdateView(_RecordingRole, ScopedUpdateView):
    model = SupervisionLog
    form_class = SupervisionLogForm
    template_name = "supervision/supervision/log_form.html"

    def get_object(self, queryset=None):
        log = super().get_object(queryset)
        if log.status == LogStatus.CONFIRMED:
            raise PermissionDenied(_("The station has confirmed this log; a confirmed log is no longer changed."))
        return log

    def perform_save(self, form):
        return services.supervision_log_save(user=self.request.user, data=dict(form.cleaned_data), log=self.object)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rule_text"] = rules.sup1_rule_text()
        return ctx


@login_required
@require_http_methods(["GET", "POST"])
def log_confirm(request, pk):
    """SUP-1, the station's step: the worker stationed there confirms the session took place (one service)."""
    log = get_object_or_404(SupervisionLog.objects.restrict(request.user).select_related("station__place"), pk=pk)
    if not may_confirm_supervision(request.user) or not can(request.user, CHANGE, log):
        raise PermissionDenied(_("A supervision log is confirmed by the worker stationed at its station."))
    if request.method == "POST":
        try:
            services.supervision_log_confirm(user=request.user, log=log)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Supervision confirmed."))
        return HttpResponseRedirect(log.get_absolute_url())
    return render(request, "supervision/supervision/log_confirm.html", {"object": log, "title": _("Confirm")})


# --- plans ------------------------------------------------------------------------------------------------------


class SupervisionPlanListView(ScopedListView):
    model = SupervisionPlan
    filterset_class = SupervisionPlanFilterSet
    template_name = "supervision/supervision/plan_list.html"
    search_fields = ["organisation__name", "contract__number"]
    export_name = "supervision-plans"
    create_url_name = "supervision:supervision_plan_create"
    columns = [
        Column(gettext_lazy("Provider"), "organisation__name", link=True),
        Column(gettext_lazy("Contract"), "contract__number"),
        Column(gettext_lazy("County-level unit"), "county__name"),
        Column(gettext_lazy("Plan from"), "start_on"),
        Column(gettext_lazy("Plan until"), "end_on"),
        Column(gettext_lazy("Planned sessions per station per month"), "sessions_per_month"),
    ]

    def base_queryset(self):
        return SupervisionPlan.objects.select_related("organisation", "contract", "county")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_create"] = may_keep_supervision_plans(self.request.user)
        return ctx


class SupervisionPlanDetailView(ScopedDetailView):
    model = SupervisionPlan
    template_name = "supervision/supervision/plan_detail.html"

    def base_queryset(self):
        return SupervisionPlan.objects.select_related("organisation", "contract", "county")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["supervisors"] = selectors.plan_supervisors(self.object, on=timezone.localdate(), user=self.request.user)
        ctx["can_keep"] = ctx["can_change"] and may_keep_supervision_plans(self.request.user)
        ctx["rule_text"] = rules.sup1_rule_text()
        return ctx


class SupervisionPlanCreateView(_PlanRole, ScopedCreateView):
    model = SupervisionPlan
    form_class = SupervisionPlanForm

    def perform_save(self, form):
        return services.supervision_plan_save(user=self.request.user, data=dict(form.cleaned_data))


class SupervisionPlanUpdateView(_PlanRole, ScopedUpdateView):
    model = SupervisionPlan
    form_class = SupervisionPlanForm

    def perform_save(self, form):
        return services.supervision_plan_save(user=self.request.user, data=dict(form.cleaned_data), plan=self.object)


@login_required
@require_http_methods(["GET", "POST"])
def plan_station_add(request, pk):
    """SUP-1, the step that adds a station to one of the plan's supervisors (one service; a ninth refused)."""
    plan = get_object_or_404(SupervisionPlan.objects.restrict(request.user).select_related("organisation"), pk=pk)
    if not may_keep_supervision_plans(request.user) or not can(request.user, CHANGE, plan):
        raise PermissionDenied(_("Supervision plans are kept by the county and the city."))
    form = PlanStationForm(request.POST or None, plan=plan, user=request.user, initial={"start_on": plan.start_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_station_add(user=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(request, _("Station added to the supervisor."))
            return HttpResponseRedirect(plan.get_absolute_url())
    return render(
        request,
        "supervision/supervision/plan_supervisors_add.html",
        {
            "form": form,
            "object": plan,
            "title": _("Add a station to a supervisor"),
            "rule_text": rules.sup1_rule_text(),
        },
    )


class SupervisorStationListView(ScopedListView):
    """The supervisors' stations: every supervisor assignment the user may see, with the SUP-1 load."""

    model = Assignment
    filterset_class = SupervisorStationFilterSet
    template_name = "supervision/supervision/supervisor_list.html"
    search_fields = ["worker__name", "station__place__name", "organisation__name"]
    export_name = "supervisors-stations"
    columns = [
        Column(gettext_lazy("Supervisor"), "worker__name"),
        Column(gettext_lazy("Station"), "station__place__name"),
        Column(gettext_lazy("Provider"), "organisation__name"),
        Column(gettext_lazy("Supervises from"), "start_on"),
        Column(gettext_lazy("Supervises until"), "end_on"),
    ]

    def base_queryset(self):
        from workforce.choices import AssignmentRole

        return (
            self.model.objects.filter(role=AssignmentRole.SUPERVISOR)
            .select_related("worker", "station__place", "organisation")
            .order_by("worker__name", "station__place__code", "start_on")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("Supervisors' stations")
        ctx["can_create"] = False
        return ctx


# --- the heat map -----------------------------------------------------------------------------------------------

STATE_CLASS = {
    MonthState.MET: "text-bg-success",
    MonthState.PARTIAL: "text-bg-warning",
    MonthState.NONE: "text-bg-danger",
    # Light grey with dark text: a faded dark badge falls below the 4.5:1 contrast the pages keep.
    MonthState.NOT_DUE: "text-bg-light border",
}


@login_required
def heat_map(request):
    """SUP-1 per station and month of a year for one county: green met, amber partial, red none, grey not due."""
    today = timezone.localdate()
    code = request.GET.get("county", "")
    if not code:
        first = selectors.counties_of(request.user).first()
        code = first.code if first else ""
    # The choice: the counties of the chosen county's city the user may see (Liuzhou's ten and its two zones).
    counties = list(selectors.counties_of(request.user, within=code[:4])) if code[:4].isdigit() else []
    county = next((c for c in counties if c.code == code), None)
    if code and county is None:
        raise Http404
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 2020), today.year + 1)
    rows = selectors.heat_map(user=request.user, county=county, year=year, today=today) if county else []
    months = [datetime.date(year, m, 1) for m in range(1, 13)]
    # Everything a cell shows is prepared here, once per page: the page renders 12 cells per station.
    list_url = reverse("supervision:log_list")
    labels = {state: str(state.label) for state in MonthState}
    table = []
    for row in rows:
        sid = row.station.pk
        cells = [
            {
                "testid": f"cell-{sid}-{m:%Y-%m}",
                "state": state.value,
                "cls": STATE_CLASS[state],
                "label": labels[state],
                "n": n,
                "href": f"{list_url}?station={sid}&held_from={m:%Y-%m-%d}" if n else "",
            }
            for m, state, n in row.cells
        ]
        table.append((row.station.place.name, row.station.get_absolute_url(), cells))
    county_choices = [(c.code, c.name, c == county) for c in counties]
    return render(
        request,
        "supervision/supervision/heat_map.html",
        {
            "title": _("Supervision heat map"),
            "counties": county_choices,
            "county": county,
            "year": year,
            "years": list(range(2021, today.year + 1)),
            "months": months,
            "table": table,
            "rule_text": rules.sup1_rule_text(),
            "states": [(STATE_CLASS[s], s.label) for s in MonthState],
        },
    )


# --- the station page's panel (registered into stations.panels) ------------------------------------------------


def station_panel_context(station, request) -> dict:
    """SUP-1 on the station page: the last six months and the link to record or list the logs."""
    today = timezone.localdate()
    months = selectors.station_recent_months(station, today=today)
    return {
        "months": [(m, state, STATE_CLASS[state], state.label, n) for m, state, n in months],
        "station": station,
        "rule_text": rules.sup1_rule_text(),
        "can_record": may_record_supervision(request.user) and can(request.user, CHANGE, station),
        "list_url": reverse("supervision:log_list") + f"?station={station.pk}",
        "heat_url": reverse("supervision:heat_map") + f"?county={station.place.parent_id}",
    }
