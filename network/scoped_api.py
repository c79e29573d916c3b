"""API base viewsets going through the one scope primitive; writes are checked after the save."""

from django.db import transaction
from django.utils.cache import patch_cache_control
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from network.choices import PersonalDataAction
from network.masking import sees_personal_data
from network.personal_data import personal_data_event_record
from network.scope import CHANGE, VIEW, can, choice_action, restrict_choices


def as_drf_error(exc):
    """A service's Django ValidationError as DRF's (400 with the messages by field)."""
    return serializers.ValidationError(
        exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    )


class ScopedSerializerMixin:
    """Every related field of the serializer offers only what the caller may reach, through the one primitive,
    as the forms' dropdowns do (``network.scope.choice_action``: the field placing the record, and any named in
    ``scope_change_fields``, what the caller may change; every other one what the caller may see). An id outside
    that answers 400 on its field, like a missing one."""

    scope_change_fields: tuple[str, ...] = ()

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        model = getattr(getattr(self, "Meta", None), "model", None)
        for name, field in fields.items():
            if field.read_only:
                continue
            target = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
            if isinstance(target, serializers.RelatedField) and target.queryset is not None:
                action = choice_action(model, name, write=True, change_fields=self.scope_change_fields)
                target.queryset = restrict_choices(target.queryset, user, action)
        return fields


class ScopedModelSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """The base of every writable serializer of the portal."""


class ScopedViewSetMixin:
    """``queryset`` is restricted to the caller's view scope: outside it, 404.

    ``personal_data = True``: the records carry ID numbers and phones; a personal-data role's read of
    them is recorded (PIPL Art. 51) and the answer is marked Cache-Control: no-store."""

    personal_data = False

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, VIEW)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.personal_data and request.method == "GET" and sees_personal_data(request.user):
            patch_cache_control(response, no_store=True, private=True)
            if response.status_code == 200 and isinstance(response.data, dict | list):
                data = response.data
                items = data if isinstance(data, list) else data.get("results", [data])
                ids = [item["id"] for item in items if isinstance(item, dict) and "id" in item]
                if ids:
                    personal_data_event_record(
                        user=request.user,
                        action=PersonalDataAction.API,
                        subject=str(self.queryset.model._meta.verbose_name_plural),
                        object_ids=ids,
                        request=request,
                    )
        return response

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


class ScopedUpdateViewSet(ScopedViewSetMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Read and change, never create here: records opened only through another resource's action (no POST
    route, so the schema offers none)."""

    http_method_names = ["get", "post", "put", "patch", "head", "options"]


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
