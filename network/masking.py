"""Masking of personal data (ID numbers, phones) for roles that do not need it."""

from .choices import PERSONAL_DATA_ROLES


def sees_personal_data(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in PERSONAL_DATA_ROLES))


def mask_id_number(value: str | None) -> str:
    """Keep the first 6 (region) and last 4 characters: 450222********123X."""
    if not value:
        return ""
    return value[:6] + "*" * max(len(value) - 10, 0) + value[-4:] if len(value) > 10 else "*" * len(value)


def mask_phone(value: str | None) -> str:
    """Keep the first 3 and last 4 digits: 138****5678."""
    if not value:
        return ""
    return value[:3] + "*" * max(len(value) - 7, 0) + value[-4:] if len(value) > 7 else "*" * len(value)
