"""The indicator API: the catalogue and the stored values, scoped to the caller's places.

Values answer conditional GETs: the ETag covers the last computation, the query and the caller's
scope, so a client polling every minute gets 304 Not Modified from three small queries.
"""

from __future__ import annotations

import hashlib
from functools import partial

import django_filters
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.http import http_date, parse_http_date_safe
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from liuzhou_social.cache import cache_get_or_compute
from network.api.pagination import PortalPagination
from network.scope import scope_prefixes
from network.scoped_api import ScopedReadOnlyViewSet
from reporting.catalogue import BY_CODE, INDICATORS
from reporting.choices import IndicatorStatus, PeriodKind
from reporting.models import IndicatorValue
from reporting.selectors import computed_at_by_indicator

from .renderers import CSVRenderer
from .serializers import IndicatorSerializer, IndicatorValueSerializer

RENDERERS = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]


def code_prefix(code: str) -> str:
    """Significant digits of a division code (its descendants share them), without a query."""
    for keep in (2, 4, 6, 9):
        if code[keep:].strip("0") == "":
            return code[:keep]
    return code


class CachedCountPaginator(Paginator):
    """The count of a filtered list changes only when a recompute runs: it is kept in the cache
    under a key made of the last run, the filters and the caller's scope."""

    def __init__(self, *args, cache_key: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cache_key = cache_key

    @cached_property
    def count(self):
        if not self.cache_key:
            return super().count
        return cache_get_or_compute(self.cache_key, lambda: super(CachedCountPaginator, self).count, 24 * 3600)


class ValuePagination(PortalPagination):
    def paginate_queryset(self, queryset, request, view=None):
        self.django_paginator_class = partial(CachedCountPaginator, cache_key=getattr(view, "count_cache_key", None))
        return super().paginate_queryset(queryset, request, view)


class IndicatorValueFilterSet(django_filters.FilterSet):
    indicator = django_filters.CharFilter(
        method="filter_indicator", help_text="Indicator code, or several separated by commas"
    )
    place = django_filters.CharFilter(method="filter_place", help_text="12-digit place code")
    descendants = django_filters.BooleanFilter(
        method="filter_noop", help_text="With place: include every place below it"
    )
    level = django_filters.ChoiceFilter(choices=[("city", "city"), ("county", "county"), ("township", "township")])
    period = django_filters.CharFilter(help_text="A year (31 Dec) such as 2021, or a month such as 2026-11")
    period_kind = django_filters.ChoiceFilter(choices=PeriodKind.choices)
    status = django_filters.ChoiceFilter(choices=[c for c in IndicatorStatus.choices if c[0]])

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "place", "descendants", "level", "period", "period_kind", "status"]

    def filter_indicator(self, qs, name, value):
        codes = [c.strip() for c in value.split(",") if c.strip()]
        return qs.filter(indicator__in=codes)

    def filter_place(self, qs, name, value):
        if self.form.cleaned_data.get("descendants"):
            return qs.filter(place__code__startswith=code_prefix(value))
        return qs.filter(place_id=value)

    def filter_noop(self, qs, name, value):
        return qs


@extend_schema_view(
    list=extend_schema(summary="Indicator catalogue"),
    retrieve=extend_schema(
        summary="One catalogue entry", parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH)]
    ),
)
class IndicatorViewSet(viewsets.ViewSet):
    """The indicators the portal computes, with their rule, definition, unit and yearly targets."""

    serializer_class = IndicatorSerializer
    renderer_classes = RENDERERS
    lookup_field = "code"
    pagination_class = None

    def list(self, request):
        return Response(IndicatorSerializer(INDICATORS, many=True).data)

    def retrieve(self, request, code=None):
        from django.http import Http404

        ind = BY_CODE.get(code)
        if ind is None:
            raise Http404
        return Response(IndicatorSerializer(ind).data)


@extend_schema_view(
    list=extend_schema(
        summary="Stored indicator values",
        description="Filter by indicator, place (with descendants=true for everything below it), level and "
        "period. Each value carries numerator, denominator, target, status, rule and computed-at. "
        "Send If-None-Match / If-Modified-Since to poll cheaply. ?format=csv for CSV.",
        parameters=[OpenApiParameter("format", str, enum=["json", "csv"])],
    )
)
class IndicatorValueViewSet(ScopedReadOnlyViewSet):
    queryset = IndicatorValue.objects.select_related("place").order_by("indicator", "place_id", "period")
    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilterSet
    renderer_classes = RENDERERS
    pagination_class = ValuePagination
    count_cache_key = None
    computed_at: dict = {}

    def get_serializer_context(self):
        return super().get_serializer_context() | {"computed_at": self.computed_at}

    def _validators(self, request):
        self.computed_at = computed_at_by_indicator()
        last = max(self.computed_at.values(), default=None)
        fmt = getattr(request, "accepted_renderer", None)
        scope = ",".join(scope_prefixes(request.user))
        raw = "|".join(
            [
                str(last),
                request.get_full_path(),
                scope,
                getattr(fmt, "format", ""),
                request.headers.get("Accept-Language", ""),
            ]
        )
        filters = sorted((k, v) for k, v in request.query_params.items() if k not in ("page", "page_size", "format"))
        self.count_cache_key = (
            "reporting:count:" + hashlib.sha256("|".join([str(last), repr(filters), scope]).encode()).hexdigest()[:32]
        )
        return f'"{hashlib.sha256(raw.encode()).hexdigest()[:32]}"', last

    def list(self, request, *args, **kwargs):
        etag, last = self._validators(request)
        not_modified = False
        if_none = request.headers.get("If-None-Match")
        if if_none:
            not_modified = etag in [t.strip() for t in if_none.split(",")] or if_none.strip() == "*"
        elif last is not None and request.headers.get("If-Modified-Since"):
            since = parse_http_date_safe(request.headers["If-Modified-Since"])
            not_modified = since is not None and int(last.timestamp()) <= since
        response = Response(status=304) if not_modified else super().list(request, *args, **kwargs)
        response["ETag"] = etag
        response["Cache-Control"] = "private, no-cache"
        response["Vary"] = "Authorization, Cookie, Accept, Accept-Language"
        if last is not None:
            response["Last-Modified"] = http_date(last.timestamp())
        return response
