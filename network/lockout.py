"""The page a locked-out sign-in gets (django-axes' AXES_LOCKOUT_CALLABLE): how long the lock lasts, when it ends,
and whom to ask — the city centre's administrators, who can lift it at once (系统管理 · 账号)."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from .choices import CentreLevel, Role


def lockout_response(request, original_response=None, credentials=None):
    from axes.helpers import get_client_username

    from .models import Centre, User

    cooloff = settings.AXES_COOLOFF_TIME
    minutes = int(cooloff.total_seconds() // 60) if cooloff else None
    username = get_client_username(request, credentials) or ""
    admins = User.objects.filter(role=Role.CITY_ADMIN, is_active=True).order_by("username")
    city_centre = Centre.objects.filter(level=CentreLevel.CITY).first()
    return render(
        request,
        "registration/locked_out.html",
        {
            "minutes": minutes,
            "until": timezone.localtime() + cooloff if cooloff else None,
            "username": username,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "admins": [a.display_name or a.username for a in admins[:5]],
            "centre": city_centre,
        },
        status=429,
    )
