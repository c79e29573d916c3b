from liuzhou_social.scoped_api import ScopedModelViewSet, ScopedReadOnlyViewSet
from network.filtersets import CentreFilterSet, PlaceFilterSet
from network.models import Centre, Place

from .serializers import CentreSerializer, PlaceSerializer


class PlaceViewSet(ScopedReadOnlyViewSet):
    queryset = Place.objects.all()
    serializer_class = PlaceSerializer
    filterset_class = PlaceFilterSet


class CentreViewSet(ScopedModelViewSet):
    queryset = Centre.objects.all()
    serializer_class = CentreSerializer
    filterset_class = CentreFilterSet
