from rest_framework import serializers

from network.models import Place
from stations.choices import SharedVenue, StationStatus
from stations.models import Room, Station, StationStatusChange


class ScopedPlaceField(serializers.PrimaryKeyRelatedField):
    """A place the caller may change (writes) — the dropdown of the API."""

    def __init__(self, level, **kwargs):
        self.level = level
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        qs = Place.objects.filter(level=self.level)
        return qs.restrict(request.user, "change") if request else qs.none()


class StatusChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = StationStatusChange
        fields = ["status", "effective_on", "note", "recorded_at"]


class StationSerializer(serializers.ModelSerializer):
    place = ScopedPlaceField(level="township")
    sign_text = serializers.CharField(read_only=True)
    shared_venues = serializers.ListField(child=serializers.ChoiceField(choices=SharedVenue.choices),
                                          required=False)
    initial_status = serializers.ChoiceField(choices=StationStatus.choices, write_only=True, required=False)
    initial_status_on = serializers.DateField(write_only=True, required=False)

    class Meta:
        model = Station
        fields = ["id", "place", "sign_text", "status", "has_venue", "has_equipment", "has_personnel",
                  "has_service_functions", "has_workflow", "has_rules", "independent_office", "shared_venues",
                  "is_demonstration", "address", "phone", "notes", "initial_status", "initial_status_on"]
        read_only_fields = ["status"]

    def validate(self, attrs):
        if self.instance is None and ("initial_status" not in attrs or "initial_status_on" not in attrs):
            raise serializers.ValidationError({"initial_status": "NET-3: a new station needs its initial status "
                                                                 "and the date it took effect."})
        if self.instance is not None and "place" in attrs and attrs["place"] != self.instance.place:
            raise serializers.ValidationError({"place": "A station's township cannot change."})
        return attrs


class RoomSerializer(serializers.ModelSerializer):
    place = ScopedPlaceField(level="village")

    class Meta:
        model = Room
        fields = ["id", "place", "status", "established_on", "in_party_mass_centre", "staffing_note"]
