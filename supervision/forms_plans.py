"""Forms of the county-plan pages. Thin: the rules are the services' (``supervision.services_plans``); dropdowns are
restricted by the scoped views."""

from django import forms
from django.utils.translation import gettext_lazy as _

from network.choices import PlaceLevel
from network.models import Place

from .models import CountyPlan, PlanVersion
from .rules_plans import SECTION_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CountyPlanForm(forms.ModelForm):
    class Meta:
        model = CountyPlan
        fields = ["county", "title", "first_year", "last_year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = Place.objects.filter(level=PlaceLevel.COUNTY)

    def validate_unique(self):
        return None  # the service names the duplicate (PLAN-1)


class PlanVersionForm(forms.ModelForm):
    """A draft's sections and its signed PDF (the service checks the upload and refuses a version past draft)."""

    class Meta:
        model = PlanVersion
        fields = [*SECTION_FIELDS, "change_note", "signed_pdf"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in SECTION_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_pdf"].widget = forms.FileInput(attrs={"accept": "application/pdf,.pdf"})


class PlanFileForm(forms.Form):
    filed_on = forms.DateField(
        label=_("Filed on"), widget=DATE, help_text=_("PLAN-1: the date the city filed the plan")
    )
    comments = forms.CharField(
        label=_("Remarks"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PlanReturnForm(forms.Form):
    comments = forms.CharField(
        label=_("City's comments"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the county must change before the plan can be filed"),
        required=False,
    )


class PlanReviseForm(forms.Form):
    change_note = forms.CharField(
        label=_("What changed"), required=False, max_length=300, help_text=_("What the new version will change")
    )


class PlanCompareForm(forms.Form):
    a = forms.ModelChoiceField(label=_("Version"), queryset=PlanVersion.objects.none())
    b = forms.ModelChoiceField(label=_("Compared with"), queryset=PlanVersion.objects.none())

    def __init__(self, *args, versions=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("a", "b"):
            self.fields[name].queryset = versions if versions is not None else PlanVersion.objects.none()
            self.fields[name].label_from_instance = lambda v: f"v{v.number} · {v.get_status_display()}"
