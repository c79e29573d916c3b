from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuzhou_social.validators import validate_phone
from network.models import Place

from .choices import SharedVenue, StationStatus
from .models import Room, Station
from .rules import service_workers_allowed


class StationForm(forms.ModelForm):
    shared_venues = forms.MultipleChoiceField(
        label=_("Shared venues"),
        choices=SharedVenue.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("NET-3: venues the casework and group rooms are shared with"),
    )

    class Meta:
        model = Station
        fields = [
            "place",
            "has_venue",
            "has_equipment",
            "has_personnel",
            "has_service_functions",
            "has_workflow",
            "has_rules",
            "independent_office",
            "shared_venues",
            "is_demonstration",
            "address",
            "phone",
            "notes",
        ]

    six_haves_on = forms.DateField(
        label=_("Six haves changed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("NET-3: when a change of the six haves took effect; empty: today. Earlier dates keep theirs."),
    )

    def __init__(self, *args, **kwargs):
        from network.rule_settings import rule_int

        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.filter(level="township").select_related("parent")
        if self.instance.pk:
            self.fields["place"].disabled = True
        self.fields["phone"].validators.append(validate_phone)  # as the station import checks it
        self.fields["is_demonstration"].help_text = _(
            "NET-2: each county cultivates %(a)s–%(b)s demonstration stations"
        ) % {
            "a": rule_int("NET-2.demonstration_min"),
            "b": rule_int("NET-2.demonstration_max"),
        }


class StationCreateForm(StationForm):
    """A new station: its six haves are recorded from the date of its initial status."""

    six_haves_on = None
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

    def clean_established_on(self):
        from .services import room_validate_established_on

        value = self.cleaned_data.get("established_on")
        _raise_messages(room_validate_established_on, value)
        return value


def _raise_messages(rule, *args, **kwargs):
    """Run a service rule and raise its messages as this field's error (the import shows the same messages)."""
    from django.core.exceptions import ValidationError

    try:
        rule(*args, **kwargs)
    except ValidationError as exc:
        raise forms.ValidationError(exc.messages) from None


# ---------------------------------------------------------------- standardisation, recipients, services

from .choices import TargetGroup  # noqa: E402
from .models import CatalogueItem, FollowUpPlan, NeedsAssessment, Recipient, ServiceRecord  # noqa: E402

DATE = {"type": "date"}


class StandardConfirmForm(forms.Form):
    """TGT-STD: the officer's evidence for a standard check."""

    evidence_note = forms.CharField(
        label=_("Evidence note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you checked on site and where the records are kept"),
    )
    evidence_file = forms.FileField(
        label=_("Photo or document"), required=False, help_text=_("Optional: jpg, png, pdf, docx or xlsx")
    )


class CatalogueItemForm(forms.ModelForm):
    class Meta:
        model = CatalogueItem
        fields = ["station", "field", "title", "description", "published_on", "withdrawn_on"]
        widgets = {"published_on": forms.DateInput(attrs=DATE), "withdrawn_on": forms.DateInput(attrs=DATE)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = Station.objects.select_related("place__parent")
        if self.instance.pk:
            self.fields["station"].disabled = True


class RecipientForm(forms.ModelForm):
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        choices=TargetGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,  # the SRV-1 rule below says what is missing, as the import does
        help_text=_("SRV-1: one or more of the ten target groups"),
    )

    class Meta:
        model = Recipient
        fields = [
            "name",
            "gender",
            "id_number",
            "phone",
            "village",
            "target_groups",
            "registered_on",
            "household_notes",
        ]
        widgets = {"registered_on": forms.DateInput(attrs=DATE), "household_notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Place.objects.filter(level="village").select_related("parent")

    def clean_id_number(self):
        # One person, one record (SRV-1), answered before any transaction: the refusal of a number held
        # outside the user's places is recorded even though nothing is saved.
        from .services import normalise_id, recipient_validate_id_number_free

        value = normalise_id(self.cleaned_data.get("id_number", ""))
        probe = Recipient(pk=self.instance.pk, id_number=value)
        try:
            recipient_validate_id_number_free(recipient=probe, user=getattr(self, "portal_user", None))
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["id_number"]) from None
        return value

    def validate_unique(self):
        return None  # clean_id_number and the service answer a taken number

    def clean_target_groups(self):
        from .services import recipient_validate_target_groups

        values = self.cleaned_data.get("target_groups") or []
        _raise_messages(recipient_validate_target_groups, values)
        return values


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = NeedsAssessment
        fields = [
            "assessed_on",
            "material",
            "material_notes",
            "psychological",
            "psychological_notes",
            "social",
            "social_notes",
        ]
        widgets = {
            "assessed_on": forms.DateInput(attrs=DATE),
            "material_notes": forms.Textarea(attrs={"rows": 2}),
            "psychological_notes": forms.Textarea(attrs={"rows": 2}),
            "social_notes": forms.Textarea(attrs={"rows": 2}),
        }


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUpPlan
        fields = ["due_on", "action", "worker"]
        widgets = {"due_on": forms.DateInput(attrs=DATE)}


class FollowUpDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=forms.DateInput(attrs=DATE))
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def worker_label(worker) -> str:
    """A worker in a picker: the name and what tells two people of one name apart (township, birth year)."""
    year = worker.birth_date.year if getattr(worker, "birth_date", None) else "—"
    return _("%(name)s (%(place)s, born %(year)s)") % {"name": worker.name, "place": worker.place.name, "year": year}


class ServiceRecordForm(forms.ModelForm):
    class Meta:
        model = ServiceRecord
        fields = [
            "station",
            "kind",
            "served_on",
            "duration_hours",
            "workers",
            "recipients",
            "participant_count",
            "volunteer_count",
            "volunteer_names",
            "charity_resources",
            "charity_value",
            "summary",
        ]
        widgets = {
            "served_on": forms.DateInput(attrs=DATE),
            "volunteer_names": forms.Textarea(attrs={"rows": 2}),
            "charity_resources": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = Station.objects.select_related("place__parent")
        self.fields["recipients"].queryset = Recipient.objects.select_related("village")
        self._narrow_workers()
        self.fields["participant_count"].required = False
        self.fields["participant_count"].help_text = _("Leave empty to count the recipients served")
        if not self.instance.pk:
            self.initial.pop("participant_count", None)
            self.fields["participant_count"].initial = None
        if self.instance.pk:
            self.fields["station"].disabled = True

    def _narrow_workers(self):
        """SRV-3/PRC-2: offer the workers stationed at the record's station on its day (a blank form without a
        station: those stationed anywhere today); a submitted form keeps every visible worker so that the service
        refuses one not stationed there with the rule's message (``stations.rules.service_workers_problem``)."""
        field = self.fields["workers"]
        field.queryset = field.queryset.select_related("place")
        field.label_from_instance = worker_label
        if self.is_bound:
            return
        station_id = self.initial.get("station") or (self.instance.station_id if self.instance.pk else None)
        on = self.initial.get("served_on") or (self.instance.served_on if self.instance.pk else None)
        if isinstance(on, str):
            try:
                on = forms.DateField().clean(on)
            except ValidationError:
                on = None
        on = on or timezone.localdate()
        if station_id:
            station_id = int(getattr(station_id, "pk", station_id))
        allowed = service_workers_allowed(station_id=station_id or None, on=on)
        if allowed is not None:
            field.queryset = field.queryset.filter(pk__in=allowed.values("pk"))
