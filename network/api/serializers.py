from rest_framework import serializers

from network.models import Centre, Place


class PlaceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = ["code", "name", "level", "kind", "parent", "is_functional_zone"]


class CentreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Centre
        fields = ["id", "level", "place", "name", "host", "address", "established_on", "contact_phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "place" in self.fields:
            self.fields["place"].queryset = Place.objects.restrict(request.user, "change")
