"""Pages of the training area (SUP-2, SUP-3): the trainer pool, courses, attendance (and its sign-in sheet
import), each stationed worker's hours against the year's requirement, and a worker's training history. Every
queryset, dropdown and export goes through the one scope primitive; every write calls one service."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liuzhou_social.columns import Column
from liuzhou_social.exports import xlsx_response
from network.choices import PlaceLevel
from network.models import Place
from network.rule_settings import PLAN_FIRST_YEAR
from network.scope import VIEW, reaches
from network.scoped_views import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    may_write,
)
from network.views import import_template_response, import_upload_page
from stations.models import Station
from workforce.models import Worker

from . import selectors_training as selectors
from . import services_training as services
from .filtersets_training import AttendanceFilterSet, CourseFilterSet, TrainerFilterSet
from .forms_training import AttendanceForm, CourseForm, TrainerForm
from .models import Attendance, Course, Trainer
from .rules_training import sup2_alert_from, sup2_annual_hours


def _hours(value) -> str:
    return "" if value is None else f"{value:.1f}"


# --- The trainer pool (SUP-3) ----------------------------------------------------------------------------------


class TrainerListView(ScopedListView):
    model = Trainer
    filterset_class = TrainerFilterSet
    template_name = "supervision/training/trainer_list.html"
    search_fields = ["name", "employer", "specialities"]
    export_name = "trainers"
    create_url_name = "supervision:trainer_create"
    columns = [
        Column(gettext_lazy("Name"), "name", link=True),
        Column(gettext_lazy("Work unit"), "employer"),
        Column(gettext_lazy("Professional title"), "title"),
        Column(gettext_lazy("Fields"), lambda t: "、".join(f.name for f in t.fields.all())),
        Column(gettext_lazy("Specialities"), "specialities"),
        Column(gettext_lazy("Courses"), lambda t: t.courses.count()),
        Column(gettext_lazy("In the pool"), "active"),
    ]

    def base_queryset(self):
        return Trainer.objects.prefetch_related("fields", "courses").order_by("-active", "name", "id")


class TrainerDetailView(ScopedDetailView):
    model = Trainer
    template_name = "supervision/training/trainer_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["courses"] = (
            Course.objects.restrict(self.request.user).filter(trainers=self.object).select_related("field", "place")
        )
        return ctx


class TrainerSaveMixin:
    model = Trainer
    form_class = TrainerForm

    def perform_save(self, form):
        return services.trainer_save(
            user=self.request.user, data=form.cleaned_data, trainer=getattr(self, "object", None)
        )

    def get_initial(self):
        city = Place.objects.restrict(self.request.user, "change").filter(level=PlaceLevel.CITY).first()
        return {"place": city}

    def get_success_url(self):
        return self.object.get_absolute_url()


class TrainerCreateView(TrainerSaveMixin, ScopedCreateView):
    pass


class TrainerUpdateView(TrainerSaveMixin, ScopedUpdateView):
    pass


# --- Courses ------------------------------------------------------------------------------------------------------


class CourseListView(ScopedListView):
    model = Course
    filterset_class = CourseFilterSet
    template_name = "supervision/training/course_list.html"
    search_fields = ["title", "venue", "trainers__name"]
    export_name = "training-courses"
    create_url_name = "supervision:course_create"
    columns = [
        Column(gettext_lazy("Title"), "title", link=True),
        Column(gettext_lazy("Kind"), "kind"),
        Column(gettext_lazy("Field"), "field__name"),
        Column(gettext_lazy("Online or offline"), "mode"),
        Column(gettext_lazy("Organised by"), "organiser_level"),
        Column(gettext_lazy("Organising place"), "place__name"),
        Column(gettext_lazy("First day"), "start_on"),
        Column(gettext_lazy("Last day"), "end_on"),
        Column(gettext_lazy("Hours"), lambda c: _hours(c.hours)),
        Column(gettext_lazy("Trainers"), lambda c: "、".join(t.name for t in c.trainers.all())),
    ]

    def base_queryset(self):
        return (
            Course.objects.select_related("field", "place")
            .prefetch_related("trainers")
            .order_by("-start_on", "title", "id")
        )

    def get_queryset(self):
        return super().get_queryset().distinct()


class CourseDetailView(ScopedDetailView):
    model = Course
    template_name = "supervision/training/course_detail.html"

    def base_queryset(self):
        return Course.objects.select_related("field", "place", "provider")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["trainers"] = Trainer.objects.restrict(user).filter(courses=self.object)
        ctx["attendances"] = (
            Attendance.objects.restrict(user)
            .filter(course=self.object)
            .select_related("worker", "worker__place")
            .order_by("attended_on", "worker__name")[:500]
        )
        ctx["can_record"] = may_write(user)
        return ctx


class CourseSaveMixin:
    model = Course
    form_class = CourseForm

    def perform_save(self, form):
        data = dict(form.cleaned_data)
        trainers = data.pop("trainers", None)
        return services.course_save(
            user=self.request.user, data=data, trainers=trainers, course=getattr(self, "object", None)
        )

    def get_success_url(self):
        return self.object.get_absolute_url()


class CourseCreateView(CourseSaveMixin, ScopedCreateView):
    pass


class CourseUpdateView(CourseSaveMixin, ScopedUpdateView):
    pass


# --- Attendance ---------------------------------------------------------------------------------------------------


class AttendanceListView(ScopedListView):
    model = Attendance
    filterset_class = AttendanceFilterSet
    template_name = "supervision/training/attendance_list.html"
    search_fields = ["worker__name", "course__title"]
    export_name = "training-attendance"
    create_url_name = "supervision:attendance_create"
    columns = [
        Column(gettext_lazy("Date attended"), "attended_on", link=True),
        Column(gettext_lazy("Worker"), "worker__name"),
        Column(gettext_lazy("Registered at"), "worker__place__name"),
        Column(gettext_lazy("Course"), "course__title"),
        Column(gettext_lazy("Kind"), "course__kind"),
        Column(gettext_lazy("Online or offline"), "course__mode"),
        Column(gettext_lazy("Hours attended"), lambda a: _hours(a.hours)),
        Column(gettext_lazy("Recorded through"), "source"),
    ]

    def base_queryset(self):
        return Attendance.objects.select_related("worker__place", "course").order_by(
            "-attended_on", "worker__name", "id"
        )


class AttendanceDetailView(ScopedDetailView):
    model = Attendance
    template_name = "supervision/training/attendance_detail.html"

    def base_queryset(self):
        return Attendance.objects.select_related("worker__place", "course__place")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["may_open_worker"] = reaches(self.request.user, self.object.worker.place_id)
        return ctx


class AttendanceSaveMixin:
    model = Attendance
    form_class = AttendanceForm

    def perform_save(self, form):
        return services.attendance_save(
            user=self.request.user, data=form.cleaned_data, attendance=getattr(self, "object", None)
        )

    def get_success_url(self):
        return self.object.get_absolute_url()


class AttendanceCreateView(AttendanceSaveMixin, ScopedCreateView):
    def get_initial(self):
        return {"course": self.request.GET.get("course"), "worker": self.request.GET.get("worker")}


class AttendanceUpdateView(AttendanceSaveMixin, ScopedUpdateView):
    pass


class AttendanceDeleteView(ScopedDeleteView):
    model = Attendance

    def form_valid(self, form):
        from django.contrib import messages
        from django.http import HttpResponseRedirect
        from django.urls import reverse

        services.attendance_delete(user=self.request.user, attendance=self.object)
        messages.success(self.request, _("Deleted."))
        return HttpResponseRedirect(reverse("supervision:attendance_list"))


@login_required
def attendance_template(request):
    from .imports_training import AttendanceImport

    return import_template_response(request, AttendanceImport, "培训签到表模板.xlsx")


@login_required
def attendance_import(request):
    """Upload sign-in sheets; checked on the job page and imported there on confirm, all or nothing."""
    from .imports_training import AttendanceImport

    return import_upload_page(request, AttendanceImport)


# --- SUP-2: hours against the year's requirement ---------------------------------------------------------------


def _years(today: datetime.date) -> list[int]:
    return list(range(today.year, PLAN_FIRST_YEAR - 2, -1))


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
def training_hours(request):
    """SUP-2 per county: each stationed worker's training hours in the year against the hours required (pro rata
    for a part of the year; the open year to today), who is short and by how much. Filters: year, county, station,
    short only, a name; the export is the filtered list."""
    user, today = request.user, timezone.localdate()
    year = _int(request.GET.get("year"), today.year)
    if year not in _years(today):
        year = today.year
    counties = Place.objects.restrict(user).filter(level=PlaceLevel.COUNTY).order_by("code")
    county = counties.filter(code=request.GET.get("county", "")).first()
    stations = Station.objects.restrict(user).select_related("place").order_by("place_id")
    if county:
        stations = stations.filter(place__code__startswith=county.code[:6])
    station = stations.filter(pk=_int(request.GET.get("station"), 0)).first()
    short_only = request.GET.get("short", "1") == "1"
    q = request.GET.get("q", "").strip()
    rows = selectors.training_standings(
        user=user, year=year, place_prefix=county.code[:6] if county else "", station_id=station.pk if station else None
    )
    everyone = len(rows)
    short_count = sum(1 for r in rows if not r.meets)
    if short_only:
        rows = [r for r in rows if not r.meets]
    if q:
        rows = [r for r in rows if q in r.worker.name]
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            f"training-hours-{year}.xlsx",
            [str(h) for h in selectors.STANDING_HEADERS],
            (selectors.standing_cells(r) for r in rows),
        )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    as_of = selectors.default_as_of(year, today)
    return render(
        request,
        "supervision/training/hours.html",
        {
            "title": _("Training hours (SUP-2)"),
            "year": year,
            "years": _years(today),
            "as_of": as_of,
            "open_year": as_of < datetime.date(year, 12, 31),
            "annual": sup2_annual_hours(),
            "alert_from": sup2_alert_from(year),
            "counties": counties,
            "county": county,
            "stations": stations,
            "station": station,
            "short_only": short_only,
            "q": q,
            "page_obj": page,
            "rows": [(r, selectors.standing_cells(r)) for r in page.object_list],
            "columns": selectors.STANDING_HEADERS,
            "everyone": everyone,
            "short_count": short_count,
            "querystring": query.urlencode(),
        },
    )


@login_required
def worker_training(request, pk: int):
    """One worker's training: the SUP-2 standing of each year from the plan's first, and every attendance."""
    worker = get_object_or_404(Worker.objects.restrict(request.user, VIEW).select_related("place"), pk=pk)
    today = timezone.localdate()
    standings = []
    for year in _years(today):
        s = selectors.worker_standing(worker=worker, year=year)
        if s is not None:
            standings.append(s)
    attendances = (
        Attendance.objects.restrict(request.user)
        .filter(worker=worker)
        .select_related("course")
        .order_by("-attended_on", "id")[:500]
    )
    return render(
        request,
        "supervision/training/worker.html",
        {
            "title": _("Training of %(name)s") % {"name": worker.name},
            "worker": worker,
            "standings": standings,
            "attendances": attendances,
            "annual": sup2_annual_hours(),
            "can_record": may_write(request.user),
        },
    )
