from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "workforce"
    verbose_name = _("Workforce")

    def ready(self):
        from . import alerts, roster, rules, signals  # noqa: F401  (signals connected, roster spec and standard items registered)

        alerts.register()  # the workbench: PRC-2 deadlines, understaffed stations, re-registrations
