"""Reads on stations: status on a past date (from the dated history), recipients, follow-ups."""

import datetime

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from network.masking import mask_id_number, mask_phone, sees_personal_data

from .choices import Gender, TargetGroup
from .models import FollowUpPlan, Recipient, Station, StationStatusChange


def stations_with_status_on(qs: QuerySet[Station], on: datetime.date) -> QuerySet[Station]:
    """Annotate ``status_on``: the station's status on the date (None before its first entry)."""
    latest = (StationStatusChange.objects.filter(station=OuterRef("pk"), effective_on__lte=on)
              .order_by("-effective_on", "-id").values("status")[:1])
    return qs.annotate(status_on=Subquery(latest))


# ---------------------------------------------------------------- recipients, follow-ups





def recipient_columns_values(user):
    """The recipient columns shown on screen and exported, as (label, values_list field, formatter).

    ID numbers and phones are masked for roles outside PERSONAL_DATA_ROLES, on screen and in exports alike.
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
            yield [fmt(v) for fmt, v in zip(formatters, values)]

    return headers, rows()


def follow_ups_overdue(*, qs=None, on=None):
    """SRV-3: follow-ups whose due date has passed and that are not done."""
    on = on or timezone.localdate()
    qs = FollowUpPlan.objects.all() if qs is None else qs
    return qs.filter(done_on__isnull=True, due_on__lt=on)


def overdue_counts_by_township(*, user) -> dict[str, int]:
    """SRV-3: overdue follow-ups per station (township code) in the user's scope; one query."""
    from django.db.models import Count

    rows = (follow_ups_overdue(qs=FollowUpPlan.objects.restrict(user))
            .values("recipient__village__parent_id").annotate(n=Count("id")))
    return {r["recipient__village__parent_id"]: r["n"] for r in rows}


__all__ = ["Recipient", "follow_ups_overdue", "overdue_counts_by_township", "recipient_columns_values",
           "recipient_export_rows", "stations_with_status_on"]
