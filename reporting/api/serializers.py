from rest_framework import serializers

from reporting.catalogue import BY_CODE
from reporting.models import IndicatorValue


class IndicatorSerializer(serializers.Serializer):
    """A catalogue entry (reporting.catalogue)."""

    code = serializers.CharField()
    rule = serializers.CharField(help_text="RULES.md ID the indicator measures")
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    definition = serializers.CharField()
    numerator = serializers.CharField()
    denominator = serializers.CharField()
    unit = serializers.CharField()
    kind = serializers.CharField()
    group = serializers.CharField()
    levels = serializers.ListField(child=serializers.CharField())
    additive = serializers.BooleanField()
    higher_is_better = serializers.BooleanField()
    targets = serializers.SerializerMethodField(help_text="Target per year from the rule settings in force")

    def get_targets(self, obj) -> dict[str, float | None]:
        years = self.context.get("years", range(2020, 2024))
        out = {}
        for y in years:
            t = obj.target(y)
            out[str(y)] = None if t is None else float(t)
        if obj.target_scale == "baseline":
            out["scale"] = "× the place's 2020 value"
        elif obj.target_scale == "counties":
            out["scale"] = "× county-level units (city)"
        return out


class IndicatorValueSerializer(serializers.ModelSerializer):
    place = serializers.CharField(source="place_id", help_text="12-digit division code")
    place_name = serializers.CharField(source="place.name", read_only=True)
    rule = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()
    computed_at = serializers.SerializerMethodField(help_text="The last run that computed this indicator")

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "rule", "place", "place_name", "level", "period", "period_kind", "as_of", "numerator",
                  "denominator", "value", "unit", "target", "status", "computed_at", "changed_at"]

    def get_rule(self, obj) -> str:
        ind = BY_CODE.get(obj.indicator)
        return ind.rule if ind else ""

    def get_computed_at(self, obj) -> str | None:
        at = self.context.get("computed_at", {}).get(obj.indicator)
        return at.isoformat() if at else None

    def get_unit(self, obj) -> str:
        ind = BY_CODE.get(obj.indicator)
        return str(ind.unit) if ind else ""
