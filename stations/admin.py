from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CatalogueItem, Room, Station, StationStatusChange


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
