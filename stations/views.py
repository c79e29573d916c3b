"""Station registry pages (NET-3) and village/community rooms (NET-4)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from liuzhou_social.columns import Column
from liuzhou_social.scoped_views import (ScopedCreateView, ScopedDetailView, ScopedListView,
                                         ScopedUpdateView)

from . import services
from .filtersets import RoomFilterSet, StationFilterSet
from .forms import RoomForm, StationCreateForm, StationForm, StatusChangeForm
from .models import Room, Station


class StationListView(ScopedListView):
    model = Station
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
    ]

    def base_queryset(self):
        return Station.objects.select_related("place__parent")


class StationDetailView(ScopedDetailView):
    model = Station
    template_name = "stations/station_detail.html"

    def base_queryset(self):
        return Station.objects.select_related("place__parent")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["status_changes"] = self.object.status_changes.select_related("recorded_by").order_by(
            "-effective_on", "-id")
        ctx["rooms"] = Room.objects.restrict(self.request.user).filter(
            place__parent=self.object.place).select_related("place")
        ctx["status_form"] = StatusChangeForm()
        return ctx


class StationCreateView(ScopedCreateView):
    model = Station
    form_class = StationCreateForm

    def perform_save(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("place", "status", "effective_on")}
        return services.station_create(place=form.cleaned_data["place"], status=form.cleaned_data["status"],
                                       effective_on=form.cleaned_data["effective_on"], user=self.request.user,
                                       **data)

    def get_success_url(self):
        return reverse("stations:station_detail", args=[self.object.pk])


class StationUpdateView(ScopedUpdateView):
    model = Station
    form_class = StationForm

    def get_success_url(self):
        return reverse("stations:station_detail", args=[self.object.pk])


class StationStatusView(ScopedUpdateView):
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

    def get_success_url(self):
        return reverse("stations:room_detail", args=[self.object.pk])


