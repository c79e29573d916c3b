"""The operation log (操作日志): every recorded change in the portal, read from the change histories.

Each model keeps its history (``network.history.PortalHistoricalRecords``); this module reads them all as one
list — a ``UNION ALL`` over the historical tables, ordered by time — filtered by who, where, what and when.
Nothing is written here: a model that keeps a history is in the log, one that does not is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.apps import apps
from django.core.exceptions import FieldError
from django.db.models import CharField, F, GenericIPAddressField, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scope import scope_q

# Reasons the account services give (``network.services``): shown in the reader's language.
REASONS = {
    "password reset": _("Password reset"),
    "activated": _("Account activated"),
    "deactivated": _("Account deactivated"),
    "unlocked": _("Login lock lifted"),
}
KINDS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


def tracked_models() -> list:
    """Every model with a change history, in a stable order (app label, model name)."""
    found = []
    for model in apps.get_models():
        manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
        if manager_name and not model._meta.abstract:
            found.append(model)
    return sorted(found, key=lambda m: m._meta.label_lower)


def model_choices() -> list[tuple[str, str]]:
    return [(m._meta.label_lower, str(m._meta.verbose_name)) for m in tracked_models()]


def history_model(model):
    return getattr(model, model._meta.simple_history_manager_attribute).model


@dataclass
class OperationFilter:
    user_id: int | None = None
    place_code: str | None = None  # the place and everything under it (division-code prefix)
    model: str | None = None  # app_label.modelname
    date_from: date | None = None
    date_to: date | None = None


def _place_prefix(code: str) -> str:
    from .models import LEVEL_PREFIX_LENGTH, Place

    level = Place.objects.filter(code=code).values_list("level", flat=True).first()
    return code[: LEVEL_PREFIX_LENGTH[level]] if level else code


def operations(f: OperationFilter):
    """One queryset of dicts (``when, kind, user_id, model, object_id, history_id, address, reason``), newest
    first: a UNION ALL of the historical tables the filter leaves in. A place filter keeps the models that have
    a place (``scope_field``), through the same prefix match as the scope."""
    parts = []
    prefix = _place_prefix(f.place_code) if f.place_code else None
    for model in tracked_models():
        label = model._meta.label_lower
        if f.model and f.model != label:
            continue
        hm = history_model(model)
        qs = hm.objects.all()
        if prefix is not None:
            field = getattr(model, "scope_field", None)
            if not field:
                continue
            q = scope_q(field, (prefix,))
            try:
                qs = qs.filter(q) if q is not None else qs
            except FieldError:  # a place path the historical table cannot follow: not a placed record
                continue
        if f.user_id:
            qs = qs.filter(history_user_id=f.user_id)
        if f.date_from:
            qs = qs.filter(history_date__gte=timezone.make_aware(datetime.combine(f.date_from, time.min)))
        if f.date_to:
            qs = qs.filter(history_date__lte=timezone.make_aware(datetime.combine(f.date_to, time.max)))
        has_ip = any(fl.name == "history_ip_address" for fl in hm._meta.fields)
        parts.append(
            qs.order_by()
            .annotate(
                op_when=F("history_date"),
                op_kind=F("history_type"),
                op_user=F("history_user_id"),
                op_model=Value(label, output_field=CharField()),
                op_object=Cast(model._meta.pk.attname, output_field=CharField()),
                op_history=F("history_id"),
                op_address=F("history_ip_address") if has_ip else Value(None, output_field=GenericIPAddressField()),
                op_reason=Cast("history_change_reason", output_field=CharField()),
            )
            .values("op_when", "op_kind", "op_user", "op_model", "op_object", "op_history", "op_address", "op_reason")
        )
    if not parts:
        from .models import Place

        return Place.history.none().values("history_id")
    first, rest = parts[0], parts[1:]
    return (first.union(*rest, all=True) if rest else first).order_by("-op_when", "-op_history")


@dataclass
class Operation:
    when: datetime
    kind: str
    user: object
    model_name: str
    object_label: str
    object_url: str | None
    changes: str
    address: str
    reason: str


def describe(rows) -> list[Operation]:
    """The page's rows made readable: the user, the record as it was, the fields that changed. A fixed number of
    queries per model on the page, plus one per change for its previous version."""
    from .models import User

    rows = list(rows)
    users = User.objects.in_bulk({r["op_user"] for r in rows if r["op_user"]})
    by_model: dict[str, list[int]] = {}
    for r in rows:
        by_model.setdefault(r["op_model"], []).append(r["op_history"])
    records = {}
    for label, ids in by_model.items():
        model = apps.get_model(label)
        for h in history_model(model).objects.filter(history_id__in=ids):
            records[(label, h.history_id)] = (model, h)
    out = []
    for r in rows:
        model, h = records.get((r["op_model"], r["op_history"]), (apps.get_model(r["op_model"]), None))
        label, url, changes = r["op_object"], None, ""
        if h is not None:
            try:
                label = str(h.instance)
            except Exception:  # a record whose related rows are gone still shows its key
                label = r["op_object"]
            if r["op_kind"] == "~":
                prev = h.prev_record
                if prev is not None:
                    delta = h.diff_against(prev)
                    changes = "、".join(
                        str(model._meta.get_field(c.field).verbose_name)
                        for c in delta.changes
                        if c.field in {fl.name for fl in model._meta.fields}
                    )
            if r["op_kind"] != "-" and hasattr(model, "get_absolute_url"):
                try:
                    url = h.instance.get_absolute_url()
                except Exception:
                    url = None
        reason = r["op_reason"] or ""
        out.append(
            Operation(
                when=r["op_when"],
                kind=str(KINDS.get(r["op_kind"], r["op_kind"])),
                user=users.get(r["op_user"]),
                model_name=str(model._meta.verbose_name),
                object_label=label,
                object_url=url,
                changes=changes,
                address=r["op_address"] or "",
                reason=str(REASONS.get(reason, reason)),
            )
        )
    return out
