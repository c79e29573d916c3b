"""The API's one permission class: authenticated, read-only roles read only, writes inside scope."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from network.roles import may_write
from network.scope import CHANGE, can


class ScopedPermission(BasePermission):
    """Object visibility is the viewset's restricted queryset (outside scope = 404); this class
    answers 403 for a write by a read-only role or on an object the user may see but not change."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return True
        return may_write(user)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return can(request.user, CHANGE, obj)
