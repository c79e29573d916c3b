"""Reads on stations: status on a past date (from the dated history)."""

import datetime

from django.db.models import OuterRef, QuerySet, Subquery

from .models import Station, StationStatusChange


def stations_with_status_on(qs: QuerySet[Station], on: datetime.date) -> QuerySet[Station]:
    """Annotate ``status_on``: the station's status on the date (None before its first entry)."""
    latest = (StationStatusChange.objects.filter(station=OuterRef("pk"), effective_on__lte=on)
              .order_by("-effective_on", "-id").values("status")[:1])
    return qs.annotate(status_on=Subquery(latest))
