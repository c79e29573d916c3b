from django import forms
from django.utils.translation import gettext_lazy as _

from network.models import Place

from .choices import SharedVenue, StationStatus
from .models import Room, Station


class StationForm(forms.ModelForm):
    shared_venues = forms.MultipleChoiceField(label=_("Shared venues"), choices=SharedVenue.choices, required=False,
                                              widget=forms.CheckboxSelectMultiple,
                                              help_text=_("NET-3: venues the casework and group rooms are shared with"))

    class Meta:
        model = Station
        fields = ["place", "has_venue", "has_equipment", "has_personnel", "has_service_functions", "has_workflow",
                  "has_rules", "independent_office", "shared_venues", "is_demonstration", "address", "phone", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.filter(level="township").select_related("parent")
        if self.instance.pk:
            self.fields["place"].disabled = True


class StationCreateForm(StationForm):
    status = forms.ChoiceField(label=_("Initial status"), choices=StationStatus.choices)
    effective_on = forms.DateField(label=_("Status effective on"), widget=forms.DateInput(attrs={"type": "date"}))


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=StationStatus.choices)
    effective_on = forms.DateField(label=_("Effective on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["place", "status", "established_on", "in_party_mass_centre", "staffing_note"]
        widgets = {"established_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.filter(level="village").select_related("parent")
        if self.instance.pk:
            self.fields["place"].disabled = True


# ---------------------------------------------------------------- standardisation, recipients, services

from .choices import TargetGroup  # noqa: E402
from .models import CatalogueItem, FollowUpPlan, NeedsAssessment, Recipient, ServiceRecord  # noqa: E402

DATE = {"type": "date"}


class StandardConfirmForm(forms.Form):
    """TGT-STD: the officer's evidence for a standard check."""

    evidence_note = forms.CharField(label=_("Evidence note"), widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text=_("What you checked on site and where the records are kept"))
    evidence_file = forms.FileField(label=_("Photo or document"), required=False,
                                    help_text=_("Optional: jpg, png, pdf, docx or xlsx"))


class CatalogueItemForm(forms.ModelForm):
    class Meta:
        model = CatalogueItem
        fields = ["station", "field", "title", "description", "published"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = Station.objects.select_related("place__parent")


class RecipientForm(forms.ModelForm):
    target_groups = forms.MultipleChoiceField(label=_("Target groups"), choices=TargetGroup.choices,
                                              widget=forms.CheckboxSelectMultiple,
                                              help_text=_("SRV-1: one or more of the ten target groups"))

    class Meta:
        model = Recipient
        fields = ["name", "gender", "id_number", "phone", "village", "target_groups", "registered_on",
                  "household_notes"]
        widgets = {"registered_on": forms.DateInput(attrs=DATE), "household_notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Place.objects.filter(level="village").select_related("parent")


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = NeedsAssessment
        fields = ["assessed_on", "material", "material_notes", "psychological", "psychological_notes", "social",
                  "social_notes"]
        widgets = {"assessed_on": forms.DateInput(attrs=DATE),
                   "material_notes": forms.Textarea(attrs={"rows": 2}),
                   "psychological_notes": forms.Textarea(attrs={"rows": 2}),
                   "social_notes": forms.Textarea(attrs={"rows": 2})}


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUpPlan
        fields = ["due_on", "action", "worker"]
        widgets = {"due_on": forms.DateInput(attrs=DATE)}


class FollowUpDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=forms.DateInput(attrs=DATE))
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ServiceRecordForm(forms.ModelForm):
    class Meta:
        model = ServiceRecord
        fields = ["station", "kind", "served_on", "duration_hours", "workers", "recipients", "participant_count",
                  "volunteer_count", "volunteer_names", "charity_resources", "charity_value", "summary"]
        widgets = {"served_on": forms.DateInput(attrs=DATE), "volunteer_names": forms.Textarea(attrs={"rows": 2}),
                   "charity_resources": forms.Textarea(attrs={"rows": 2}), "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = Station.objects.select_related("place__parent")
        self.fields["recipients"].queryset = Recipient.objects.select_related("village")
        self.fields["participant_count"].required = False
        self.fields["participant_count"].help_text = _("Leave empty to count the recipients served")
        if not self.instance.pk:
            self.initial.pop("participant_count", None)
            self.fields["participant_count"].initial = None
        if self.instance.pk:
            self.fields["station"].disabled = True


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Excel workbook (.xlsx)"),
                           help_text=_("Use the template; every row is checked before anything is saved"))
