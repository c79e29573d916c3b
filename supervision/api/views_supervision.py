"""Supervision API (SUP-1): logs (read, record and correct through the service, the station's confirmation as its
own action) and the supervisors' stations (read). Every viewset is scoped by ``restrict``."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from network.scoped_api import ScopedModelViewSet, ScopedReadOnlyViewSet, as_drf_error
from workforce.choices import AssignmentRole
from workforce.models import Assignment

from .. import services_supervision as services
from ..filtersets_supervision import SupervisionLogFilterSet, SupervisorStationFilterSet
from ..models import SupervisionLog
from .serializers_supervision import SupervisionLogSerializer, SupervisorStationSerializer


class SupervisionLogViewSet(ScopedModelViewSet):
    queryset = (
        SupervisionLog.objects.select_related("station__place", "supervisor")
        .prefetch_related("workers_present")
        .order_by("-held_on", "-id")
    )
    serializer_class = SupervisionLogSerializer
    filterset_class = SupervisionLogFilterSet

    def _save(self, serializer, log=None):
        try:
            saved = services.supervision_log_save(user=self.request.user, data=dict(serializer.validated_data), log=log)
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        serializer.instance = saved
        return saved

    def create_instance(self, serializer):
        return self._save(serializer)

    def update_instance(self, serializer):
        return self._save(serializer, serializer.instance)

    @extend_schema(request=None, responses={200: SupervisionLogSerializer}, description="SUP-1: the station confirms")
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        log = self.get_object()
        try:
            services.supervision_log_confirm(user=request.user, log=log)
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        return Response(self.get_serializer(log).data)


class SupervisorStationViewSet(ScopedReadOnlyViewSet):
    """The supervisors' stations: supervisor assignments (SUP-1: one supervisor covers 2–8 stations)."""

    queryset = (
        Assignment.objects.filter(role=AssignmentRole.SUPERVISOR)
        .select_related("worker", "station__place")
        .order_by("worker_id", "station_id", "start_on")
    )
    serializer_class = SupervisorStationSerializer
    filterset_class = SupervisorStationFilterSet
