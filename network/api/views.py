from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from network import services
from network.filtersets import CentreFilterSet, PlaceFilterSet
from network.models import Centre, Place
from network.scoped_api import ScopedModelViewSet, ScopedReadOnlyViewSet

from .authentication import token_expires_at, token_rotate
from .serializers import CentreSerializer, PlaceSerializer, TokenSerializer


class PlaceViewSet(ScopedReadOnlyViewSet):
    queryset = Place.objects.all()
    serializer_class = PlaceSerializer
    filterset_class = PlaceFilterSet


class CentreViewSet(ScopedModelViewSet):
    """NET-1/NET-2 centres; the same service as the pages (the city registers, level and place fixed)."""

    queryset = Centre.objects.all()
    serializer_class = CentreSerializer
    filterset_class = CentreFilterSet

    def create(self, request, *args, **kwargs):
        services.centre_create_allowed(user=request.user)  # the role first: 403 before any field is read
        return super().create(request, *args, **kwargs)

    def create_instance(self, serializer):
        serializer.instance = services.centre_save(user=self.request.user, data=dict(serializer.validated_data))
        return serializer.instance

    def update_instance(self, serializer):
        return services.centre_save(
            user=self.request.user, data=dict(serializer.validated_data), centre=serializer.instance
        )


class TokenRotateView(APIView):
    """POST: replace the caller's API token by a new one and say until when it is valid."""

    permission_classes = [IsAuthenticated]  # every role holds its own token, read-only roles too

    @extend_schema(request=None, responses=TokenSerializer)
    def post(self, request):
        token = token_rotate(user=request.user)
        return Response(TokenSerializer({"token": token.key, "expires_at": token_expires_at(token)}).data)
