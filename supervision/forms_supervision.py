"""Forms of the supervision pages (SUP-1). Thin: every rule is the service's; every dropdown is restricted to what
the user may reach (the scoped views call ``restrict_form_choices``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stations.models import Station
from workforce.models import Worker

from .models import SupervisionLog, SupervisionPlan

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class StationField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.place.name


class SupervisionLogForm(forms.ModelForm):
    station = StationField(label=_("station"), queryset=Station.objects.none())

    class Meta:
        model = SupervisionLog
        fields = [
            "station",
            "supervisor",
            "held_on",
            "days",
            "start_time",
            "end_time",
            "method",
            "content",
            "workers_present",
            "follow_up",
        ]
        widgets = {
            "held_on": DATE,
            "start_time": TIME,
            "end_time": TIME,
            "content": forms.Textarea(attrs={"rows": 4}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
            "workers_present": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = Station.objects.select_related("place").order_by("place_id")
        self.fields["supervisor"].queryset = Worker.objects.filter(assignments__role="supervisor").distinct()
        self.fields["workers_present"].queryset = Worker.objects.filter(assignments__role="stationed").distinct()
        self.fields["workers_present"].required = False


class SupervisionPlanForm(forms.ModelForm):
    class Meta:
        model = SupervisionPlan
        fields = ["organisation", "contract", "start_on", "end_on", "sessions_per_month", "note"]
        widgets = {"start_on": DATE, "end_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}


class PlanStationForm(forms.Form):
    """SUP-1: add a station to one of the plan's supervisors."""

    worker = forms.ModelChoiceField(label=_("supervisor"), queryset=Worker.objects.none())
    station = StationField(label=_("station"), queryset=Station.objects.none())
    start_on = forms.DateField(label=_("supervises from"), widget=DATE)
    end_on = forms.DateField(label=_("supervises until"), widget=DATE, required=False)

    def __init__(self, *args, plan, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = Worker.objects.restrict(user).filter(organisation_id=plan.organisation_id)
        stations = Station.objects.restrict(user, "change").select_related("place").order_by("place_id")
        if plan.contract_id:
            stations = stations.filter(contracts=plan.contract_id)
        else:
            stations = stations.filter(place__parent_id=plan.county_id)
        self.fields["station"].queryset = stations
        self._portal_scoped = True


class ConfirmForm(forms.Form):
    """The station's confirmation: one button."""
