from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("Procurement")

    def ready(self):
        from network.choices import Role
        from network.scope import derived_places_register
        from workforce.selectors import assignment_contracts_register

        from . import imports, services  # noqa: F401  (the pay-line import spec registers itself)

        # Point 5: a provider-staff account reaches the stations of its organisation's contracts in force.
        derived_places_register(Role.PROVIDER_STAFF, services.provider_places)
        # PRC-2: the workforce deadline list shows the contract that employs each stationed worker.
        assignment_contracts_register(services.assignment_contract_labels)
        from . import alerts

        alerts.register()  # the workbench: final evaluations due (PRC-4), a quick action
