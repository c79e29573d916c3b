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
