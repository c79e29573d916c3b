"""What the training area registers when the app is ready: its import spec and its workbench alert."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def ready() -> None:
    from network.roles import may_write
    from network.workbench import AlertSource, alert_source_register

    from . import imports_training  # noqa: F401  (the sign-in sheet import spec registers itself)
    from .selectors_training import training_shortfall_items

    # SUP-2: from 1 October (rule setting) a stationed worker below the pro-rata path of training hours.
    alert_source_register(
        AlertSource(
            code="sup2-training-shortfall",
            label=_("Stationed workers short of training hours"),
            rule="SUP-2",
            items=training_shortfall_items,
            list_url=lambda user: reverse("supervision:training_hours"),
            applies=may_write,
            severity="warning",
            order=60,
        )
    )
