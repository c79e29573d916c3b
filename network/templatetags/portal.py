from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from network.masking import mask_id_number, mask_phone
from network.roles import sees_personal_data

register = template.Library()


@register.filter
def history_changes(record):
    """Names of the fields a history record changed against the one before it."""
    prev = record.prev_record
    if prev is None:
        return ""
    return ", ".join(
        str(record.instance_type._meta.get_field(c.field).verbose_name) for c in record.diff_against(prev).changes
    )


@register.simple_tag(takes_context=True)
def personal(context, value, kind="id"):
    """Show an ID number or phone in full only to roles that need personal data."""
    user = context["request"].user
    if sees_personal_data(user):
        return value or ""
    return mask_id_number(value) if kind == "id" else mask_phone(value)


@register.simple_tag
def rule(rule_id):
    """A rule ID as a small badge: its statement on hover and for screen readers, a link to the legend."""
    from network.rule_catalogue import rule_text

    rule_id = str(rule_id)
    text = rule_text(rule_id)
    base = rule_id.split(".")[0]
    return format_html(
        '<a class="badge rounded-pill text-bg-light border rule-id" href="{}#{}" title="{}" aria-label="{}">{}</a>',
        reverse("network:rule_legend"),
        base,
        f"{rule_id}: {text}" if text else rule_id,
        f"{_('Rule')} {rule_id}: {text}" if text else f"{_('Rule')} {rule_id}",
        rule_id,
    )


@register.simple_tag
def yes_no(value, label=""):
    """A met / not met mark drawn with the vendored Bootstrap Icons (no emoji font needed), its meaning given
    on hover and to screen readers."""
    state = _("yes") if value else _("no")
    text = f"{label}: {state}" if label else state
    icon = "bi-check-circle-fill text-success" if value else "bi-x-circle-fill text-danger"
    return format_html('<i class="bi {}" role="img" aria-label="{}" title="{}"></i>', icon, text, text)


def _shown(value) -> str:
    if hasattr(value, "all") and not isinstance(value, str):
        return "、".join(str(v) for v in value.all())
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


@register.simple_tag(takes_context=True)
def print_filters(context) -> list[tuple[str, str]]:
    """The filters the page shows its records by, as (label, value) for the printed header: the list's search
    and every filter field with a value, by the field's label and the value's name (no raw keys)."""
    request = context.get("request")
    if request is None or not request.GET:
        return []
    shown: list[tuple[str, str]] = []
    if request.GET.get("q"):
        shown.append((_("Search"), request.GET["q"]))
    filterset = context.get("filter")
    form = getattr(filterset, "form", None) or context.get("form")
    if form is None or not getattr(form, "is_bound", False) or getattr(form, "data", None) is not request.GET:
        return shown  # no filter form, or the page's form is one that writes
    cleaned = getattr(form, "cleaned_data", None) or {}
    for name, field in form.fields.items():
        value = cleaned.get(name)
        if value in (None, "", [], ()) or (hasattr(value, "exists") and not request.GET.get(name)):
            continue
        choices = dict(getattr(field, "choices", []) or []) if not hasattr(field, "queryset") else {}
        text = str(choices.get(value, value)) if choices else _shown(value)
        shown.append((str(field.label or name), text))
    return shown


@register.simple_tag(takes_context=True)
def print_place(context):
    """The place a printed page is about: the page's place, or its record's place (no query of its own)."""
    for key in ("place", "object"):
        value = context.get(key)
        if value is None:
            continue
        if hasattr(value, "code") and hasattr(value, "level"):
            return value
        place = getattr(value, "place", None)
        if place is not None and hasattr(place, "level"):
            return place
    return None
