"""Masking of personal data (ID numbers, phones) for roles that do not need it."""

import re

from django.utils.translation import gettext_lazy as _

from .roles import sees_personal_data

__all__ = ["mask_id_number", "mask_phone", "redact_id_numbers", "sees_personal_data"]

# An 18-character resident ID number (GB 11643) inside some text: 17 digits and a digit or X.
ID_NUMBER_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")


def mask_id_number(value: str | None) -> str:
    """Keep the first 6 (region) and last 4 characters: 450222********123X."""
    if not value:
        return ""
    return value[:6] + "*" * max(len(value) - 10, 0) + value[-4:] if len(value) > 10 else "*" * len(value)


def redact_id_numbers(text: str) -> str:
    """``text`` with every ID number in it masked: what the portal keeps of a typed search or reason, since it
    stores ID numbers only encrypted (PIPL Art. 51)."""
    return ID_NUMBER_IN_TEXT.sub(lambda m: mask_id_number(m.group().upper()), text)


def mask_phone(value: str | None) -> str:
    """Keep the first 3 and last 4 digits: 138****5678."""
    if not value:
        return ""
    return value[:3] + "*" * max(len(value) - 7, 0) + value[-4:] if len(value) > 7 else "*" * len(value)


# Model fields that hold personal identifiers (recipients, workers): masked in forms as on pages.
PERSONAL_FIELDS = {"id_number": mask_id_number, "phone": mask_phone}


def mask_personal_form_fields(form, user) -> None:
    """PIPL Art. 28: a role outside the personal-data roles never receives a stored ID number or phone,
    not even as a form's initial value. It may type a new value to replace it; left empty, the stored
    value is kept. The masked value is shown as the field's placeholder."""
    if sees_personal_data(user):
        return
    instance = getattr(form, "instance", None)
    for name, mask in PERSONAL_FIELDS.items():
        field = form.fields.get(name)
        if field is None:
            continue
        stored = getattr(instance, name, "") if instance is not None and instance.pk else ""
        form.initial[name] = ""
        if not stored:
            continue
        field.widget.attrs["placeholder"] = mask(stored)
        field.required = False
        field.help_text = _(
            "Stored and hidden for your role: leave empty to keep it, or type a new value to replace it."
        )
        field.clean = _keep_when_empty(field.clean, stored)


def _keep_when_empty(clean, stored):
    def keep_or_clean(value):
        return stored if value in (None, "") else clean(value)

    return keep_or_clean
