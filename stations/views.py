"""Station registry pages (NET-3) and village/community rooms (NET-4)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liuzhou_social.columns import Column
from network.choices import PlaceLevel
from network.models import Place
from network.roles import may_confirm_standard, may_keep_stations, may_write
from network.scoped_views import ScopedCreateView, ScopedDetailView, ScopedListView, ScopedUpdateView
from network.selectors import home_level, user_home_places
from network.views import import_template_response, import_upload_page

from . import services
from .filtersets import FollowUpFilterSet, RecipientFilterSet, RoomFilterSet, ServiceRecordFilterSet, StationFilterSet
from .forms import (
    AssessmentForm,
    CatalogueItemForm,
    FollowUpDoneForm,
    FollowUpForm,
    RecipientForm,
    RoomForm,
    ServiceRecordForm,
    StandardConfirmForm,
    StationCreateForm,
    StationForm,
    StatusChangeForm,
)
from .imports import SPECS
from .models import CatalogueItem, FollowUpPlan, Recipient, Room, ServiceRecord, StandardCheck, Station
from .panels import station_panels
from .rules import county_demonstration_warnings, tgt_std_check
from .selectors import (
    child_summaries,
    follow_ups_overdue,
    recipient_columns_values,
    recipient_export_rows,
    stations_with_standard,
)


@login_required
def home(request):
    """The home page (工作台): what needs the user's action, their key figures and quick actions (the workbench
    registry, ``network.workbench``), then the places they hold with their townships' and stations' counts."""
    from network.views_workbench import workbench_context

    places = user_home_places(request.user)
    level = home_level(places)
    sections = []
    for place in places:
        if place.level in (PlaceLevel.CITY, PlaceLevel.COUNTY):
            sections.append({"place": place, "children": child_summaries(place)})
        else:
            sections.append({"place": place, "children": None})
    return render(
        request,
        "network/home.html",
        {"sections": sections, "level": level, "title": _("Workbench"), **workbench_context(request)},
    )


class StationKeepingMixin:
    """NET-3: registering a station, editing its six haves and changing its status is for the roles that keep the
    station registry (``network.roles.may_keep_stations``); others get 403."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and may_write(request.user) and not may_keep_stations(request.user):
            raise PermissionDenied(services.station_keeping_message())
        return super().dispatch(request, *args, **kwargs)


class StationListView(ScopedListView):
    model = Station
    template_name = "stations/station_list.html"
    filterset_class = StationFilterSet
    search_fields = ["place__name", "place__code", "place__parent__name"]
    export_name = "stations"
    create_url_name = "stations:station_create"
    columns = [
        Column(gettext_lazy("Station"), "sign_text", link=True),
        Column(gettext_lazy("Division code"), "place__code"),
        Column(gettext_lazy("County-level unit"), "place__parent__name"),
        Column(gettext_lazy("Status"), "status"),
        Column(gettext_lazy("Demonstration station"), "is_demonstration"),
        Column(gettext_lazy("Meets the standard today (TGT-STD)"), "standard_met"),
    ]

    def base_queryset(self):
        return stations_with_standard(Station.objects.select_related("place__parent"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["demonstration_warnings"] = county_demonstration_warnings(
            counties=Place.objects.restrict(self.request.user)
        )
        ctx["import_kind"] = "stations"
        ctx["can_import"] = ctx["can_create"] = ctx["can_create"] and may_keep_stations(self.request.user)
        return ctx


class StationDetailView(ScopedDetailView):
    model = Station
    template_name = "stations/station_detail.html"

    def base_queryset(self):
        return Station.objects.select_related("place__parent")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["status_changes"] = self.object.status_changes.select_related("recorded_by").order_by(
            "-effective_on", "-id"
        )
        ctx["rooms"] = (
            Room.objects.restrict(self.request.user).filter(place__parent=self.object.place).select_related("place")
        )
        ctx["status_form"] = StatusChangeForm()
        standard = tgt_std_check(station=self.object)
        ctx["standard"] = standard
        ctx["standard_items"] = standard.items
        ctx["standard_missing"] = standard.missing
        ctx["standard_checks"] = self.object.standard_checks.select_related("confirmed_by")[:5]
        ctx["six_haves_changes"] = self.object.six_haves_changes.select_related("recorded_by").order_by(
            "-effective_on", "-id"
        )[:10]
        ctx["catalogue"] = self.object.catalogue.all()
        ctx["can_confirm"] = ctx["can_change"] and may_confirm_standard(self.request.user) and standard.met
        ctx["can_keep"] = ctx["can_change"] and may_keep_stations(self.request.user)
        ctx["confirm_form"] = StandardConfirmForm()
        ctx["recent_records"] = self.object.service_records.order_by("-served_on", "-id")[:10]
        ctx["overdue_count"] = follow_ups_overdue(
            qs=FollowUpPlan.objects.filter(recipient__village__parent=self.object.place)
        ).count()
        ctx["recipient_count"] = Recipient.objects.filter(village__parent=self.object.place).count()
        ctx["panels"] = station_panels(self.object, self.request)  # what higher apps show (stations.panels)
        return ctx


class StationCreateView(StationKeepingMixin, ScopedCreateView):
    model = Station
    form_class = StationCreateForm

    def perform_save(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("place", "status", "effective_on")}
        return services.station_create(
            place=form.cleaned_data["place"],
            status=form.cleaned_data["status"],
            effective_on=form.cleaned_data["effective_on"],
            user=self.request.user,
            **data,
        )

    def get_success_url(self):
        return reverse("stations:station_detail", args=[self.object.pk])


class StationUpdateView(StationKeepingMixin, ScopedUpdateView):
    model = Station
    form_class = StationForm

    def perform_save(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "place"}
        return services.station_update(station=self.object, user=self.request.user, **data)

    def get_success_url(self):
        return reverse("stations:station_detail", args=[self.object.pk])


class StationStatusView(StationKeepingMixin, ScopedUpdateView):
    """Workflow step: append a dated status to the history (NET-3)."""

    model = Station
    form_class = StatusChangeForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def perform_save(self, form):
        services.station_change_status(station=self.object, user=self.request.user, **form.cleaned_data)
        return self.object

    def get_success_url(self):
        return reverse("stations:station_detail", args=[self.object.pk])


class RoomListView(ScopedListView):
    model = Room
    template_name = "stations/station_list.html"
    filterset_class = RoomFilterSet
    search_fields = ["place__name", "place__code", "place__parent__name"]
    export_name = "rooms"
    create_url_name = "stations:room_create"
    columns = [
        Column(gettext_lazy("Room"), str, link=True),
        Column(gettext_lazy("Division code"), "place__code"),
        Column(gettext_lazy("Township / street"), "place__parent__name"),
        Column(gettext_lazy("Status"), "status"),
        Column(gettext_lazy("Established on"), "established_on"),
    ]

    def base_queryset(self):
        return Room.objects.select_related("place__parent")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["import_kind"] = "rooms"
        ctx["can_import"] = may_write(self.request.user)
        return ctx


class RoomDetailView(ScopedDetailView):
    model = Room
    template_name = "stations/room_detail.html"


class RoomCreateView(ScopedCreateView):
    model = Room
    form_class = RoomForm

    def perform_save(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "place"}
        return services.room_create(place=form.cleaned_data["place"], **data)

    def get_success_url(self):
        return reverse("stations:room_detail", args=[self.object.pk])


class RoomUpdateView(ScopedUpdateView):
    model = Room
    form_class = RoomForm

    def perform_save(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "place"}
        return services.room_update(room=self.object, **data)

    def get_success_url(self):
        return reverse("stations:room_detail", args=[self.object.pk])


# ---------------------------------------------------------------- standardisation (TGT-STD)


class StandardConfirmView(ScopedUpdateView):
    """Workflow step: a county officer confirms the station's standard check with evidence (TGT-STD)."""

    model = Station
    form_class = StandardConfirmForm
    template_name = "generic/form.html"
    success_message = gettext_lazy("TGT-STD: standardisation confirmed.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_confirm_standard(request.user):
            raise PermissionDenied(_("TGT-STD: only a county officer confirms standardisation."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("Confirm standardisation (TGT-STD)")
        return ctx

    def perform_save(self, form):
        services.station_confirm_standard(
            station=self.object,
            user=self.request.user,
            evidence_note=form.cleaned_data["evidence_note"],
            evidence_file=form.cleaned_data.get("evidence_file"),
        )
        return self.object

    def get_success_url(self):
        return reverse("stations:station_detail", args=[self.object.pk])


@login_required
def standard_evidence(request, pk):
    """The evidence file of a standard check, to whoever may see the station (not served as a public file)."""
    check = get_object_or_404(StandardCheck.objects.restrict(request.user), pk=pk)
    if not check.evidence_file:
        raise Http404
    name = check.evidence_file.name.rsplit("/", 1)[-1]
    return FileResponse(check.evidence_file.open("rb"), as_attachment=True, filename=name)


class CatalogueItemCreateView(ScopedCreateView):
    """An entry of a station's service catalogue (NET-2 guides the catalogue; SRV-2 fields)."""

    model = CatalogueItem
    form_class = CatalogueItemForm

    def get_initial(self):
        from django.utils import timezone

        return {"station": self.request.GET.get("station"), "published_on": timezone.localdate()}

    def perform_save(self, form):
        return services.catalogue_item_save(data=form.cleaned_data)

    def get_success_url(self):
        return reverse("stations:station_detail", args=[self.object.station_id])


class CatalogueItemUpdateView(ScopedUpdateView):
    model = CatalogueItem
    form_class = CatalogueItemForm

    def perform_save(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "station"}
        return services.catalogue_item_save(data=data, item=self.object)

    def get_success_url(self):
        return reverse("stations:station_detail", args=[self.object.station_id])


# ---------------------------------------------------------------- recipients (SRV-1, SRV-3)


class RecipientListView(ScopedListView):
    """Recipients of the user's places; ID numbers and phones masked for roles that do not need them."""

    model = Recipient
    personal_data = True
    filterset_class = RecipientFilterSet
    template_name = "stations/station_list.html"
    search_fields = ["name", "village__name"]
    exact_search_fields = ["id_number"]
    export_name = "recipients"
    create_url_name = "stations:recipient_create"
    paginate_by = 50

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.columns = [
            Column(label, _accessor(field, fmt), link=(i == 0))
            for i, (label, field, fmt) in enumerate(recipient_columns_values(request.user))
        ]

    def base_queryset(self):
        return Recipient.objects.select_related("village__parent")

    def export_rows(self, qs):
        return recipient_export_rows(qs=qs, user=self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["import_kind"] = "recipients"
        ctx["can_import"] = may_write(self.request.user)
        return ctx


def _accessor(field, fmt):
    def value(obj):
        current = obj
        for part in field.split("__"):
            current = getattr(current, part, None) if current is not None else None
        return fmt(current)

    return value


class RecipientDetailView(ScopedDetailView):
    model = Recipient
    personal_data = True
    template_name = "stations/recipient_detail.html"

    def base_queryset(self):
        return Recipient.objects.select_related("village__parent")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["assessments"] = self.object.assessments.select_related("assessed_by")
        ctx["follow_ups"] = self.object.follow_ups.select_related("worker")
        ctx["records"] = self.object.service_records.select_related("station__place")[:20]
        ctx["assessment_form"] = AssessmentForm()
        ctx["follow_up_form"] = FollowUpForm()
        return ctx


class RecipientCreateView(ScopedCreateView):
    model = Recipient
    form_class = RecipientForm

    def perform_save(self, form):
        data = dict(form.cleaned_data)
        return services.recipient_create(
            user=self.request.user,
            village=data.pop("village"),
            target_groups=data.pop("target_groups"),
            registered_on=data.pop("registered_on"),
            **data,
        )

    def get_success_url(self):
        return reverse("stations:recipient_detail", args=[self.object.pk])


class RecipientUpdateView(ScopedUpdateView):
    model = Recipient
    personal_data = True
    form_class = RecipientForm

    def perform_save(self, form):
        return services.recipient_update(recipient=self.object, user=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("stations:recipient_detail", args=[self.object.pk])


class _RecipientChildCreateView(ScopedUpdateView):
    """Adds a record under a recipient the user may change (the recipient is the checked object)."""

    model = Recipient

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def get_success_url(self):
        return reverse("stations:recipient_detail", args=[self.object.pk])


class AssessmentCreateView(_RecipientChildCreateView):
    """SRV-3: assess needs at the material, psychological and social levels."""

    form_class = AssessmentForm

    def perform_save(self, form):
        services.assessment_create(recipient=self.object, user=self.request.user, **form.cleaned_data)
        return self.object


class FollowUpCreateView(_RecipientChildCreateView):
    """SRV-3: schedule a follow-up."""

    form_class = FollowUpForm

    def perform_save(self, form):
        services.follow_up_create(recipient=self.object, **form.cleaned_data)
        return self.object


class FollowUpDoneView(ScopedUpdateView):
    model = FollowUpPlan
    form_class = FollowUpDoneForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def perform_save(self, form):
        return services.follow_up_complete(plan=self.object, **form.cleaned_data)

    def get_success_url(self):
        return reverse("stations:recipient_detail", args=[self.object.recipient_id])


class FollowUpListView(ScopedListView):
    """SRV-3: follow-ups, overdue ones first; filter by county or station."""

    model = FollowUpPlan
    filterset_class = FollowUpFilterSet
    search_fields = ["recipient__name", "action"]
    export_name = "follow-ups"
    columns = [
        Column(gettext_lazy("Recipient"), "recipient__name", link=True),
        Column(gettext_lazy("Station (township)"), "recipient__village__parent__name"),
        Column(gettext_lazy("Village / community"), "recipient__village__name"),
        Column(gettext_lazy("Planned action"), "action"),
        Column(gettext_lazy("Due on"), "due_on"),
        Column(gettext_lazy("Done on"), "done_on"),
    ]

    def base_queryset(self):
        return FollowUpPlan.objects.select_related("recipient__village__parent")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("Follow-up plans (SRV-3)")
        return ctx


# ---------------------------------------------------------------- service records (SRV-3, SRV-4)


class ServiceRecordListView(ScopedListView):
    model = ServiceRecord
    filterset_class = ServiceRecordFilterSet
    search_fields = ["summary", "station__place__name"]
    export_name = "service-records"
    create_url_name = "stations:record_create"
    columns = [
        Column(gettext_lazy("Kind of service"), "kind", link=True),
        Column(gettext_lazy("Date"), "served_on"),
        Column(gettext_lazy("Station (township)"), "station__place__name"),
        Column(gettext_lazy("Duration (hours)"), "duration_hours"),
        Column(gettext_lazy("Participants"), "participant_count"),
        Column(gettext_lazy("Volunteers"), "volunteer_count"),
    ]

    def base_queryset(self):
        return ServiceRecord.objects.select_related("station__place")


class ServiceRecordDetailView(ScopedDetailView):
    model = ServiceRecord
    template_name = "stations/record_detail.html"

    def base_queryset(self):
        return ServiceRecord.objects.select_related("station__place__parent")


def _record_data(form):
    data = dict(form.cleaned_data)
    if data.get("participant_count") is None:
        data["participant_count"] = None
    return data


class ServiceRecordCreateView(ScopedCreateView):
    model = ServiceRecord
    form_class = ServiceRecordForm

    def get_initial(self):
        """A link may fill the station, the day and the recipients (the 记录服务 button of a recipient's page)."""
        initial = super().get_initial()
        for name in ("station", "served_on"):
            if self.request.GET.get(name):
                initial[name] = self.request.GET[name]
        if self.request.GET.getlist("recipients"):
            initial["recipients"] = self.request.GET.getlist("recipients")
        return initial

    def perform_save(self, form):
        data = _record_data(form)
        return services.service_record_create(user=self.request.user, station=data.pop("station"), **data)

    def get_success_url(self):
        return reverse("stations:record_detail", args=[self.object.pk])


class ServiceRecordUpdateView(ScopedUpdateView):
    model = ServiceRecord
    form_class = ServiceRecordForm

    def perform_save(self, form):
        data = _record_data(form)
        data.pop("station", None)
        if data["participant_count"] is None:
            data["participant_count"] = len(data.get("recipients") or [])
        return services.service_record_update(record=self.object, user=self.request.user, **data)

    def get_success_url(self):
        return reverse("stations:record_detail", args=[self.object.pk])


# ---------------------------------------------------------------- Excel round-trip (network.imports)


def _spec(kind):
    spec_class = SPECS.get(kind)
    if spec_class is None:
        raise Http404
    return spec_class


@login_required
def import_template(request, kind):
    """The blank workbook: Chinese headers, drop-downs limited to the user's places, instructions."""
    return import_template_response(request, _spec(kind), f"{kind}-template.xlsx")


@login_required
def import_upload(request, kind):
    """Upload a workbook; it is checked on the job page (nothing written) and imported there on confirm."""
    return import_upload_page(request, _spec(kind))
