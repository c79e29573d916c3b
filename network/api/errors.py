"""One error shape for the API: {"detail": message, "errors": {field: [messages]}}.

Nested errors (an item of a list field, a nested object) are flattened into their field's list, so
every ``errors`` value is a list of strings, as the schema says. A database integrity error (a
duplicate the rules did not catch first) answers 409 with a message, never 500.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def _messages(value, prefix: str = "") -> list[str]:
    """Every message inside ``value`` (a string, a list or a dict of them), with the position of nested
    ones: "第 2 项: …" for the second item of a list."""
    if isinstance(value, dict):
        return [m for key, inner in value.items() for m in _messages(inner, _position(prefix, key))]
    if isinstance(value, list | tuple):
        if all(not isinstance(v, list | tuple | dict) for v in value):
            return [f"{prefix}{v}" for v in value]
        return [m for i, inner in enumerate(value) for m in _messages(inner, _position(prefix, i))]
    return [f"{prefix}{value}"]


def _position(prefix: str, key) -> str:
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
        return prefix + _("item %(n)s: ") % {"n": int(key) + 1}
    return prefix + f"{key}: "


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": _("Not saved: the record conflicts with one that already exists.")},
            status=status.HTTP_409_CONFLICT,
        )
    response = drf_exception_handler(exc, context)
    request = context.get("request")
    if response is not None and request is not None:
        # Errors are always JSON, whatever format the caller asked the data in (?format=csv).
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
    if response is not None and isinstance(exc, exceptions.ValidationError):
        data = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        errors = {str(field): _messages(value) for field, value in data.items()}
        first = next(iter(errors.values()), [""])
        response.data = {"detail": first[0] if first else "", "errors": errors}
    return response


def api_not_found(request, exception=None):
    """404 for an /api/ address no route matches: the API's error shape instead of the portal's page."""
    return JsonResponse({"detail": _("No such address in the API.")}, status=404)


def api_server_error(request):
    return JsonResponse({"detail": _("Server error; the administrators have been told.")}, status=500)
