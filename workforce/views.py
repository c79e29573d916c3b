"""Workforce pages: rosters, worker profiles, qualifications, organisations, assignments, county and city views,
the roster import. Views stay thin: rules are in ``services``, ``selectors`` and ``roster``."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from liuzhou_social.columns import Column
from liuzhou_social.exports import XLSX_TYPE
from network.choices import PersonalDataAction, PlaceLevel
from network.masking import mask_id_number, mask_phone
from network.models import Place
from network.personal_data import personal_data_event_record
from network.roles import may_write, sees_personal_data
from network.rule_settings import rule_int
from network.scope import CHANGE, VIEW, can
from network.scoped_views import (
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    export_reason_page,
)
from network.views import import_template_response, import_upload_page

from . import roster, rules, selectors, services
from .choices import AssignmentRole, Grade
from .filtersets import AssignmentFilterSet, OrganisationFilterSet, QualificationFilterSet, WorkerFilterSet
from .forms import (
    AssignmentEndForm,
    AssignmentForm,
    OrganisationForm,
    QualificationForm,
    RevokeForm,
    SpecialisationForm,
    WorkerForm,
)
from .models import Assignment, Organisation, Qualification, Specialisation, Worker


def _masked(user, kind):
    full = sees_personal_data(user)
    mask = mask_id_number if kind == "id" else mask_phone
    return (lambda v: v or "") if full else mask


# --- Workers -------------------------------------------------------------------------------------------------


class WorkerListView(ScopedListView):
    """The roster: filters by county, station, grade, specialisation, organisation, certified on a date."""

    model = Worker
    personal_data = True
    filterset_class = WorkerFilterSet
    search_fields = ["name", "organisation__name"]
    exact_search_fields = ["id_number"]
    export_name = "workers"
    create_url_name = "workforce:worker_create"
    template_name = "workforce/worker_list.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        ident, phone = _masked(request.user, "id"), _masked(request.user, "phone")
        grades = dict(Grade.choices)
        self.columns = [
            Column(pgettext_lazy("person", "Name"), "name", link=True),
            Column(gettext_lazy("ID number"), lambda w: ident(w.id_number)),
            Column(gettext_lazy("Gender"), "gender"),
            Column(gettext_lazy("Birth date"), "birth_date"),
            Column(gettext_lazy("Phone"), lambda w: phone(w.phone)),
            Column(gettext_lazy("Education"), "education"),
            Column(gettext_lazy("Employer"), "organisation__name"),
            Column(gettext_lazy("Registered at"), "place__name"),
            Column(gettext_lazy("Highest grade today"), lambda w: str(grades.get(w.grade_now, _("Uncertified")))),
        ]

    def base_queryset(self):
        return (
            Worker.objects.select_related("place", "organisation")
            .annotate(grade_now=selectors.highest_grade_on(timezone.localdate()))
            .order_by("place_id", "name", "id")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_import"] = may_write(self.request.user)
        return ctx


class WorkerDetailView(ScopedDetailView):
    """A worker's profile: qualifications, specialisations, assignments as one timeline (TGT-CERT, PRC-2)."""

    model = Worker
    personal_data = True
    template_name = "workforce/worker_detail.html"

    def base_queryset(self):
        return Worker.objects.select_related("place", "organisation").prefetch_related(
            "specialisations__category",
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("station__place", "organisation").order_by("start_on"),
            ),
            Prefetch("qualifications", queryset=Qualification.objects.order_by("obtained_on")),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        w, today = self.object, timezone.localdate()
        ctx["id_number"] = _masked(self.request.user, "id")(w.id_number)
        ctx["phone"] = _masked(self.request.user, "phone")(w.phone)
        ctx["grade_now"] = selectors.worker_grade_on(worker=w, on=today)
        ctx["grade_label"] = dict(Grade.choices).get(ctx["grade_now"])
        from stations.models import ServiceRecord

        # The services this worker took part in, those the reader may see, newest first.
        ctx["service_records"] = (
            ServiceRecord.objects.restrict(self.request.user)
            .filter(workers=w)
            .select_related("station__place")
            .order_by("-served_on", "-pk")[:50]
        )
        events = []
        for q in w.qualifications.all():
            events.append(
                (
                    q.obtained_on,
                    _("Obtained %(grade)s, certificate %(no)s")
                    % {"grade": q.get_grade_display(), "no": q.certificate_no},
                    "qualification",
                )
            )
            if q.registered_on:
                expires = selectors.registration_expiry(q.registered_on)
                events.append(
                    (
                        q.registered_on,
                        _("Registered in the national system (valid until %(d)s)") % {"d": expires},
                        "registration",
                    )
                )
            if q.revoked_on:
                events.append((q.revoked_on, _("Certificate %(no)s revoked") % {"no": q.certificate_no}, "revoked"))
        for s in w.specialisations.all():
            events.append((s.since, _("Specialisation: %(c)s") % {"c": s.category}, "specialisation"))
        for a in w.assignments.all():
            events.append(
                (
                    a.start_on,
                    _("%(role)s at %(station)s") % {"role": a.get_role_display(), "station": a.station.place.name},
                    "assignment",
                )
            )
            if a.end_on:
                events.append((a.end_on, _("Left %(station)s") % {"station": a.station.place.name}, "assignment"))
        ctx["timeline"] = sorted(events, key=lambda e: e[0], reverse=True)
        # PRC-2: the same rule as the deadline list and the indicator (workforce.rules).
        ctx["deadlines"] = selectors.qualification_deadlines(Assignment.objects.filter(worker=w), today, only_due=False)
        # SUP-1: how many stations the worker supervises today, flagged below the minimum.
        ctx["supervised_stations"] = rules.sup1_loads(on=today, assignments=Assignment.objects.filter(worker=w)).get(
            w.pk, 0
        )
        ctx["sup1_flag"] = rules.sup1_load_flag(ctx["supervised_stations"])
        return ctx


class WorkerCreateView(ScopedCreateView):
    model = Worker
    form_class = WorkerForm

    def perform_save(self, form):
        worker, created = services.worker_save(user=self.request.user, data=form.cleaned_data)
        if not created:
            messages.info(
                self.request,
                _("This ID number was already registered: the existing record was updated (one person, one record)."),
            )
        return worker

    def get_success_url(self):
        return self.object.get_absolute_url()


class WorkerUpdateView(ScopedUpdateView):
    model = Worker
    personal_data = True
    form_class = WorkerForm

    def perform_save(self, form):
        return services.worker_save(user=self.request.user, data=form.cleaned_data, worker=self.object)[0]

    def get_success_url(self):
        return self.object.get_absolute_url()


class WorkerChildMixin:
    """Pages that add a record to one worker: the worker must be visible (404) and changeable (403)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.worker = get_object_or_404(Worker.objects.restrict(request.user, VIEW), pk=kwargs["worker"])
            if may_write(request.user) and not can(request.user, CHANGE, self.worker):
                raise PermissionDenied(_("You may see this record but not change it."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = f"{self.model._meta.verbose_name} · {self.worker}"
        return ctx

    def get_success_url(self):
        return self.worker.get_absolute_url()


class QualificationCreateView(WorkerChildMixin, ScopedCreateView):
    model = Qualification
    form_class = QualificationForm

    def perform_save(self, form):
        return services.qualification_save(user=self.request.user, worker=self.worker, data=form.cleaned_data)


class SpecialisationCreateView(WorkerChildMixin, ScopedCreateView):
    model = Specialisation
    form_class = SpecialisationForm

    def perform_save(self, form):
        return services.specialisation_save(worker=self.worker, **form.cleaned_data)


# --- Qualifications ------------------------------------------------------------------------------------------


class QualificationListView(ScopedListView):
    model = Qualification
    filterset_class = QualificationFilterSet
    search_fields = ["certificate_no", "worker__name"]
    export_name = "qualifications"

    columns = [
        Column(gettext_lazy("Certificate number"), "certificate_no", link=True),
        Column(gettext_lazy("Worker"), "worker__name"),
        Column(gettext_lazy("Grade"), "grade"),
        Column(gettext_lazy("Obtained on"), "obtained_on"),
        Column(gettext_lazy("Registered in the national system on"), "registered_on"),
        Column(gettext_lazy("Revoked on"), "revoked_on"),
        Column(gettext_lazy("Registered at"), "worker__place__name"),
    ]

    def base_queryset(self):
        return Qualification.objects.select_related("worker__place").order_by("worker__place_id", "obtained_on", "id")


class QualificationDetailView(ScopedDetailView):
    model = Qualification
    template_name = "workforce/qualification_detail.html"

    def base_queryset(self):
        return Qualification.objects.select_related("worker__place")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        q = self.object
        if q.registered_on:
            ctx["expires_on"] = selectors.registration_expiry(q.registered_on)
        ctx["revoke_form"] = RevokeForm()
        return ctx


class QualificationUpdateView(ScopedUpdateView):
    model = Qualification
    form_class = QualificationForm

    def perform_save(self, form):
        return services.qualification_save(
            user=self.request.user, worker=self.object.worker, data=form.cleaned_data, qualification=self.object
        )

    def get_success_url(self):
        return self.object.get_absolute_url()


class QualificationRevokeView(ScopedUpdateView):
    """Workflow step: revoke a certificate from a date (TGT-CERT); counts before that date stay exact."""

    model = Qualification
    form_class = RevokeForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def perform_save(self, form):
        return services.qualification_revoke(
            qualification=self.object, revoked_on=form.cleaned_data["revoked_on"], reason=form.cleaned_data["reason"]
        )

    def get_success_url(self):
        return self.object.get_absolute_url()


@login_required
def qualification_evidence(request, pk):
    """The evidence scan, only to those who may see the qualification."""
    q = get_object_or_404(Qualification.objects.restrict(request.user, VIEW), pk=pk)
    if not q.evidence:
        raise Http404
    return FileResponse(q.evidence.open("rb"), as_attachment=True, filename=Path(q.evidence.name).name)


@login_required
def reregistration_list(request):
    """Re-registration reminders (valid 3 years, due in the 3 months before expiry), per county."""
    qs = Qualification.objects.restrict(request.user, VIEW)
    county = _county_filter(request)
    if county is not None:
        qs = qs.filter(worker__place__code__startswith=county.prefix)
    rows = selectors.registration_reminders(qs, timezone.localdate())
    return render(
        request,
        "workforce/reregistration_list.html",
        {"rows": rows, "counties": _counties(request.user), "county": county, "title": _("Re-registration due")},
    )


# --- Organisations -------------------------------------------------------------------------------------------


class OrganisationListView(ScopedListView):
    model = Organisation
    filterset_class = OrganisationFilterSet
    search_fields = ["name", "credit_code"]
    export_name = "organisations"
    create_url_name = "workforce:organisation_create"
    columns = [
        Column(gettext_lazy("Name"), "name", link=True),
        Column(gettext_lazy("Unified social credit code"), "credit_code"),
        Column(gettext_lazy("County-level unit"), "county__name"),
        Column(gettext_lazy("Registered on"), "registered_on"),
        Column(gettext_lazy("Business scope includes social work"), "scope_includes_social_work"),
        Column(gettext_lazy("Incubation base"), "incubation_base"),
        Column(gettext_lazy("Year incubated"), "incubated_year"),
    ]

    def base_queryset(self):
        return Organisation.objects.select_related("county")


class OrganisationDetailView(ScopedDetailView):
    model = Organisation
    template_name = "workforce/organisation_detail.html"

    def base_queryset(self):
        return Organisation.objects.select_related("county")

    def get_context_data(self, **kwargs):
        from .choices import OrganisationField

        ctx = super().get_context_data(**kwargs)
        labels = dict(OrganisationField.choices)
        ctx["fields_display"] = "、".join(str(labels.get(f, f)) for f in self.object.service_fields)
        today = timezone.localdate()
        ctx["assignments"] = (
            Assignment.objects.restrict(self.request.user)
            .filter(selectors.active_on_q(today), organisation=self.object)
            .select_related("worker", "station__place")
        )
        ctx["employees"] = Worker.objects.restrict(self.request.user).filter(organisation=self.object).count()
        return ctx


class OrganisationSaveMixin:
    model = Organisation
    form_class = OrganisationForm

    def perform_save(self, form):
        return services.organisation_save(
            user=self.request.user, data=form.cleaned_data, organisation=getattr(self, "object", None)
        )

    def get_success_url(self):
        return self.object.get_absolute_url()


class OrganisationCreateView(OrganisationSaveMixin, ScopedCreateView):
    pass


class OrganisationUpdateView(OrganisationSaveMixin, ScopedUpdateView):
    pass


# --- Assignments (PRC-2) ---------------------------------------------------------------------------------------


class AssignmentListView(ScopedListView):
    model = Assignment
    template_name = "workforce/assignment_list.html"
    filterset_class = AssignmentFilterSet
    search_fields = ["worker__name", "station__place__name", "organisation__name"]
    export_name = "assignments"
    create_url_name = "workforce:assignment_create"
    columns = [
        Column(gettext_lazy("Worker"), "worker__name", link=True),
        Column(gettext_lazy("Station"), "station__place__name"),
        Column(pgettext_lazy("assignment", "Role"), "role"),
        Column(gettext_lazy("Provider"), "organisation__name"),
        Column(gettext_lazy("Start"), "start_on"),
        Column(gettext_lazy("End"), "end_on"),
    ]

    def base_queryset(self):
        return Assignment.objects.select_related("worker", "station__place", "organisation").order_by(
            "station__place_id", "start_on", "id"
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # SUP-1: supervisors in the user's places who cover fewer stations than the minimum today.
        ctx["sup1_underloaded"] = rules.sup1_underloaded(
            on=timezone.localdate(), assignments=Assignment.objects.restrict(self.request.user, VIEW)
        )
        ctx["sup1_min"] = rule_int("SUP-1.stations_per_supervisor_min")
        ctx["sup1_max"] = rule_int("SUP-1.stations_per_supervisor_max")
        return ctx


class AssignmentDetailView(ScopedDetailView):
    model = Assignment
    template_name = "workforce/assignment_detail.html"

    def base_queryset(self):
        return Assignment.objects.select_related("worker", "station__place", "organisation")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        a, today = self.object, timezone.localdate()
        found = selectors.qualification_deadlines(Assignment.objects.filter(pk=a.pk), today, only_due=False)
        ctx["deadline"] = found[0] if found else None
        if a.role == AssignmentRole.SUPERVISOR:
            load = rules.sup1_loads(on=today, assignments=Assignment.objects.filter(worker_id=a.worker_id))
            ctx["supervised_stations"] = load.get(a.worker_id, 0)
            ctx["sup1_flag"] = rules.sup1_load_flag(ctx["supervised_stations"])
        ctx["can_end"] = ctx["can_change"] and a.end_on is None
        ctx["end_form"] = AssignmentEndForm(initial={"end_on": today})
        return ctx


class AssignmentSaveMixin:
    model = Assignment
    form_class = AssignmentForm

    def perform_save(self, form):
        return services.assignment_save(
            user=self.request.user, data=form.cleaned_data, assignment=getattr(self, "object", None)
        )

    def get_success_url(self):
        return self.object.get_absolute_url()


class AssignmentCreateView(AssignmentSaveMixin, ScopedCreateView):
    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("worker"):
            initial["worker"] = self.request.GET["worker"]
        return initial


class AssignmentUpdateView(AssignmentSaveMixin, ScopedUpdateView):
    pass


class AssignmentEndView(ScopedUpdateView):
    """Workflow step: end an assignment on its last day (the record stays in the history)."""

    model = Assignment
    form_class = AssignmentEndForm
    success_message = gettext_lazy("The assignment has ended.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("End the assignment: %(w)s at %(s)s") % {
            "w": self.object.worker,
            "s": self.object.station.place.name,
        }
        return ctx

    def perform_save(self, form):
        return services.assignment_end(
            user=self.request.user, assignment=self.object, end_on=form.cleaned_data["end_on"]
        )

    def get_success_url(self):
        return self.object.get_absolute_url()


def _counties(user):
    return list(Place.objects.restrict(user, VIEW).filter(level=PlaceLevel.COUNTY).order_by("code"))


def _county_filter(request):
    code = request.GET.get("county", "")
    if not code:
        return None
    return get_object_or_404(Place.objects.restrict(request.user, VIEW), code=code, level=PlaceLevel.COUNTY)


@login_required
def deadline_list(request):
    """PRC-2: uncertified stationed workers due to qualify within the warning window, or overdue."""
    qs = Assignment.objects.restrict(request.user, VIEW)
    county = _county_filter(request)
    if county is not None:
        qs = qs.filter(station__place__code__startswith=county.prefix)
    rows = selectors.qualification_deadlines(qs, timezone.localdate())
    contracts = selectors.assignment_contracts((d.assignment.pk for d in rows), user=request.user)  # PRC-2
    for d in rows:
        d.contract = contracts.get(d.assignment.pk)
    return render(
        request,
        "workforce/deadline_list.html",
        {
            "rows": rows,
            "counties": _counties(request.user),
            "county": county,
            "title": _("Qualification deadlines"),
            "months": rule_int("PRC-2.qualify_within_months"),
            "warning_days": rule_int("PRC-2.deadline_warning_days"),
        },
    )


# --- County and city workforce ---------------------------------------------------------------------------------


@login_required
def county_workforce(request, code):
    """TGT-CERT, TGT-EVERY, TGT-ORG and PRC-2 for one county-level unit."""
    county = get_object_or_404(Place.objects.restrict(request.user, VIEW), code=code, level=PlaceLevel.COUNTY)
    ctx = selectors.county_workforce(county=county, today=timezone.localdate())
    ctx["grade_rows"] = [(label, ctx["grades"].get(value, 0)) for value, label in Grade.choices]
    ctx["title"] = _("Workforce of %(county)s") % {"county": county.name}
    return render(request, "workforce/county_workforce.html", ctx)


@login_required
def city_workforce(request):
    """Every county side by side (the city must be within the user's places)."""
    city = Place.objects.restrict(request.user, VIEW).filter(level=PlaceLevel.CITY).order_by("code").first()
    if city is None:
        raise Http404
    counties = list(Place.objects.filter(parent=city, level=PlaceLevel.COUNTY).order_by("code"))
    ctx = selectors.city_workforce(counties=counties, today=timezone.localdate())
    ctx["city"] = city
    ctx["title"] = _("Workforce of %(city)s") % {"city": city.name}
    return render(request, "workforce/city_workforce.html", ctx)


# --- Roster workbook -----------------------------------------------------------------------------------------


@login_required
def roster_template(request):
    """The blank roster workbook with drop-downs for the user's places."""
    return import_template_response(request, roster.RosterImport, "社工花名册模板.xlsx")


@login_required
def roster_export(request):
    """The roster the user may see (filtered like the list), in the import layout. With unmasked ID numbers
    (personal-data roles) it asks a reason first and records the export (PIPL Art. 51)."""
    reason = request.GET.get("reason", "").strip()
    unmasked = sees_personal_data(request.user)
    if unmasked and not reason:
        return export_reason_page(request)
    params = request.GET.copy()
    params.pop("reason", None)
    filterset = WorkerFilterSet(params or None, queryset=Worker.objects.restrict(request.user, VIEW), request=request)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else Worker.objects.restrict(request.user, VIEW)
    if unmasked:
        personal_data_event_record(
            user=request.user,
            action=PersonalDataAction.EXPORT,
            subject=str(Worker._meta.verbose_name_plural),
            object_ids=qs.values_list("pk", flat=True),
            reason=reason,
            request=request,
        )
    rows = roster.roster_export_rows(user=request.user, workers=qs.order_by("place_id", "name", "id"))
    target = tempfile.TemporaryFile(suffix=".xlsx")
    roster.RosterImport(request.user).template(target, rows=rows)
    target.seek(0)
    response = FileResponse(target, as_attachment=True, filename="社工花名册.xlsx", content_type=XLSX_TYPE)
    if unmasked:
        patch_cache_control(response, no_store=True, private=True)
    return response


@login_required
def roster_import(request):
    """Upload a roster; it is checked on the job page (every error, or what would change) and imported there on
    confirm, all or nothing."""
    return import_upload_page(request, roster.RosterImport)
