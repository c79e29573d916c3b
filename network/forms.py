from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from liuzhou_social.tabular import TableFormatError, import_file_check

from .choices import Role
from .models import Centre, Place


class CentreForm(forms.ModelForm):
    class Meta:
        model = Centre
        fields = ["level", "place", "name", "host", "address", "established_on", "contact_phone"]
        widgets = {"established_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.filter(level__in=["city", "county"])
        if self.instance.pk:  # NET-1/NET-2: a centre's level and place do not change
            self.fields["level"].disabled = self.fields["place"].disabled = True

    def validate_unique(self):
        return None  # services.centre_check says which place already has its centre (NET-1/NET-2)


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Letters, digits and @/./+/-/_ only.")},
    )
    display_name = forms.CharField(label=_("Display name"), max_length=50, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    organisation = forms.CharField(label=_("Organisation"), max_length=100, required=False)
    places = forms.ModelMultipleChoiceField(
        label=_("Places"),
        queryset=Place.objects.filter(level__in=["city", "county", "township"]),
        help_text=_("City roles: the city; county officer: one county-level unit; station worker: the township."),
    )
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Repeat password"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            try:
                password_validation.validate_password(data["password1"])
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class UserUpdateForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=50, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    organisation = forms.CharField(label=_("Organisation"), max_length=100, required=False)
    places = forms.ModelMultipleChoiceField(
        label=_("Places"),
        queryset=Place.objects.filter(level__in=["city", "county", "township"]),
        help_text=_("City roles: the city; county officer: one county-level unit; station worker: the township."),
    )
    is_active = forms.BooleanField(
        label=_("Active"), required=False, help_text=_("An inactive account cannot log in and sees nothing.")
    )


class ImportUploadForm(forms.Form):
    """The upload of every import: the file is checked here, once (size, type, first bytes)."""

    file = forms.FileField(
        label=_("File"), help_text=_("Use the template; every row is checked before anything is saved")
    )

    def __init__(self, *args, spec_class, **kwargs):
        super().__init__(*args, **kwargs)
        self.file_types = spec_class.file_types
        self.fields["file"].label = (
            _("Workbook or csv file") if "csv" in self.file_types else _("Excel workbook (.xlsx)")
        )

    def clean_file(self):
        f = self.cleaned_data["file"]
        try:
            import_file_check(f, self.file_types)
        except TableFormatError as exc:
            raise forms.ValidationError(str(exc)) from None
        return f


class PortalAuthenticationForm(AuthenticationForm):
    """The login form: an API client's account has no web pages (it reads the API with its token)."""

    def confirm_login_allowed(self, user):
        from .roles import may_use_pages

        super().confirm_login_allowed(user)
        if not may_use_pages(user):
            raise forms.ValidationError(
                _("This is an API client account: it reads the API with its token and cannot sign in to the pages."),
                code="api_only",
            )
