from django import template

from network.masking import mask_id_number, mask_phone, sees_personal_data

register = template.Library()


@register.filter
def history_changes(record):
    """Names of the fields a history record changed against the one before it."""
    prev = record.prev_record
    if prev is None:
        return ""
    return ", ".join(str(record.instance_type._meta.get_field(c.field).verbose_name)
                     for c in record.diff_against(prev).changes)


@register.simple_tag(takes_context=True)
def personal(context, value, kind="id"):
    """Show an ID number or phone in full only to roles that need personal data."""
    user = context["request"].user
    if sees_personal_data(user):
        return value or ""
    return mask_id_number(value) if kind == "id" else mask_phone(value)
