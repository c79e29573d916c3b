from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Supervision and training")

    def ready(self):
        # Each area (supervision, training, county plans) registers its standard items, alerts and hooks.
        from . import alerts_plans, apps_supervision, apps_training

        apps_supervision.ready()
        apps_training.ready()
        alerts_plans.register()  # PLAN-1: plans waiting to be filed or returned; plans returned or to submit
