"""Forms for workers, qualifications, specialisations, organisations, assignments and the roster upload."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from liuzhou_social.validators import upload_type
from network.choices import PlaceLevel
from network.models import Place
from stations.models import Station

from .choices import OrganisationField
from .models import Assignment, Organisation, Qualification, Specialisation, Worker

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EVIDENCE_TYPES = (".pdf", ".jpg", ".jpeg", ".png")  # certificate scans


class WorkerForm(forms.ModelForm):
    class Meta:
        model = Worker
        fields = ["name", "id_number", "gender", "birth_date", "phone", "education", "organisation", "place"]
        widgets = {"birth_date": DATE}
        help_texts = {
            "id_number": _("GB 11643, 18 characters; birth date and gender follow from it."),
            "birth_date": _("Leave empty to take it from the ID number."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.filter(level__in=[PlaceLevel.COUNTY, PlaceLevel.TOWNSHIP])
        self.fields["birth_date"].required = False
        self.fields["gender"].required = False
        # One person, one record: uniqueness is the service's (an existing ID updates that person).
        self.fields["id_number"].validators = []

    def validate_unique(self):
        return None


class QualificationForm(forms.ModelForm):
    class Meta:
        model = Qualification
        fields = ["grade", "certificate_no", "obtained_on", "registered_on", "evidence"]
        widgets = {"obtained_on": DATE, "registered_on": DATE}

    def __init__(self, *args, **kwargs):
        from network.rule_settings import rule_int

        super().__init__(*args, **kwargs)
        self.fields["registered_on"].help_text = _(
            "Registration in the national social-work information system; valid %(n)s years"
        ) % {"n": rule_int("QUAL.registration_valid_years")}

    def validate_unique(self):
        return None  # the service reports duplicate certificate numbers (TGT-CERT)

    def clean_evidence(self):
        f = self.cleaned_data.get("evidence")
        if not f or not hasattr(f, "size") or getattr(f, "_committed", False):
            return f
        if f.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        if upload_type(f, EVIDENCE_TYPES) is None:
            raise forms.ValidationError(_("Upload a PDF, JPEG or PNG scan of the certificate."))
        return f


class RevokeForm(forms.Form):
    revoked_on = forms.DateField(label=_("Revoked on"), widget=DATE)
    reason = forms.CharField(label=_("Reason for revocation"), max_length=200, required=False)


class SpecialisationForm(forms.ModelForm):
    class Meta:
        model = Specialisation
        fields = ["category", "since", "until"]
        widgets = {"since": DATE, "until": DATE}


class OrganisationForm(forms.ModelForm):
    service_fields = forms.MultipleChoiceField(
        label=_("Service fields"),
        choices=OrganisationField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "credit_code",
            "county",
            "registered_on",
            "scope_includes_social_work",
            "service_fields",
            "incubation_base",
            "incubated_year",
            "contact_phone",
        ]
        widgets = {"registered_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = Place.objects.filter(level=PlaceLevel.COUNTY)
        self.fields["credit_code"].validators = []

    def validate_unique(self):
        return None


class AssignmentForm(forms.ModelForm):
    scope_change_fields = ("worker",)  # a worker is assigned by those who keep the worker's record

    class Meta:
        model = Assignment
        fields = ["worker", "station", "role", "organisation", "start_on", "end_on"]
        widgets = {"start_on": DATE, "end_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = Station.objects.select_related("place")
        self.fields["station"].label_from_instance = lambda s: s.place.name
        if self.instance.pk:
            for name in ("worker", "station"):
                self.fields[name].disabled = True

    def validate_constraints(self, exclude=None):
        return None  # the service explains the date order in words


class AssignmentEndForm(forms.Form):
    """The "end assignment" step: the assignment's last day."""

    end_on = forms.DateField(label=_("Last day"), widget=DATE, help_text=_("The last day of the assignment"))
