"""Admin of the training area (the city's staff pages; the portal's own pages are the working ones)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Attendance, Course, Trainer


@admin.register(Trainer)
class TrainerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "employer", "title", "active"]
    search_fields = ["name", "employer"]
    filter_horizontal = ["fields"]


@admin.register(Course)
class CourseAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "mode", "organiser_level", "place", "start_on", "hours"]
    list_filter = ["kind", "mode", "organiser_level"]
    search_fields = ["title"]
    raw_id_fields = ["place", "provider"]
    filter_horizontal = ["trainers"]


@admin.register(Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    list_display = ["attended_on", "worker", "course", "hours", "source"]
    raw_id_fields = ["course", "worker"]
    date_hierarchy = "attended_on"
