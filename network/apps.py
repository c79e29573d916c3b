from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Network and places")

    def ready(self):
        from liuzhou_social import text

        from . import divisions  # noqa: F401  (the division list's import spec registered)

        text.install()  # every form and serializer text field: NFC, no control characters
        from . import retention

        retention.connect()  # replaced and deleted uploads are recorded for their deletion
        from . import alerts, workbench_actions

        alerts.register()  # the workbench: imports waiting for confirmation, notices not yet read
        workbench_actions.register()
        from . import beat

        beat.connect()  # each scheduled task's last run, for 系统管理 · 定时任务
