from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from liuzhou_social.tabular import TableFormatError, import_file_check

from .choices import Role
from .models import Centre, Place


class CentreForm(forms.ModelForm):
    class Meta:
        model = Centre
        fields = ["level", "place", "name", "host", "address", "established_on", "contact_phone"]
        widgets = {"established_on": forms.DateInput(attrs={"type": "date"})}


class UserCreateForm(forms.Form):
    username = forms.RegexField(label=_("Username"), max_length=150, regex=r"^[\w.@+-]+$",
                                error_messages={"invalid": _("Letters, digits and @/./+/-/_ only.")})
    display_name = forms.CharField(label=_("Display name"), max_length=50, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    organisation = forms.CharField(label=_("Organisation"), max_length=100, required=False)
    places = forms.ModelMultipleChoiceField(
        label=_("Places"), queryset=Place.objects.filter(level__in=["city", "county", "township"]),
        help_text=_("City roles: the city; county officer: one county-level unit; station worker: the township."))
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
        label=_("Places"), queryset=Place.objects.filter(level__in=["city", "county", "township"]),
        help_text=_("City roles: the city; county officer: one county-level unit; station worker: the township."))
    is_active = forms.BooleanField(label=_("Active"), required=False,
                                   help_text=_("An inactive account cannot log in and sees nothing."))


class DivisionImportForm(forms.Form):
    file = forms.FileField(label=_("Division list (csv or xlsx)"),
                           help_text=_("Columns: code, name, level, kind, parent_code"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        try:
            import_file_check(f, ("xlsx", "csv"))
        except TableFormatError as exc:
            raise forms.ValidationError(str(exc)) from None
        return f
