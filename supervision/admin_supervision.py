"""Admin of supervision (SUP-1): read and search; writes go through the pages and their services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import SupervisionLog, SupervisionPlan


@admin.register(SupervisionPlan)
class SupervisionPlanAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "contract", "county", "start_on", "end_on", "sessions_per_month"]
    search_fields = ["organisation__name"]
    raw_id_fields = ["organisation", "contract", "county"]


@admin.register(SupervisionLog)
class SupervisionLogAdmin(SimpleHistoryAdmin):
    list_display = ["held_on", "station", "supervisor", "hours", "method", "status"]
    list_filter = ["status", "method"]
    search_fields = ["supervisor__name", "station__place__name"]
    raw_id_fields = ["station", "supervisor", "organisation", "workers_present", "recorded_by", "confirmed_by"]
