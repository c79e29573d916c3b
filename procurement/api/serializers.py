"""API serializers: thin; pay lines are written through the service; no personal data beyond what the pages show
(workers by name, never their ID numbers)."""

from decimal import Decimal

from rest_framework import serializers

from network.scoped_api import ScopedModelSerializer

from ..choices import ProcurementMethod
from ..models import Bid, Contract, Evaluation, PayLine, Project
from ..rules import prc3_floor


class ProjectSerializer(ScopedModelSerializer):
    budget_total = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    procurement_method = serializers.ChoiceField(
        choices=ProcurementMethod.choices,
        allow_blank=True,
        read_only=True,
        help_text="Empty unless the project falls under formal government procurement",
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "number",
            "name",
            "county",
            "purchaser_kind",
            "purchaser",
            "stations",
            "service_start",
            "service_end",
            "budget_year",
            "fund_assistance",
            "fund_lottery",
            "fund_elderly",
            "fund_community",
            "fund_department",
            "budget_total",
            "formal_procurement",
            "procurement_method",
            "status",
        ]
        read_only_fields = fields


class BidSerializer(ScopedModelSerializer):
    quality_total = serializers.SerializerMethodField(help_text="PRC-1: the mean of the panel's criterion scores")

    class Meta:
        model = Bid
        fields = [
            "id",
            "project",
            "organisation",
            "price",
            "submitted_on",
            "score_capability",
            "score_team",
            "score_plan",
            "score_assurance",
            "score_record",
            "quality_total",
        ]
        read_only_fields = fields

    def get_quality_total(self, obj) -> str | None:
        from ..choices import QUALITY_FIELDS
        from ..rules import prc1_quality_total

        total = prc1_quality_total({f: getattr(obj, f) for f in QUALITY_FIELDS.values()})
        return None if total is None else str(total)


class ContractSerializer(ScopedModelSerializer):
    class Meta:
        model = Contract
        fields = [
            "id",
            "number",
            "project",
            "provider",
            "stations",
            "signed_on",
            "start_on",
            "end_on",
            "value",
            "management_fee",
            "supervision_budget",
            "planned_workers_per_station",
            "clause_staffing",
            "clause_content",
            "clause_objectives",
            "clause_funds",
            "clause_supervision",
            "clause_evaluation",
        ]
        read_only_fields = fields


class PayLineSerializer(ScopedModelSerializer):
    """A stationed worker's pay for a month (PRC-3), written through ``services.payline_save``."""

    worker_name = serializers.CharField(source="worker.name", read_only=True)
    grade = serializers.IntegerField(read_only=True, help_text="PRC-3: grade held on the first day of the month")
    floor = serializers.SerializerMethodField(help_text="PRC-3: the floor in yuan (null without a minimum wage)")
    meets_floor = serializers.BooleanField(read_only=True)

    class Meta:
        model = PayLine
        fields = [
            "id",
            "contract",
            "worker",
            "worker_name",
            "station",
            "month",
            "amount",
            "note",
            "grade",
            "floor",
            "meets_floor",
        ]
        read_only_fields = ["station"]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and "contract" in self.fields:
            from ..selectors import contracts_staffed_by

            # PRC-3: of the contracts the caller may see, only those whose pay the caller records.
            self.fields["contract"].queryset = contracts_staffed_by(user)

    def get_floor(self, obj) -> str | None:
        wage = getattr(obj, "wage", None)
        return None if wage is None else str(prc3_floor(getattr(obj, "grade", 0), wage).quantize(Decimal("0.01")))


class EvaluationSerializer(ScopedModelSerializer):
    class Meta:
        model = Evaluation
        fields = [
            "id",
            "contract",
            "kind",
            "evaluated_on",
            "score_management",
            "score_staffing",
            "score_services",
            "score_satisfaction",
            "score_funds",
            "score_supervision",
            "total",
            "findings",
        ]
        read_only_fields = fields
