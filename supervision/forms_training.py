"""Forms of the training pages. Thin: every rule is the service's (``supervision.services_training``); every
dropdown is restricted to what the user may reach (the scoped views call ``restrict_form_choices``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from network.choices import PlaceLevel
from network.models import Place
from workforce.models import Organisation, SpecialisationCategory, Worker

from .models import Attendance, Course, Trainer

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.place.name}）"


class CourseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title}（{obj.start_on:%Y-%m-%d}）"


class TrainerForm(forms.ModelForm):
    place = forms.ModelChoiceField(label=_("pool kept by"), queryset=Place.objects.none())
    fields = forms.ModelMultipleChoiceField(
        label=_("fields"),
        queryset=SpecialisationCategory.objects.order_by("-in_plan", "code"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("SUP-3: the fields the trainer teaches"),
    )

    class Meta:
        model = Trainer
        fields = ["place", "name", "employer", "title", "phone", "fields", "specialities", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.filter(level=PlaceLevel.CITY)

    def _post_clean(self):
        return None  # the service validates and saves


class CourseForm(forms.ModelForm):
    place = forms.ModelChoiceField(
        label=_("organising place"),
        queryset=Place.objects.none(),
        help_text=_("The city, or the county-level unit of a county's or a provider's course"),
    )
    provider = forms.ModelChoiceField(label=_("provider"), queryset=Organisation.objects.none(), required=False)
    trainers = forms.ModelMultipleChoiceField(
        label=_("trainers"), queryset=Trainer.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Course
        fields = [
            "title",
            "kind",
            "field",
            "mode",
            "organiser_level",
            "place",
            "provider",
            "start_on",
            "end_on",
            "hours",
            "trainers",
            "venue",
        ]
        widgets = {"start_on": DATE, "end_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.filter(level__in=[PlaceLevel.CITY, PlaceLevel.COUNTY])
        self.fields["provider"].queryset = Organisation.objects.order_by("name")
        self.fields["trainers"].queryset = Trainer.objects.filter(active=True).order_by("name")
        self.fields["field"].queryset = SpecialisationCategory.objects.order_by("-in_plan", "code")
        self.fields["hours"].validators = []

    def _post_clean(self):
        return None


class AttendanceForm(forms.ModelForm):
    course = CourseChoiceField(label=_("course"), queryset=Course.objects.none())
    worker = WorkerChoiceField(label=_("worker"), queryset=Worker.objects.none())

    class Meta:
        model = Attendance
        fields = ["course", "worker", "attended_on", "hours", "note"]
        widgets = {"attended_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.order_by("-start_on", "title")
        self.fields["worker"].queryset = Worker.objects.select_related("place").order_by("place_id", "name")
        self.fields["hours"].validators = []
        self.fields["attended_on"].required = False
        self.fields["attended_on"].help_text = _("A day of the course; blank for a one-day course")

    def _post_clean(self):
        return None
