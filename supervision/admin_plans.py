"""Admin of the county plans (read-mostly: the workflow runs through the pages and the API)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CountyPlan, PlanVersion


@admin.register(CountyPlan)
class CountyPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "county", "first_year", "last_year", "in_force"]
    list_filter = ["first_year"]
    search_fields = ["title", "county__name"]
    readonly_fields = ["in_force", "created_at", "created_by"]


@admin.register(PlanVersion)
class PlanVersionAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "number", "status", "submitted_at", "filed_on"]
    list_filter = ["status"]
    readonly_fields = ["status", "filed_on", "submitted_at", "submitted_by", "decided_at", "decided_by"]
