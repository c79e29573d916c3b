"""Forms of the workbench: publishing a notice, the notification settings."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import PlaceLevel
from .notices import MAX_ATTACHMENTS, notice_audience_choices, notice_publishing_places


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by the notice service (type by content, size)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


LEVEL_CHOICES = [
    (PlaceLevel.CITY, _("City centre staff")),
    (PlaceLevel.COUNTY, _("County-level units (officers, evaluators)")),
    (PlaceLevel.TOWNSHIP, _("Townships (station workers, provider staff)")),
]


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8}))
    place = forms.ModelChoiceField(
        label=_("Published for"),
        queryset=None,
        empty_label=None,
        help_text=_("The city, or your county-level unit: the notice addresses users inside its area."),
    )
    levels = forms.MultipleChoiceField(
        label=_("Addressed levels"), choices=LEVEL_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    audience = forms.ModelMultipleChoiceField(
        label=_("Only these places"),
        queryset=None,
        required=False,
        help_text=_("Leave empty to address the whole area."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        # Formatted here, in the request's language (a lazy text formatted at import is fixed in one language).
        self.base_fields["attachments"].help_text = _("Up to %(n)s files: PDF, Word, Excel, JPEG or PNG.") % {
            "n": MAX_ATTACHMENTS
        }
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = notice_publishing_places(user)
        self.fields["audience"].queryset = notice_audience_choices(user)


class NotificationPreferenceForm(forms.Form):
    email_digest = forms.BooleanField(
        label=_("Daily e-mail digest"),
        required=False,
        help_text=_(
            "Once a day, an e-mail listing the new notifications, sent to the address of your account. "
            "Untick to unsubscribe."
        ),
    )
