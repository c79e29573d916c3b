from liuzhou_social.scoped_api import ScopedModelViewSet
from stations import services
from stations.filtersets import RoomFilterSet, StationFilterSet
from stations.models import Room, Station

from .serializers import RoomSerializer, StationSerializer


class StationViewSet(ScopedModelViewSet):
    queryset = Station.objects.select_related("place__parent")
    serializer_class = StationSerializer
    filterset_class = StationFilterSet

    def create_instance(self, serializer):
        data = dict(serializer.validated_data)
        station = services.station_create(place=data.pop("place"), status=data.pop("initial_status"),
                                          effective_on=data.pop("initial_status_on"), user=self.request.user,
                                          **data)
        serializer.instance = station
        return station


class RoomViewSet(ScopedModelViewSet):
    queryset = Room.objects.select_related("place__parent")
    serializer_class = RoomSerializer
    filterset_class = RoomFilterSet

    def create_instance(self, serializer):
        data = dict(serializer.validated_data)
        room = services.room_create(place=data.pop("place"), **data)
        serializer.instance = room
        return room
