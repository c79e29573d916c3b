"""Personal data (PIPL Art. 28/51): the record of unmasked reads, and ID numbers that reveal nothing.

``personal_data_event_record`` is called wherever unmasked ID numbers or phones leave the portal (a
page, an export, the API); ``id_number_taken_error`` is the one answer a form, the API or an import
gives when an ID number is already registered: where it is, for a user who may see that record; for
anyone else only that the number cannot be used here — never that the person exists elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from liuzhou_social.client_ip import client_ip

from .choices import PersonalDataAction
from .masking import redact_id_numbers
from .models import PersonalDataEvent
from .scope import VIEW, can

KEPT_IDS = 1000


def personal_data_event_record(
    *, user, action: str, subject: str, object_ids: Iterable = (), reason: str = "", request=None
) -> PersonalDataEvent:
    ids = list(object_ids)
    return PersonalDataEvent.objects.create(
        user=user if getattr(user, "pk", None) else None,
        action=action,
        subject=subject,
        object_ids=ids[:KEPT_IDS],
        count=len(ids),
        reason=redact_id_numbers(reason)[:200],  # a search by ID number leaves it masked in the log
        path=redact_id_numbers(request.get_full_path())[:300] if request is not None else "",
        client_address=(client_ip(request) or None) if request is not None else None,
    )


def id_number_taken_error(*, user, existing, field: str = "id_number") -> ValidationError:
    """The error for an ID number already registered as ``existing``. Outside the user's view scope it
    says nothing about that person, and the attempt is recorded for the city administrator."""
    if user is None or can(user, VIEW, existing):
        return ValidationError({field: _("This ID number is already registered: %(record)s.") % {"record": existing}})
    personal_data_event_record(
        user=user,
        action=PersonalDataAction.REFUSED_ID,
        subject=existing._meta.verbose_name_plural,
        object_ids=[existing.pk],
    )
    return ValidationError(
        {field: _("This ID number cannot be used here. The county or city civil-affairs office can help.")}
    )
