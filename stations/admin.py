from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CatalogueItem,
    FollowUpPlan,
    NeedsAssessment,
    Recipient,
    Room,
    ServiceRecord,
    StandardCheck,
    Station,
    StationStatusChange,
)


class StatusChangeInline(admin.TabularInline):
    model = StationStatusChange
    extra = 0
    readonly_fields = ("status", "effective_on", "note", "recorded_by", "recorded_at")
    can_delete = False


@admin.register(Station)
class StationAdmin(SimpleHistoryAdmin):
    list_display = ("place", "status", "is_demonstration")
    list_filter = ("status", "is_demonstration")
    raw_id_fields = ("place",)
    inlines = [StatusChangeInline]


@admin.register(Room)
class RoomAdmin(SimpleHistoryAdmin):
    list_display = ("place", "status", "established_on")
    raw_id_fields = ("place",)


@admin.register(CatalogueItem)
class CatalogueItemAdmin(SimpleHistoryAdmin):
    list_display = ("title", "station", "field", "published")


@admin.register(StandardCheck)
class StandardCheckAdmin(SimpleHistoryAdmin):
    list_display = ("station", "confirmed_on", "confirmed_by")
    raw_id_fields = ("station",)
    readonly_fields = ("items",)


@admin.register(Recipient)
class RecipientAdmin(SimpleHistoryAdmin):
    list_display = ("name", "village", "registered_on")
    search_fields = ("name", "=id_number")  # an ID number by the whole value (keyed hash)
    raw_id_fields = ("village",)


@admin.register(NeedsAssessment)
class NeedsAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ("recipient", "assessed_on", "material", "psychological", "social")
    raw_id_fields = ("recipient",)


@admin.register(ServiceRecord)
class ServiceRecordAdmin(SimpleHistoryAdmin):
    list_display = ("station", "kind", "served_on", "participant_count")
    list_filter = ("kind",)
    raw_id_fields = ("station", "recipients", "workers")


@admin.register(FollowUpPlan)
class FollowUpPlanAdmin(SimpleHistoryAdmin):
    list_display = ("recipient", "due_on", "done_on")
    raw_id_fields = ("recipient", "worker")
