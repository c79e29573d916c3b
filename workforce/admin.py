from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Assignment, Organisation, Qualification, Specialisation, SpecialisationCategory, Worker


@admin.register(Worker)
class WorkerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "place", "organisation"]
    search_fields = ["name", "=id_number"]  # an ID number by the whole value (keyed hash)
    raw_id_fields = ["place", "organisation"]


@admin.register(Qualification)
class QualificationAdmin(SimpleHistoryAdmin):
    list_display = ["certificate_no", "worker", "grade", "obtained_on", "revoked_on"]
    search_fields = ["certificate_no"]
    raw_id_fields = ["worker"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "credit_code", "county", "incubated_year"]
    search_fields = ["name", "credit_code"]


@admin.register(SpecialisationCategory)
class SpecialisationCategoryAdmin(SimpleHistoryAdmin):
    """TGT-SPEC: the city adds categories here beyond the plan's four."""

    list_display = ["code", "name", "in_plan"]


@admin.register(Specialisation)
class SpecialisationAdmin(SimpleHistoryAdmin):
    list_display = ["worker", "category", "since", "until"]
    raw_id_fields = ["worker"]


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["worker", "station", "role", "organisation", "start_on", "end_on"]
    raw_id_fields = ["worker", "station"]
