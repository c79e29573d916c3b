from rest_framework import serializers

from network.models import Centre, Place
from network.scoped_api import ScopedModelSerializer


class PlaceSerializer(ScopedModelSerializer):
    class Meta:
        model = Place
        fields = ["code", "name", "level", "kind", "parent", "is_functional_zone"]


class CentreSerializer(ScopedModelSerializer):
    class Meta:
        model = Centre
        fields = ["id", "level", "place", "name", "host", "address", "established_on", "contact_phone"]
        # One centre per place is answered by the service with the NET-1/NET-2 message.
        extra_kwargs = {"place": {"validators": []}}


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)
