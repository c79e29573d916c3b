"""The interface language: Simplified Chinese unless the user chose another with the language switch."""

import logging

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.urls import reverse
from django.utils import translation

logger = logging.getLogger(__name__)


class PortalLocaleMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but the browser's Accept-Language is ignored, so every office
    sees the Chinese interface by default; the language switch stores the choice in a cookie."""

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class PagesForPeopleMiddleware:
    """The API client's account reads the API with its token and has no web pages (``network.roles.may_use_pages``):
    the login form refuses it, and a browser session of it is ended on any page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.contrib.auth import logout
        from django.contrib.auth.views import redirect_to_login

        from .roles import may_use_pages

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not may_use_pages(user)
            and not request.path.startswith("/api/")
        ):
            logout(request)
            if request.path != reverse("login"):
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class DatabaseConflictMiddleware:
    """A database integrity error (a duplicate or a broken rule the checks before the save did not catch, e.g. two
    saves at once) or a value the column cannot hold answers a page that says so (409 / 400), never a 500. Forms
    of the scoped views and the API say it in their own shape first; this is the net under every other view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import DataError, IntegrityError
        from django.shortcuts import render
        from django.utils.translation import gettext as _

        if isinstance(exception, IntegrityError):
            status, message = 409, _("Not saved: the record conflicts with one that already exists.")
        elif isinstance(exception, DataError):
            status, message = 400, _("Not saved: a value does not fit its field.")
        else:
            return None
        logger.warning("%s on %s: %s", type(exception).__name__, request.path, exception)
        if request.path.startswith("/api/"):
            from django.http import JsonResponse

            return JsonResponse({"detail": message}, status=status)
        return render(request, "conflict.html", {"message": message}, status=status)


class NoStoreMiddleware:
    """Every answer to a signed-in user (a page, an export, the API with a token) says Cache-Control: no-store:
    they carry names, ID numbers and circumstances of vulnerable people (PIPL Art. 28), which no browser or proxy
    cache may keep. Static files are served before this and stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils.cache import patch_cache_control

        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or "HTTP_AUTHORIZATION" in request.META:
            patch_cache_control(response, no_store=True, private=True)
        return response
