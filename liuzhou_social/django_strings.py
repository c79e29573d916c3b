"""Strings Django shows on the portal's pages that Django's own zh_Hans catalogue does not translate.

Named here only so that ``makemessages`` puts them in the project catalogue (``locale/``), which Django consults
first; nothing imports this module.
"""

from django.utils.translation import gettext_lazy as _

STRINGS = [
    _("- Select an option -"),  # django.db.models.fields.BLANK_CHOICE_LABEL, the empty choice of a model field
]
