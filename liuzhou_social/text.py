"""Text as it enters the portal: one Unicode form (NFC) and no control characters.

A name typed with an invisible control character (e.g. U+000B from a copied spreadsheet cell) would be stored and
break every export and page that shows it, and the same name in two Unicode forms would be two names. So every
text a user sends is checked where it enters — a form field, an API field, an import cell — by ``clean_text``:
normalised to NFC, and refused with a message naming the field when it holds a control character. Multi-line
text keeps its line breaks and tabs.

``install`` hooks the check into every text field of Django's forms and of DRF's serializers (the import engine
calls ``clean_text`` for each text cell itself), so that no form or serializer of any app can miss it.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# C0 and C1 controls, DEL, the Unicode line and paragraph separators, lone surrogates (which PostgreSQL refuses)
# and the two non-characters; multi-line text may keep tab, line feed and carriage return.
_ANY_CONTROL = "\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff"
_SINGLE_LINE = re.compile(f"[{_ANY_CONTROL}]")
_MULTI_LINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def control_character(value: str, *, multiline: bool = False) -> str | None:
    """The first control character in ``value`` (None if there is none)."""
    match = (_MULTI_LINE if multiline else _SINGLE_LINE).search(value)
    return match.group() if match else None


def clean_text(value, *, label, multiline: bool = False):
    """``value`` in NFC; ValidationError naming ``label`` when it holds a control character. Non-text passes."""
    if not isinstance(value, str):
        return value
    bad = control_character(value, multiline=multiline)
    if bad is not None:
        raise ValidationError(
            _("“%(field)s” contains an invisible control character (U+%(code)04X) that cannot be saved; remove it.")
            % {"field": str(label or "").strip() or _("This field"), "code": ord(bad)},
            code="control_character",
        )
    return unicodedata.normalize("NFC", value)


def _form_char_to_python(original):
    def to_python(self, value):
        value = original(self, value)
        from django.forms import PasswordInput, Textarea

        if isinstance(self.widget, PasswordInput):
            return value  # a secret is compared as typed, never rewritten
        return clean_text(value, label=self.label, multiline=isinstance(self.widget, Textarea))

    to_python.portal_text_check = True
    return to_python


def _drf_char_to_internal_value(original):
    def to_internal_value(self, data):
        value = original(self, data)
        style = getattr(self, "style", {}) or {}
        if style.get("input_type") == "password":
            return value
        try:
            return clean_text(
                value, label=self.label or self.field_name, multiline=style.get("base_template") == "textarea.html"
            )
        except ValidationError as exc:
            from rest_framework.exceptions import ValidationError as DRFValidationError

            raise DRFValidationError(exc.messages) from None

    to_internal_value.portal_text_check = True
    return to_internal_value


def install() -> None:
    """Check every text field of every form and serializer (idempotent)."""
    from django import forms
    from rest_framework import fields

    if not getattr(forms.CharField.to_python, "portal_text_check", False):
        forms.CharField.to_python = _form_char_to_python(forms.CharField.to_python)
    if not getattr(fields.CharField.to_internal_value, "portal_text_check", False):
        fields.CharField.to_internal_value = _drf_char_to_internal_value(fields.CharField.to_internal_value)
