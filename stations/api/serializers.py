from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from network.masking import mask_id_number, mask_phone, sees_personal_data
from network.models import Place
from stations.choices import SharedVenue, StationStatus, TargetGroup
from stations.models import Recipient, Room, ServiceRecord, Station, StationStatusChange
from workforce.models import Worker


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
                  "is_demonstration", "standardised_on", "address", "phone", "notes", "initial_status",
                  "initial_status_on"]
        read_only_fields = ["status", "standardised_on"]

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


# ---------------------------------------------------------------- recipients and service records




class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A related record the caller may see (writes check the change scope after the save)."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.model.objects.restrict(request.user) if request else self.model.objects.none()


class RecipientSerializer(serializers.ModelSerializer):
    """A service recipient (SRV-1). ``id_number`` and ``phone`` are masked for roles outside personal-data roles."""

    village = ScopedPlaceField(level="village")
    target_groups = serializers.ListField(child=serializers.ChoiceField(choices=TargetGroup.choices),
                                          allow_empty=False)
    station = serializers.CharField(source="village.parent_id", read_only=True)

    class Meta:
        model = Recipient
        fields = ["id", "name", "gender", "id_number", "phone", "village", "station", "target_groups",
                  "household_notes", "registered_on"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if not sees_personal_data(request.user if request else None):
            data["id_number"] = mask_id_number(data["id_number"])
            data["phone"] = mask_phone(data["phone"])
        return data


class ServiceRecordSerializer(serializers.ModelSerializer):
    """SRV-3/SRV-4: one service with its workers, recipients, volunteers and charity resources."""

    station = ScopedRelatedField(Station)
    workers = ScopedRelatedField(Worker, many=True, required=False)
    recipients = ScopedRelatedField(Recipient, many=True, required=False)
    participant_count = serializers.IntegerField(min_value=0, required=False, allow_null=True)

    class Meta:
        model = ServiceRecord
        fields = ["id", "station", "kind", "served_on", "duration_hours", "workers", "recipients",
                  "participant_count", "volunteer_count", "volunteer_names", "charity_resources", "charity_value",
                  "summary"]

    def validate(self, attrs):
        if self.instance is not None and "station" in attrs and attrs["station"] != self.instance.station:
            raise serializers.ValidationError({"station": "A service record's station cannot change."})
        return attrs


__all__ = ["RecipientSerializer", "RoomSerializer", "ServiceRecordSerializer", "StationSerializer",
           "StatusChangeSerializer", "extend_schema_field"]
