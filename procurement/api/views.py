"""Procurement API: projects, bids (after the award only), contracts, pay lines (written through the service),
evaluations, and each project's OCDS release package. Every viewset is scoped by ``restrict``."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from network.scoped_api import ScopedModelViewSet, ScopedReadOnlyViewSet, as_drf_error

from .. import ocds, services
from ..choices import ProjectStatus
from ..filtersets import ContractFilterSet, EvaluationFilterSet, PayLineFilterSet, ProjectFilterSet
from ..models import Bid, Contract, Evaluation, PayLine, Project
from ..selectors import pay_lines_with_floor
from .serializers import (
    BidSerializer,
    ContractSerializer,
    EvaluationSerializer,
    PayLineSerializer,
    ProjectSerializer,
)


class ProjectViewSet(ScopedReadOnlyViewSet):
    queryset = Project.objects.select_related("county").prefetch_related("stations").order_by("id")
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, description="NET-2: the OCDS 1.1 release package")
    @action(detail=True, methods=["get"])
    def ocds(self, request, pk=None):
        return Response(ocds.release_package(self.get_object(), request=request))


class BidViewSet(ScopedReadOnlyViewSet):
    """Bids are published once their project is awarded (before, they stay with the purchaser's panel)."""

    queryset = Bid.objects.filter(project__status=ProjectStatus.AWARDED).order_by("id")
    serializer_class = BidSerializer


class ContractViewSet(ScopedReadOnlyViewSet):
    queryset = Contract.objects.prefetch_related("stations").order_by("id")
    serializer_class = ContractSerializer
    filterset_class = ContractFilterSet


class PayLineViewSet(ScopedModelViewSet):
    queryset = PayLine.objects.select_related("worker").order_by("-month", "id")
    serializer_class = PayLineSerializer
    filterset_class = PayLineFilterSet

    def get_queryset(self):
        return pay_lines_with_floor(super().get_queryset())

    def _save(self, serializer, line=None):
        data = dict(serializer.validated_data)
        try:
            saved = services.payline_save(user=self.request.user, data=data, line=line)
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        serializer.instance = pay_lines_with_floor(PayLine.objects.filter(pk=saved.pk)).get()
        return saved

    def create_instance(self, serializer):
        return self._save(serializer)

    def update_instance(self, serializer):
        return self._save(serializer, serializer.instance)


class EvaluationViewSet(ScopedReadOnlyViewSet):
    queryset = Evaluation.objects.order_by("id")
    serializer_class = EvaluationSerializer
    filterset_class = EvaluationFilterSet
