"""Serializers of the training API (SUP-2, SUP-3). Writes go through ``supervision.services_training``."""

from rest_framework import serializers

from network.scoped_api import ScopedModelSerializer

from ..models import Attendance, Course, Trainer


class TrainerSerializer(serializers.ModelSerializer):
    """A trainer of the city's pool (SUP-3) with the fields taught."""

    class Meta:
        model = Trainer
        fields = ["id", "place", "name", "employer", "title", "fields", "specialities", "active"]


class CourseSerializer(ScopedModelSerializer):
    """A training course (SUP-2, SUP-3), written through ``services_training.course_save``."""

    class Meta:
        model = Course
        fields = [
            "id",
            "title",
            "kind",
            "field",
            "mode",
            "organiser_level",
            "place",
            "provider",
            "start_on",
            "end_on",
            "hours",
            "trainers",
            "venue",
        ]
        validators = []
        extra_kwargs = {"hours": {"validators": []}}


class AttendanceSerializer(ScopedModelSerializer):
    """A worker's attendance at a course on a day (SUP-2), written through ``services_training.attendance_save``
    (the day within the course's dates and not in the future, at most 24 hours a day for one person)."""

    worker_name = serializers.CharField(source="worker.name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "course", "worker", "worker_name", "attended_on", "hours", "note", "source"]
        read_only_fields = ["source"]
        validators = []
        extra_kwargs = {"hours": {"validators": []}}


class StandingSerializer(serializers.Serializer):
    """SUP-2: a stationed worker's training hours in the year against the hours required (pro rata)."""

    worker = serializers.IntegerField(source="worker_id")
    worker_name = serializers.CharField(source="worker.name")
    station = serializers.IntegerField(source="station_id", allow_null=True)
    year = serializers.IntegerField()
    as_of = serializers.DateField()
    stationed_days = serializers.IntegerField()
    required = serializers.DecimalField(max_digits=5, decimal_places=1)
    hours = serializers.DecimalField(max_digits=7, decimal_places=1)
    shortfall = serializers.DecimalField(max_digits=5, decimal_places=1)
    meets = serializers.BooleanField()
