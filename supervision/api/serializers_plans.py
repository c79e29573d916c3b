"""API serializers of the county plans (PLAN-1, SUP-4): thin; every write goes through ``services_plans``."""

from rest_framework import serializers

from network.scoped_api import ScopedModelSerializer

from ..models import CountyPlan, PlanVersion
from ..rules_plans import SECTION_FIELDS


class CountyPlanSerializer(ScopedModelSerializer):
    latest_number = serializers.IntegerField(read_only=True, allow_null=True, help_text="The latest version's number")
    latest_status = serializers.CharField(read_only=True, allow_null=True, help_text="The latest version's status")
    in_force_number = serializers.IntegerField(
        source="in_force.number", read_only=True, allow_null=True, help_text="PLAN-1: the version in force"
    )
    filed_on = serializers.DateField(
        source="in_force.filed_on", read_only=True, allow_null=True, help_text="PLAN-1: when it was filed"
    )

    class Meta:
        model = CountyPlan
        fields = [
            "id",
            "county",
            "title",
            "first_year",
            "last_year",
            "in_force",
            "in_force_number",
            "filed_on",
            "latest_number",
            "latest_status",
            "created_at",
        ]
        read_only_fields = ["id", "in_force", "created_at"]
        validators: list = []  # the service names a duplicate (PLAN-1)


class PlanVersionSerializer(ScopedModelSerializer):
    """A version's sections are written while it is a draft (PATCH, multipart for the signed PDF); the workflow
    moves through the actions ``submit``, ``file``, ``return`` only."""

    signed_pdf = serializers.FileField(required=False, allow_null=True, use_url=False)

    class Meta:
        model = PlanVersion
        fields = [
            "id",
            "plan",
            "number",
            "status",
            "based_on",
            *SECTION_FIELDS,
            "change_note",
            "signed_pdf",
            "created_at",
            "submitted_at",
            "decided_at",
            "filed_on",
            "comments",
        ]
        read_only_fields = [
            "id",
            "plan",
            "number",
            "status",
            "based_on",
            "created_at",
            "submitted_at",
            "decided_at",
            "filed_on",
            "comments",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["signed_pdf"] = bool(instance.signed_pdf)  # whether attached; the file itself is served by the page
        return data


class PlanFileSerializer(serializers.Serializer):
    filed_on = serializers.DateField(required=False, help_text="PLAN-1: the filing date (today by default)")
    comments = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class PlanReturnSerializer(serializers.Serializer):
    comments = serializers.CharField(
        required=False, allow_blank=True, max_length=4000, help_text="PLAN-1: why the plan is returned (required)"
    )


class PlanReviseSerializer(serializers.Serializer):
    change_note = serializers.CharField(required=False, allow_blank=True, max_length=300)
