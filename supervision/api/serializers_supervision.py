"""API serializers of supervision (SUP-1): thin; logs are written through ``services_supervision``; workers by name,
never their ID numbers."""

from rest_framework import serializers

from network.scoped_api import ScopedModelSerializer
from workforce.models import Assignment

from ..models import SupervisionLog


class SupervisionLogSerializer(ScopedModelSerializer):
    """A supervision session (SUP-1); ``hours`` is computed, ``counts`` says whether it counts for its month."""

    station_name = serializers.CharField(source="station.place.name", read_only=True)
    supervisor_name = serializers.CharField(source="supervisor.name", read_only=True)
    counts = serializers.SerializerMethodField(help_text="SUP-1: confirmed and at least the hours per visit")

    class Meta:
        model = SupervisionLog
        fields = [
            "id",
            "station",
            "station_name",
            "supervisor",
            "supervisor_name",
            "organisation",
            "held_on",
            "days",
            "start_time",
            "end_time",
            "hours",
            "method",
            "content",
            "follow_up",
            "workers_present",
            "status",
            "confirmed_at",
            "counts",
        ]
        read_only_fields = ["organisation", "hours", "status", "confirmed_at"]
        extra_kwargs = {"workers_present": {"required": False}}

    def get_counts(self, obj) -> bool:
        from ..choices_supervision import LogStatus
        from ..rules_supervision import Session, sup1_session_counts

        return sup1_session_counts(Session(obj.hours, obj.status == LogStatus.CONFIRMED))


class SupervisorStationSerializer(serializers.ModelSerializer):
    """A supervisor's station (SUP-1): a supervisor assignment, with the provider and the period."""

    supervisor = serializers.IntegerField(source="worker_id", read_only=True)
    supervisor_name = serializers.CharField(source="worker.name", read_only=True)
    station_name = serializers.CharField(source="station.place.name", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "supervisor",
            "supervisor_name",
            "station",
            "station_name",
            "organisation",
            "start_on",
            "end_on",
        ]
        read_only_fields = fields
