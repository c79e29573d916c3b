from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        from . import signals

        signals.connect()  # every write to an indicator's input leaves a pending change
        from network.workbench import key_figures_register

        from .workbench import key_figures

        key_figures_register(key_figures)  # the workbench shows the user's key figures with status
