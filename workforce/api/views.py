"""API viewsets for workers, qualifications, organisations and assignments, scoped like the pages."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend

from network.scoped_api import ScopedModelViewSet, as_drf_error

from .. import selectors, services
from ..filtersets import AssignmentFilterSet, OrganisationFilterSet, QualificationFilterSet, WorkerFilterSet
from ..models import Assignment, Organisation, Qualification, Worker
from .serializers import (
    AssignmentSerializer,
    OrganisationSerializer,
    QualificationSerializer,
    WorkerSerializer,
)


class ServiceViewSet(ScopedModelViewSet):
    """Creates and updates call one service; its rule errors come back in the API's one error shape."""

    filter_backends = [DjangoFilterBackend]

    def save_with(self, serializer, instance=None):
        """The one service call of the concrete viewset (every subclass defines it)."""
        raise TypeError(f"{type(self).__name__} must define save_with()")

    def create_instance(self, serializer):
        try:
            serializer.instance = self.save_with(serializer)
        except ValidationError as exc:
            raise as_drf_error(exc) from exc
        return serializer.instance

    def update_instance(self, serializer):
        try:
            serializer.instance = self.save_with(serializer, serializer.instance)
        except ValidationError as exc:
            raise as_drf_error(exc) from exc
        return serializer.instance


class WorkerViewSet(ServiceViewSet):
    """Social workers. One person, one record: creating a known ID number updates that person."""

    queryset = Worker.objects.all()
    personal_data = True
    serializer_class = WorkerSerializer
    filterset_class = WorkerFilterSet

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("place", "organisation")
            .annotate(grade_now=selectors.highest_grade_on(timezone.localdate()))
            .order_by("place_id", "name", "id")
        )

    def save_with(self, serializer, instance=None):
        return services.worker_save(user=self.request.user, data=serializer.validated_data, worker=instance)[0]


class QualificationViewSet(ServiceViewSet):
    """Qualification certificates (TGT-CERT)."""

    queryset = Qualification.objects.order_by("worker_id", "obtained_on", "id")
    serializer_class = QualificationSerializer
    filterset_class = QualificationFilterSet

    def save_with(self, serializer, instance=None):
        data = dict(serializer.validated_data)
        worker = data.pop("worker", None) or instance.worker
        return services.qualification_save(user=self.request.user, worker=worker, data=data, qualification=instance)


class OrganisationViewSet(ServiceViewSet):
    """Social-work service organisations (TGT-ORG, PRC-2)."""

    queryset = Organisation.objects.order_by("county_id", "name", "id")
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet

    def save_with(self, serializer, instance=None):
        return services.organisation_save(user=self.request.user, data=serializer.validated_data, organisation=instance)


class AssignmentViewSet(ServiceViewSet):
    """Station assignments (PRC-2)."""

    queryset = Assignment.objects.select_related("station").order_by("station_id", "start_on", "id")
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilterSet

    def save_with(self, serializer, instance=None):
        return services.assignment_save(user=self.request.user, data=serializer.validated_data, assignment=instance)
