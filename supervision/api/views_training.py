"""Training API: the trainer pool (read), courses and attendance (written through the services), and each
stationed worker's SUP-2 standing. Every viewset is scoped by ``restrict``."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from network.scoped_api import ScopedModelViewSet, ScopedReadOnlyViewSet, as_drf_error

from .. import selectors_training, services_training
from ..filtersets_training import AttendanceFilterSet, CourseFilterSet, TrainerFilterSet
from ..models import Attendance, Course, Trainer
from .serializers_training import (
    AttendanceSerializer,
    CourseSerializer,
    StandingSerializer,
    TrainerSerializer,
)


class TrainerViewSet(ScopedReadOnlyViewSet):
    queryset = Trainer.objects.prefetch_related("fields").order_by("id")
    serializer_class = TrainerSerializer
    filterset_class = TrainerFilterSet


class CourseViewSet(ScopedModelViewSet):
    queryset = Course.objects.prefetch_related("trainers").order_by("-start_on", "id")
    serializer_class = CourseSerializer
    filterset_class = CourseFilterSet

    def _save(self, serializer, course=None):
        data = dict(serializer.validated_data)
        trainers = data.pop("trainers", None)
        try:
            saved = services_training.course_save(user=self.request.user, data=data, trainers=trainers, course=course)
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        serializer.instance = saved
        return saved

    def create_instance(self, serializer):
        return self._save(serializer)

    def update_instance(self, serializer):
        return self._save(serializer, serializer.instance)


class AttendanceViewSet(ScopedModelViewSet):
    queryset = Attendance.objects.select_related("worker").order_by("-attended_on", "id")
    serializer_class = AttendanceSerializer
    filterset_class = AttendanceFilterSet

    def _save(self, serializer, attendance=None):
        try:
            saved = services_training.attendance_save(
                user=self.request.user, data=dict(serializer.validated_data), attendance=attendance, source="api"
            )
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        serializer.instance = saved
        return saved

    def create_instance(self, serializer):
        return self._save(serializer)

    def update_instance(self, serializer):
        return self._save(serializer, serializer.instance)

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="The year (default: this year)")],
        responses={200: StandingSerializer(many=True)},
        description="SUP-2: each stationed worker in your places with the training hours of the year (to today "
        "for the current year) against the hours required, pro rata for a part of the year.",
    )
    # One row per worker, not a page of attendance: neither the attendance filters nor pagination apply.
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def standings(self, request):
        try:
            year = int(request.query_params.get("year") or timezone.localdate().year)
        except ValueError:
            year = timezone.localdate().year
        year = max(2000, min(year, timezone.localdate().year))
        rows = selectors_training.training_standings(user=request.user, year=year)
        return Response(StandingSerializer(rows, many=True).data)
