"""API serializers: thin, writes go through the services; personal data masked for roles that do not need it."""

from rest_framework import serializers

from network.choices import PlaceLevel
from network.masking import mask_id_number, mask_phone
from network.models import Place
from network.roles import sees_personal_data
from network.scoped_api import ScopedModelSerializer

from ..models import Assignment, Organisation, Qualification, Worker


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class WorkerSerializer(ScopedModelSerializer):
    highest_grade = serializers.SerializerMethodField(help_text="TGT-CERT: highest grade held today (null if none)")

    class Meta:
        model = Worker
        fields = [
            "id",
            "name",
            "gender",
            "birth_date",
            "id_number",
            "phone",
            "education",
            "organisation",
            "place",
            "highest_grade",
        ]
        extra_kwargs = {
            "birth_date": {"required": False},
            "gender": {"required": False},
            "id_number": {"validators": []},
        }

    def get_highest_grade(self, obj) -> int | None:
        return getattr(obj, "grade_now", None)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not sees_personal_data(_user(self)):
            data["id_number"] = mask_id_number(data["id_number"])
            data["phone"] = mask_phone(data["phone"])
        return data


class QualificationSerializer(ScopedModelSerializer):
    class Meta:
        model = Qualification
        fields = [
            "id",
            "worker",
            "grade",
            "certificate_no",
            "obtained_on",
            "registered_on",
            "revoked_on",
            "revocation_reason",
        ]
        extra_kwargs = {"certificate_no": {"validators": []}}


class OrganisationSerializer(ScopedModelSerializer):
    county = serializers.PrimaryKeyRelatedField(queryset=Place.objects.filter(level=PlaceLevel.COUNTY))

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "credit_code",
            "county",
            "registered_on",
            "scope_includes_social_work",
            "service_fields",
            "incubation_base",
            "incubated_year",
            "contact_phone",
        ]
        extra_kwargs = {"credit_code": {"validators": []}}


class AssignmentSerializer(ScopedModelSerializer):
    scope_change_fields = ("worker",)  # a worker is assigned by those who keep the worker's record

    class Meta:
        model = Assignment
        fields = ["id", "worker", "station", "role", "organisation", "start_on", "end_on"]
        validators = []
