"""County-plan API (PLAN-1, SUP-4): plans and their versions, scoped by ``restrict``; each workflow step (submit,
file, return, revise) is its own action calling one service, like the pages."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from network.scoped_api import ScopedModelViewSet, ScopedUpdateViewSet, as_drf_error

from .. import services_plans as services
from ..filtersets_plans import CountyPlanFilterSet, PlanVersionFilterSet
from ..models import CountyPlan, PlanVersion
from ..selectors_plans import plans_with_latest
from .serializers_plans import (
    CountyPlanSerializer,
    PlanFileSerializer,
    PlanReturnSerializer,
    PlanReviseSerializer,
    PlanVersionSerializer,
)


def _call(step):
    """A service call in the API's shape: a refused rule 400 with the field's message, a refused role 403."""
    try:
        return step()
    except DjangoValidationError as exc:
        raise as_drf_error(exc) from exc
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc


class CountyPlanViewSet(ScopedModelViewSet):
    """PLAN-1: the counties' implementation plans. POST opens a plan with version 1 as a draft."""

    queryset = CountyPlan.objects.select_related("county", "in_force").order_by("county_id", "-first_year", "id")
    serializer_class = CountyPlanSerializer
    filterset_class = CountyPlanFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return plans_with_latest(super().get_queryset())

    def create_instance(self, serializer):
        data = serializer.validated_data
        plan = _call(
            lambda: services.county_plan_create(
                user=self.request.user,
                county=data["county"],
                title=data["title"],
                first_year=data.get("first_year", 2021),
                last_year=data.get("last_year", 2023),
            )
        )
        serializer.instance = plans_with_latest(CountyPlan.objects.filter(pk=plan.pk)).get()
        return plan

    @extend_schema(request=PlanReviseSerializer, responses={201: PlanVersionSerializer})
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        """PLAN-1: a new draft version copied from the latest returned or filed one."""
        plan = self.get_object()
        body = PlanReviseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = _call(
            lambda: services.plan_revise(
                user=request.user, plan=plan, change_note=body.validated_data.get("change_note", "")
            )
        )
        return Response(
            PlanVersionSerializer(version, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class PlanVersionViewSet(ScopedUpdateViewSet):
    """PLAN-1 / SUP-4: the versions of the plans. PATCH writes a draft's sections (multipart to attach the signed
    PDF); ``submit`` (the county), ``file`` and ``return`` (the city) move it through the workflow."""

    queryset = PlanVersion.objects.select_related("plan__county").order_by("plan_id", "-number")
    serializer_class = PlanVersionSerializer
    filterset_class = PlanVersionFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def update_instance(self, serializer):
        data = dict(serializer.validated_data)
        upload = data.pop("signed_pdf", None)
        return _call(
            lambda: services.plan_version_save(
                user=self.request.user, version=serializer.instance, data=data, signed_pdf=upload
            )
        )

    def perform_update(self, serializer):
        serializer.instance = self._checked(lambda: self.update_instance(serializer))

    def _step(self, request, step, body_class=None, **kwargs):
        version = self.get_object()
        extra = {}
        if body_class is not None:
            body = body_class(data=request.data)
            body.is_valid(raise_exception=True)
            extra = dict(body.validated_data)
        saved = _call(lambda: step(user=request.user, version=version, **kwargs, **extra))
        return Response(PlanVersionSerializer(saved, context={"request": request}).data)

    @extend_schema(request=None, responses={200: PlanVersionSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """PLAN-1: the county submits a draft (every section written, the signed PDF attached)."""
        return self._step(request, services.plan_version_submit)

    @extend_schema(request=PlanFileSerializer, responses={200: PlanVersionSerializer})
    @action(detail=True, methods=["post"], url_path="file", url_name="file")
    def file_version(self, request, pk=None):
        """PLAN-1: the city files (备案) a submitted version; it becomes the version in force."""
        return self._step(request, services.plan_version_file, PlanFileSerializer)

    @extend_schema(request=PlanReturnSerializer, responses={200: PlanVersionSerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_version(self, request, pk=None):
        """PLAN-1: the city returns a submitted version with its comments."""
        body = PlanReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = self.get_object()
        saved = _call(
            lambda: services.plan_version_return(
                user=request.user, version=version, comments=body.validated_data.get("comments", "")
            )
        )
        return Response(PlanVersionSerializer(saved, context={"request": request}).data)
