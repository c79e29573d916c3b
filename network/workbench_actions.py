"""The network's quick action on the workbench: publishing a notice."""

from django.utils.translation import gettext_lazy as _

from .roles import may_publish_notices
from .workbench import QuickAction, quick_action_register


def register() -> None:
    quick_action_register(
        QuickAction(
            "notice_create",
            _("Publish a notice"),
            "network:notice_create",
            may_publish_notices,
            icon="megaphone",
            order=90,
        )
    )
