"""API base viewsets going through the one scope primitive; writes are checked after the save."""

from django.db import transaction
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied

from network.scope import CHANGE, VIEW, can


class ScopedViewSetMixin:
    """``queryset`` is restricted to the caller's view scope: outside it, 404."""

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, VIEW)

    def _checked(self, save):
        with transaction.atomic():
            instance = save()
            if not can(self.request.user, CHANGE, instance):
                raise PermissionDenied("The result would lie outside the places you may change.")
        return instance

    def perform_create(self, serializer):
        self._checked(lambda: self.create_instance(serializer))

    def perform_update(self, serializer):
        self._checked(lambda: self.update_instance(serializer))

    def create_instance(self, serializer):
        """Viewsets with a workflow override this to call their service."""
        return serializer.save()

    def update_instance(self, serializer):
        return serializer.save()


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
