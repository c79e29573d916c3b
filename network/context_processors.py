"""What every page's frame shows: the menu by role with the current entry, breadcrumbs, the unread count."""

from .menu import breadcrumbs, menu_for
from .roles import may_use_pages


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated or not may_use_pages(user):
        return {"nav_groups": [], "breadcrumbs": [], "unread_notifications": 0}
    groups = menu_for(user, request.path)
    return {
        "nav_groups": groups,
        "breadcrumbs": breadcrumbs(groups, request.path),
        "unread_notifications": _unread(user),
    }


def _unread(user) -> int:
    from .models import Notification

    return Notification.objects.open_for(user).filter(read_at__isnull=True).count()
