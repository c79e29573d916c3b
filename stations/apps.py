from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = _("Stations")

    def ready(self):
        from . import alerts, imports, rules, signals  # noqa: F401  (signals connected, import specs and standard items registered)

        alerts.register()  # the workbench: overdue follow-ups (SRV-3), quick actions
