"""API serializers: thin, writes go through the services; personal data masked for roles that do not need it."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from network.masking import mask_id_number, mask_phone, sees_personal_data
from network.models import Place
from network.scope import CHANGE, VIEW
from stations.models import Station

from ..models import Assignment, Organisation, Qualification, Worker


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class ScopedChoicesMixin:
    """Related-object choices limited to what the caller may reach."""

    scoped_fields: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self)
        for name, (queryset, action) in self.scoped_fields.items():
            if user is not None and name in self.fields and hasattr(self.fields[name], "queryset"):
                self.fields[name].queryset = queryset().restrict(user, action)


class WorkerSerializer(ScopedChoicesMixin, serializers.ModelSerializer):
    highest_grade = serializers.SerializerMethodField(help_text="TGT-CERT: highest grade held today (null if none)")
    scoped_fields = {"place": (lambda: Place.objects.all(), CHANGE),
                     "organisation": (lambda: Organisation.objects.all(), VIEW)}

    class Meta:
        model = Worker
        fields = ["id", "name", "gender", "birth_date", "id_number", "phone", "education", "organisation", "place",
                  "highest_grade"]
        extra_kwargs = {"birth_date": {"required": False}, "gender": {"required": False},
                        "id_number": {"validators": []}}

    def get_highest_grade(self, obj) -> int | None:
        return getattr(obj, "grade_now", None)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not sees_personal_data(_user(self)):
            data["id_number"] = mask_id_number(data["id_number"])
            data["phone"] = mask_phone(data["phone"])
        return data


class QualificationSerializer(ScopedChoicesMixin, serializers.ModelSerializer):
    scoped_fields = {"worker": (lambda: Worker.objects.all(), CHANGE)}

    class Meta:
        model = Qualification
        fields = ["id", "worker", "grade", "certificate_no", "obtained_on", "registered_on", "revoked_on",
                  "revocation_reason"]
        extra_kwargs = {"certificate_no": {"validators": []}}


class OrganisationSerializer(ScopedChoicesMixin, serializers.ModelSerializer):
    scoped_fields = {"county": (lambda: Place.objects.filter(level="county"), CHANGE)}

    class Meta:
        model = Organisation
        fields = ["id", "name", "credit_code", "county", "registered_on", "scope_includes_social_work",
                  "service_fields", "incubation_base", "incubated_year", "contact_phone"]
        extra_kwargs = {"credit_code": {"validators": []}}


class AssignmentSerializer(ScopedChoicesMixin, serializers.ModelSerializer):
    scoped_fields = {"worker": (lambda: Worker.objects.all(), CHANGE),
                     "station": (lambda: Station.objects.all(), CHANGE),
                     "organisation": (lambda: Organisation.objects.all(), VIEW)}

    class Meta:
        model = Assignment
        fields = ["id", "worker", "station", "role", "organisation", "start_on", "end_on"]
        validators = []


def as_drf_error(exc: DjangoValidationError):
    return serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {
        "non_field_errors": exc.messages})
