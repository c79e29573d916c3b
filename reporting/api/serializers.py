from django.utils import timezone
from rest_framework import serializers

from reporting.catalogue import BY_CODE
from reporting.models import IndicatorValue


class IndicatorSerializer(serializers.Serializer):
    """A catalogue entry (reporting.catalogue)."""

    code = serializers.CharField()
    rule = serializers.CharField(help_text="RULES.md ID the indicator measures")
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    definition = serializers.CharField(source="definition_text", help_text="With the numbers of the rule settings")
    rule_text = serializers.SerializerMethodField(help_text="The rule as RULES.md states it, numbers in force")
    numerator = serializers.CharField()
    denominator = serializers.CharField()
    unit = serializers.CharField()
    kind = serializers.CharField()
    group = serializers.CharField()
    levels = serializers.ListField(child=serializers.CharField())
    additive = serializers.BooleanField()
    higher_is_better = serializers.BooleanField()
    targets = serializers.SerializerMethodField(help_text="Target per year from the rule settings in force")
    target_scale = serializers.SerializerMethodField(
        help_text="How a place's target follows from `targets`: null (as given), `baseline` (× the place's 2020 "
        "value) or `counties` (× the county-level units, for the city)"
    )

    def get_rule_text(self, obj) -> str:
        from reporting.catalogue import rule_text

        return rule_text(obj.rule)

    def get_targets(self, obj) -> dict[str, float | None]:
        years = self.context.get("years", range(2020, 2024))
        return {str(y): None if obj.target(y) is None else float(obj.target(y)) for y in years}

    def get_target_scale(self, obj) -> str | None:
        return obj.target_scale or None


class IndicatorValueSerializer(serializers.ModelSerializer):
    place = serializers.CharField(source="place_id", help_text="12-digit division code")
    place_name = serializers.CharField(source="place.name", read_only=True)
    rule = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()
    computed_at = serializers.SerializerMethodField(help_text="The last run that computed this indicator")

    class Meta:
        model = IndicatorValue
        fields = [
            "indicator",
            "rule",
            "place",
            "place_name",
            "level",
            "period",
            "period_kind",
            "as_of",
            "numerator",
            "denominator",
            "value",
            "unit",
            "target",
            "status",
            "computed_at",
            "changed_at",
        ]

    def get_rule(self, obj) -> str:
        ind = BY_CODE.get(obj.indicator)
        return ind.rule if ind else ""

    def get_computed_at(self, obj) -> str | None:
        at = self.context.get("computed_at", {}).get(obj.indicator)
        return timezone.localtime(at).isoformat() if at else None  # the API's one timezone, +08:00

    def get_unit(self, obj) -> str:
        ind = BY_CODE.get(obj.indicator)
        return str(ind.unit) if ind else ""
