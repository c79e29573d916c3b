from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from liuzhou_social.validators import validate_id_number
from network.masking import mask_id_number, mask_phone
from network.models import Place
from network.roles import sees_personal_data
from network.scoped_api import ScopedModelSerializer
from stations.choices import SharedVenue, StationStatus, TargetGroup
from stations.models import Recipient, Room, ServiceRecord, Station, StationStatusChange


def place_field(level: str):
    """A place of the level; the serializer limits it to the caller's places (``ScopedModelSerializer``)."""
    return serializers.PrimaryKeyRelatedField(queryset=Place.objects.filter(level=level))


class StatusChangeSerializer(ScopedModelSerializer):
    class Meta:
        model = StationStatusChange
        fields = ["status", "effective_on", "note", "recorded_at"]


class StationSerializer(ScopedModelSerializer):
    place = place_field("township")
    sign_text = serializers.CharField(read_only=True)
    shared_venues = serializers.ListField(child=serializers.ChoiceField(choices=SharedVenue.choices), required=False)
    initial_status = serializers.ChoiceField(choices=StationStatus.choices, write_only=True, required=False)
    initial_status_on = serializers.DateField(write_only=True, required=False)
    six_haves_on = serializers.DateField(
        write_only=True, required=False, help_text="NET-3: when a change of the six haves took effect (default today)"
    )
    standard_met = serializers.SerializerMethodField(
        help_text="TGT-STD: every item of the standard check passes today (the rule the indicator counts)"
    )
    standard_missing = serializers.SerializerMethodField(help_text="TGT-STD: the items that do not pass today")

    class Meta:
        model = Station
        fields = [
            "id",
            "place",
            "sign_text",
            "status",
            "has_venue",
            "has_equipment",
            "has_personnel",
            "has_service_functions",
            "has_workflow",
            "has_rules",
            "independent_office",
            "shared_venues",
            "is_demonstration",
            "standard_met",
            "standard_missing",
            "address",
            "phone",
            "notes",
            "initial_status",
            "initial_status_on",
            "six_haves_on",
        ]
        read_only_fields = ["status"]

    def _standard(self, obj):
        from stations.rules import tgt_std_check

        cache = self.context.setdefault("_standard", {})
        if obj.pk not in cache:
            cache[obj.pk] = tgt_std_check(station=obj)
        return cache[obj.pk]

    def get_standard_met(self, obj) -> bool:
        met = getattr(obj, "standard_met", None)  # the list's SQL annotation, same rule
        return self._standard(obj).met if met is None else bool(met)

    def get_standard_missing(self, obj) -> list[str]:
        from stations.rules import standard_items
        from stations.selectors import STANDARD_ITEM_PREFIX

        annotated = [getattr(obj, STANDARD_ITEM_PREFIX + s.code, None) for s in standard_items()]
        if getattr(obj, "standard_met", None) is not None and None not in annotated:  # the list's SQL, same rule
            return [s.code for s, ok in zip(standard_items(), annotated, strict=True) if not ok]
        return [i.item for i in self._standard(obj).missing]

    def validate(self, attrs):
        if self.instance is None and ("initial_status" not in attrs or "initial_status_on" not in attrs):
            raise serializers.ValidationError(
                {"initial_status": "NET-3: a new station needs its initial status and the date it took effect."}
            )
        if self.instance is not None and "place" in attrs and attrs["place"] != self.instance.place:
            raise serializers.ValidationError({"place": "A station's township cannot change."})
        return attrs


class RoomSerializer(ScopedModelSerializer):
    place = place_field("village")

    class Meta:
        model = Room
        fields = ["id", "place", "status", "established_on", "in_party_mass_centre", "staffing_note"]


# ---------------------------------------------------------------- recipients and service records


class RecipientSerializer(ScopedModelSerializer):
    """A service recipient (SRV-1). ``id_number`` and ``phone`` are masked for roles outside personal-data roles."""

    village = place_field("village")
    target_groups = serializers.ListField(child=serializers.ChoiceField(choices=TargetGroup.choices), allow_empty=False)
    station = serializers.CharField(source="village.parent_id", read_only=True)

    class Meta:
        model = Recipient
        fields = [
            "id",
            "name",
            "gender",
            "id_number",
            "phone",
            "village",
            "station",
            "target_groups",
            "household_notes",
            "registered_on",
        ]
        # The uniqueness check is the service's, which answers a taken number without revealing who holds it.
        extra_kwargs = {"id_number": {"validators": [validate_id_number]}}

    def validate_id_number(self, value):
        from stations.services import normalise_id, recipient_validate_id_number_free

        request = self.context.get("request")
        probe = Recipient(pk=getattr(self.instance, "pk", None), id_number=normalise_id(value))
        try:
            recipient_validate_id_number_free(recipient=probe, user=request.user if request else None)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["id_number"]) from None
        return value

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if not sees_personal_data(request.user if request else None):
            data["id_number"] = mask_id_number(data["id_number"])
            data["phone"] = mask_phone(data["phone"])
        return data


class ServiceRecordSerializer(ScopedModelSerializer):
    """SRV-3/SRV-4: one service with its workers, recipients, volunteers and charity resources."""

    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all())
    # The worker model is reached through the relation: stations never imports workforce (layering).
    workers = serializers.PrimaryKeyRelatedField(
        queryset=ServiceRecord.workers.field.related_model.objects.all(), many=True, required=False
    )
    recipients = serializers.PrimaryKeyRelatedField(queryset=Recipient.objects.all(), many=True, required=False)
    participant_count = serializers.IntegerField(min_value=0, required=False, allow_null=True)

    class Meta:
        model = ServiceRecord
        fields = [
            "id",
            "station",
            "kind",
            "served_on",
            "duration_hours",
            "workers",
            "recipients",
            "participant_count",
            "volunteer_count",
            "volunteer_names",
            "charity_resources",
            "charity_value",
            "summary",
        ]

    def validate(self, attrs):
        if self.instance is not None and "station" in attrs and attrs["station"] != self.instance.station:
            raise serializers.ValidationError({"station": "A service record's station cannot change."})
        return attrs


__all__ = [
    "RecipientSerializer",
    "RoomSerializer",
    "ServiceRecordSerializer",
    "StationSerializer",
    "StatusChangeSerializer",
    "extend_schema_field",
]
