from rest_framework.permissions import SAFE_METHODS

from network.roles import may_keep_stations
from network.scoped_api import ScopedModelViewSet
from stations import services
from stations.filtersets import (
    RecipientFilterSet,
    RoomFilterSet,
    ServiceRecordFilterSet,
    StationFilterSet,
)
from stations.models import Recipient, Room, ServiceRecord, Station
from stations.selectors import stations_with_standard

from .serializers import (
    RecipientSerializer,
    RoomSerializer,
    ServiceRecordSerializer,
    StationSerializer,
)


class StationViewSet(ScopedModelViewSet):
    queryset = Station.objects.select_related("place__parent")
    serializer_class = StationSerializer
    filterset_class = StationFilterSet

    def check_permissions(self, request):
        super().check_permissions(request)
        if request.method not in SAFE_METHODS and not may_keep_stations(request.user):  # NET-3, as the pages
            self.permission_denied(request, message=services.station_keeping_message())

    def get_queryset(self):
        return stations_with_standard(super().get_queryset(), items=True)

    def update_instance(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("place", None)
        data.pop("initial_status", None)
        data.pop("initial_status_on", None)
        station = services.station_update(station=serializer.instance, user=self.request.user, **data)
        for name in [k for k in vars(station) if k == "standard_met" or k.startswith("std_")]:
            delattr(station, name)  # the annotations predate the change: computed again on output
        serializer.instance = station
        return station

    def create_instance(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("six_haves_on", None)
        station = services.station_create(
            place=data.pop("place"),
            status=data.pop("initial_status"),
            effective_on=data.pop("initial_status_on"),
            user=self.request.user,
            **data,
        )
        serializer.instance = station
        return station


class RoomViewSet(ScopedModelViewSet):
    queryset = Room.objects.select_related("place__parent")
    serializer_class = RoomSerializer
    filterset_class = RoomFilterSet

    # The page's services, with their NET-4 rules (one room per village, a room never moves).
    def update_instance(self, serializer):
        return services.room_update(room=serializer.instance, **serializer.validated_data)

    def create_instance(self, serializer):
        data = dict(serializer.validated_data)
        room = services.room_create(place=data.pop("place"), **data)
        serializer.instance = room
        return room


# ---------------------------------------------------------------- recipients and service records


class RecipientViewSet(ScopedModelViewSet):
    """Service recipients (SRV-1) in the caller's places; same services as the pages."""

    queryset = Recipient.objects.select_related("village")
    personal_data = True
    serializer_class = RecipientSerializer
    filterset_class = RecipientFilterSet

    def create_instance(self, serializer):
        data = dict(serializer.validated_data)
        recipient = services.recipient_create(
            user=self.request.user,
            village=data.pop("village"),
            target_groups=data.pop("target_groups"),
            registered_on=data.pop("registered_on"),
            **data,
        )
        serializer.instance = recipient
        return recipient

    def update_instance(self, serializer):
        recipient = services.recipient_update(
            recipient=serializer.instance, user=self.request.user, **serializer.validated_data
        )
        serializer.instance = recipient
        return recipient


class ServiceRecordViewSet(ScopedModelViewSet):
    """Service records (SRV-3/SRV-4) of the caller's stations."""

    queryset = ServiceRecord.objects.prefetch_related("workers", "recipients").select_related("station")
    serializer_class = ServiceRecordSerializer
    filterset_class = ServiceRecordFilterSet

    def create_instance(self, serializer):
        data = dict(serializer.validated_data)
        record = services.service_record_create(user=self.request.user, station=data.pop("station"), **data)
        serializer.instance = record
        return record

    def update_instance(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("station", None)
        if data.get("participant_count", 0) is None:
            data.pop("participant_count")
        record = services.service_record_update(record=serializer.instance, user=self.request.user, **data)
        serializer.instance = record
        return record
