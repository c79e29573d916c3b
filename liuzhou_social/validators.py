"""Validators for Chinese identifiers: resident ID (GB 11643), unified social credit code (GB 32100), phones."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

_ID_RE = re.compile(r"^\d{17}[\dX]$")
_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"

_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

_PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def text_limit(max_length: int) -> dict:
    """The keyword arguments that bound a TextField: forms, the API (both read ``max_length``) and model
    validation (the validator) refuse longer text with the field's message; imports declare the same limit."""
    from django.core.validators import MaxLengthValidator

    return {"max_length": max_length, "validators": [MaxLengthValidator(max_length)]}


def id_number_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=False)) % 11]


def normalise_id_number(value: str) -> str:
    return (value or "").strip().upper()


def id_number_birth_date(value: str) -> datetime.date | None:
    try:
        return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def validate_id_number(value: str) -> None:
    """GB 11643: 18 characters, a valid birth date, and the ISO 7064 MOD 11-2 check character."""
    value = normalise_id_number(value)
    if not _ID_RE.match(value):
        raise ValidationError(
            _("An ID number has 17 digits followed by a digit or X (18 characters)."), code="id_format"
        )
    birth = id_number_birth_date(value)
    if birth is None or birth > timezone.localdate() or birth.year < 1900:
        raise ValidationError(_("The birth date inside the ID number is not a valid date."), code="id_birth")
    if id_number_check_char(value[:17]) != value[17]:
        raise ValidationError(
            _("The ID number's check character is wrong (GB 11643); please check the number."), code="id_check"
        )


def credit_code_check_char(first17: str) -> str:
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=False))
    return _CREDIT_CHARS[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """GB 32100: 18 characters from the code's alphabet with a MOD 31 check character."""
    value = (value or "").strip().upper()
    if not _CREDIT_RE.match(value):
        raise ValidationError(
            _("A unified social credit code has 18 characters (digits and capital letters except I, O, S, V, Z)."),
            code="credit_format",
        )
    if credit_code_check_char(value[:17]) != value[17]:
        raise ValidationError(
            _("The credit code's check character is wrong (GB 32100); please check the code."), code="credit_check"
        )


def validate_phone(value: str) -> None:
    """A mainland mobile (11 digits starting 1) or a landline with area code."""
    if value and not _PHONE_RE.match(value.strip()):
        raise ValidationError(_("Enter an 11-digit mobile number or a landline with its area code."), code="phone")


# File signatures (first bytes) of the upload types the portal accepts.
FILE_SIGNATURES = {
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".pdf": b"%PDF-",
    ".docx": b"PK\x03\x04",
    ".xlsx": b"PK\x03\x04",
}


def upload_type(upload, allowed: tuple[str, ...]) -> str | None:
    """The upload's extension if it is one of ``allowed`` and its first bytes match that type; else None."""
    name = (getattr(upload, "name", "") or "").lower()
    ext = name[name.rfind(".") :] if "." in name else ""
    if ext not in allowed:
        return None
    upload.seek(0)
    head = upload.read(len(FILE_SIGNATURES[ext]))
    upload.seek(0)
    return ext if head == FILE_SIGNATURES[ext] else None
