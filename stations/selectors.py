"""Reads on stations: status on a past date (from the dated history), recipients, follow-ups."""

import datetime

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from network.choices import PlaceLevel
from network.masking import mask_id_number, mask_phone
from network.models import Place
from network.roles import sees_personal_data

from .choices import COUNTED_STATUSES, Gender, TargetGroup
from .models import FollowUpPlan, Recipient, Station, StationStatusChange

STANDARD_ITEM_PREFIX = "std_"


def stations_with_standard(
    qs: QuerySet[Station], on: datetime.date | None = None, *, items: bool = False
) -> QuerySet[Station]:
    """Annotate ``standard_met``: whether the station meets the standard on the date (TGT-STD, the SQL form of
    ``stations.rules.tgt_std_check``; default today), for lists, filters and the API; with ``items`` also
    ``std_<item code>`` for every item of the check."""
    from django.db.models import BooleanField
    from django.db.models.expressions import RawSQL

    from .rules import sql_date, standard_items, tgt_std_item_sql, tgt_std_sql

    on = on or timezone.localdate()
    station, day = f'"{Station._meta.db_table}"."id"', sql_date(on)
    annotations = {"standard_met": RawSQL(tgt_std_sql(station=station, on=day), [], output_field=BooleanField())}
    if items:
        for spec in standard_items():
            annotations[STANDARD_ITEM_PREFIX + spec.code] = RawSQL(
                tgt_std_item_sql(spec.code, station=station, on=day), [], output_field=BooleanField()
            )
    return qs.annotate(**annotations)


def stations_with_status_on(qs: QuerySet[Station], on: datetime.date) -> QuerySet[Station]:
    """Annotate ``status_on``: the station's status on the date (None before its first entry)."""
    latest = (
        StationStatusChange.objects.filter(station=OuterRef("pk"), effective_on__lte=on)
        .order_by("-effective_on", "-id")
        .values("status")[:1]
    )
    return qs.annotate(status_on=Subquery(latest))


# ---------------------------------------------------------------- recipients, follow-ups


def recipient_columns_values(user):
    """The recipient columns shown on screen and exported, as (label, values_list field, formatter).

    ID numbers and phones are masked for roles that do not see personal data (``network.roles``), on screen
    and in exports alike.
    """
    personal = sees_personal_data(user)
    groups = {v: str(label) for v, label in TargetGroup.choices}
    genders = {v: str(label) for v, label in Gender.choices}

    def ident(v):
        return "" if v is None else v

    return [
        (pgettext("person", "Name"), "name", ident),
        (_("ID number"), "id_number", ident if personal else mask_id_number),
        (_("Gender"), "gender", lambda v: genders.get(v, "")),
        (_("Phone"), "phone", ident if personal else mask_phone),
        (_("Village / community"), "village__name", ident),
        (_("Station (township)"), "village__parent__name", ident),
        (_("Target groups"), "target_groups", lambda v: "、".join(groups.get(g, g) for g in (v or []))),
        (_("Registered on"), "registered_on", ident),
    ]


def recipient_export_rows(*, qs, user):
    """Rows of exactly the recipients in ``qs`` (already restricted and filtered), streamed from the database
    with ``values_list`` so that 100,000 rows export without building model instances."""
    spec = recipient_columns_values(user)
    headers = [str(label) for label, _f, _fmt in spec]
    fields = [f for _l, f, _fmt in spec]
    formatters = [fmt for _l, _f, fmt in spec]

    def rows():
        for values in qs.values_list(*fields).iterator(chunk_size=5000):
            yield [fmt(v) for fmt, v in zip(formatters, values, strict=False)]

    return headers, rows()


def follow_ups_overdue(*, qs=None, on=None):
    """SRV-3: follow-ups whose due date has passed and that are not done."""
    on = on or timezone.localdate()
    qs = FollowUpPlan.objects.all() if qs is None else qs
    return qs.filter(done_on__isnull=True, due_on__lt=on)


def overdue_counts_by_township(*, user) -> dict[str, int]:
    """SRV-3: overdue follow-ups per station (township code) in the user's scope; one query."""
    from django.db.models import Count

    rows = (
        follow_ups_overdue(qs=FollowUpPlan.objects.restrict(user))
        .values("recipient__village__parent_id")
        .annotate(n=Count("id"))
    )
    return {r["recipient__village__parent_id"]: r["n"] for r in rows}


__all__ = [
    "Recipient",
    "follow_ups_overdue",
    "overdue_counts_by_township",
    "recipient_columns_values",
    "recipient_export_rows",
    "stations_with_standard",
    "stations_with_status_on",
]


def child_summaries(parent: Place):
    """Children of a city or county with their township and station counts (one query)."""
    qs = Place.objects.filter(parent=parent).order_by("code")
    if parent.level == PlaceLevel.CITY:
        return qs.annotate(
            townships=Count("children", distinct=True),
            stations_counted=Count(
                "children__station", filter=Q(children__station__status__in=COUNTED_STATUSES), distinct=True
            ),
            stations_total=Count("children__station", distinct=True),
        )
    return qs.select_related("station").annotate(
        villages=Count("children", distinct=True), rooms=Count("children__room", distinct=True)
    )
