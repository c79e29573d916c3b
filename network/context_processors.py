"""Navigation by role: the menu entries a user may open."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import Role

# (url name, label, roles allowed or None for every signed-in role)
MENU = [
    ("home", _("Home"), None),
    ("network:place_list", _("Places"), None),
    ("network:centre_list", _("Centres"), None),
    ("stations:station_list", _("Stations"), None),
    ("stations:room_list", _("Rooms"), None),
    ("stations:recipient_list", _("Recipients"), None),
    ("stations:record_list", _("Service records"), None),
    ("stations:follow_up_list", _("Follow-ups"), None),
    ("workforce:worker_list", _("Workforce"), None),
    ("workforce:assignment_list", _("Assignments"), None),
    ("workforce:organisation_list", _("Organisations"), None),
    ("reporting:dashboard", _("Dashboard"), None),
    ("network:user_list", _("Accounts"), {Role.CITY_ADMIN}),
    ("network:rule_settings", _("Rule settings"), {Role.CITY_ADMIN, Role.CITY_VIEWER}),
    ("network:division_import", _("Import divisions"), {Role.CITY_ADMIN}),
]


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for name, label, roles in MENU:
        if roles is not None and not (user.is_superuser or user.role in roles):
            continue
        url = reverse(name)
        items.append({"url": url, "label": label, "active": request.path.startswith(url) and url != "/"})
    return {"nav_items": items}
