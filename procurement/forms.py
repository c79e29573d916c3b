"""Forms of the procurement pages. Thin: every rule is the service's (``procurement.services``); every dropdown is
restricted to what the user may reach (the scoped views call ``restrict_form_choices``; the dropdowns that depend on
a record are narrowed again by the views). Text is checked by the portal-wide hook (liuzhou_social/text.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from network.choices import PlaceLevel, Role
from network.models import Place, User
from stations.models import Station
from workforce.choices import AssignmentRole
from workforce.models import Assignment, Organisation, Worker

from .choices import EVALUATION_FIELDS, QUALITY_FIELDS, EvaluationCriterion, EvaluationKind, QualityCriterion
from .models import Bid, BidTeamMember, Contract, CountyFund, EvaluationTeam, MinimumWage, PayLine, Project

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d", "%Y/%m", "%Y年%m月"]


class StationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.place.name


class ProjectForm(forms.ModelForm):
    stations = StationChoiceField(
        label=_("stations covered"), queryset=Station.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Project
        fields = [
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
            "formal_procurement",
            "procurement_method",
            "description",
        ]
        widgets = {"service_start": DATE, "service_end": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = Place.objects.filter(level=PlaceLevel.COUNTY)
        self.fields["stations"].queryset = Station.objects.select_related("place").order_by("place_id")
        self.fields["purchaser"].required = False
        self.fields["purchaser"].help_text = _("Empty: the county civil-affairs bureau")
        self.fields["budget_year"].required = False
        self.fields["budget_year"].help_text = _("FUND-1: empty for the year the service starts")

    def validate_unique(self):
        return None


class CountyFundForm(forms.ModelForm):
    class Meta:
        model = CountyFund
        fields = ["county", "year", "assistance_funds", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = Place.objects.filter(level=PlaceLevel.COUNTY)

    def validate_unique(self):
        return None


class MinimumWageForm(forms.ModelForm):
    class Meta:
        model = MinimumWage
        fields = ["year", "monthly", "is_demo_value", "note"]

    def validate_unique(self):
        return None


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.credit_code}）"


class BidForm(forms.ModelForm):
    organisation = OrganisationChoiceField(label=_("bidder"), queryset=Organisation.objects.none())

    class Meta:
        model = Bid
        fields = ["organisation", "price", "submitted_on", "summary"]
        widgets = {"submitted_on": DATE, "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        # The service refuses a price of 0 or below with the rule's message.
        self.fields["price"].validators = []

    def validate_unique(self):
        return None

    def _post_clean(self):
        return None  # the service validates and saves


def _score_field(label):
    return forms.DecimalField(label=label, max_digits=6, decimal_places=2, help_text=_("0–100"))


class BidScoreForm(forms.Form):
    """PRC-1: the panel's score of each capability and quality criterion (0–100)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in QualityCriterion:
            self.fields[QUALITY_FIELDS[criterion]] = _score_field(criterion.label)


class BidTeamMemberForm(forms.ModelForm):
    class Meta:
        model = BidTeamMember
        fields = ["name", "grade", "age_band", "education"]


class AwardForm(forms.Form):
    """PRC-1: the award step."""

    bid = forms.ModelChoiceField(label=_("winning bid"), queryset=Bid.objects.none(), widget=forms.RadioSelect)
    reason = forms.CharField(label=_("reasons for the decision"), max_length=2000, widget=forms.Textarea)
    departure_reason = forms.CharField(
        label=_("why not the bid ranked first"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("PRC-1: required when the bid chosen is not the one ranked first"),
    )

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        if project is not None:
            self.fields["bid"].queryset = project.bids.select_related("organisation")
            self.fields["bid"].label_from_instance = lambda b: f"{b.organisation.name} · {b.price:,.2f}"


class ContractForm(forms.ModelForm):
    stations = StationChoiceField(
        label=_("stations"), queryset=Station.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Contract
        fields = [
            "signed_on",
            "start_on",
            "end_on",
            "stations",
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
        widgets = {"signed_on": DATE, "start_on": DATE, "end_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        county = self.instance.project.county if self.instance.pk else None
        qs = Station.objects.select_related("place").order_by("place_id")
        self.fields["stations"].queryset = qs.filter(place__code__startswith=county.code[:6]) if county else qs
        for name in ("value", "management_fee", "supervision_budget"):
            self.fields[name].validators = []

    def _post_clean(self):
        return None  # the service validates and saves


class AssignmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.worker.name} · {obj.station.place.name} · {obj.start_on:%Y-%m-%d}"


class ContractAssignmentForm(forms.Form):
    """PRC-2: link a stationed worker's assignment to the contract that employs them."""

    assignment = AssignmentChoiceField(label=_("stationed worker's assignment"), queryset=Assignment.objects.none())

    def __init__(self, *args, contract=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if contract is not None and user is not None:
            self.fields["assignment"].queryset = (
                Assignment.objects.restrict(user)
                .filter(role=AssignmentRole.STATIONED, station__in=contract.stations.all(), contract_link__isnull=True)
                .select_related("worker", "station__place")
                .order_by("station__place_id", "worker__name")
            )


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.place.name}）"


class ContractChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} · {obj.provider.name}"


class PayLineForm(forms.ModelForm):
    contract = ContractChoiceField(label=_("contract"), queryset=Contract.objects.none())
    worker = WorkerChoiceField(label=_("worker"), queryset=Worker.objects.none())
    month = forms.DateField(
        label=_("month"),
        input_formats=MONTH_FORMATS,
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("The month paid, e.g. 2026-11"),
    )

    class Meta:
        model = PayLine
        fields = ["contract", "worker", "month", "amount", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = Contract.objects.select_related("provider").order_by("-start_on")
        self.fields["worker"].queryset = (
            Worker.objects.select_related("place").filter(assignments__contract_link__isnull=False).distinct()
        )
        self.fields["amount"].validators = []

    def _post_clean(self):
        return None  # the service validates and saves


class EvaluationTeamForm(forms.ModelForm):
    organisation = OrganisationChoiceField(label=_("third-party organisation"), queryset=Organisation.objects.none())

    class Meta:
        model = EvaluationTeam
        fields = ["organisation", "purchaser_members", "start_on", "end_on"]
        widgets = {"start_on": DATE, "end_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")

    def _post_clean(self):
        return None


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.organisation.name} · {obj.purchaser_members}"


class EvaluationForm(forms.Form):
    """PRC-4: the evaluation step."""

    team = TeamChoiceField(label=_("evaluation team"), queryset=EvaluationTeam.objects.none())
    kind = forms.ChoiceField(label=_("kind"), choices=EvaluationKind.choices)
    evaluated_on = forms.DateField(label=_("evaluated on"), widget=DATE)
    findings = forms.CharField(label=_("findings"), max_length=4000, required=False, widget=forms.Textarea)

    def __init__(self, *args, contract=None, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in EvaluationCriterion:
            self.fields[EVALUATION_FIELDS[criterion]] = _score_field(criterion.label)
        self.order_fields(["team", "kind", "evaluated_on", *EVALUATION_FIELDS.values(), "findings"])
        if contract is not None:
            self.fields["team"].queryset = EvaluationTeam.objects.filter(project=contract.project).select_related(
                "organisation"
            )


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.username} · {obj.get_role_display()} · {obj}"


class OrganisationAccountForm(forms.Form):
    user = AccountChoiceField(label=_("account"), queryset=User.objects.none())
    organisation = OrganisationChoiceField(label=_("organisation"), queryset=Organisation.objects.none())

    def __init__(self, *args, request_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            role__in=[Role.PROVIDER_STAFF, Role.EVALUATOR], is_active=True
        ).order_by("username")
        if request_user is not None:
            from network.scope import CHANGE

            self.fields["organisation"].queryset = Organisation.objects.restrict(request_user, CHANGE).order_by("name")
