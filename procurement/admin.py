from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Award,
    Bid,
    Contract,
    ContractAssignment,
    CountyFund,
    Evaluation,
    EvaluationTeam,
    MinimumWage,
    OrganisationAccount,
    PayLine,
    Project,
)


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ("number", "name", "county", "service_start", "service_end", "status")
    list_filter = ("status", "formal_procurement")
    raw_id_fields = ("county", "stations")


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ("number", "provider", "start_on", "end_on", "value")
    raw_id_fields = ("project", "award", "provider", "stations")


@admin.register(PayLine)
class PayLineAdmin(SimpleHistoryAdmin):
    list_display = ("contract", "worker", "month", "amount")
    raw_id_fields = ("contract", "worker", "station")


for model in (Award, Bid, ContractAssignment, CountyFund, Evaluation, EvaluationTeam, MinimumWage, OrganisationAccount):
    admin.site.register(model, SimpleHistoryAdmin)
