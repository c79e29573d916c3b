from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Centre, Place, RuleSetting, User


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (None, {"fields": ("role", "display_name", "organisation")}))
    list_display = ("username", "display_name", "role", "organisation", "is_active")
    list_filter = ("role", "is_active")


@admin.register(Place)
class PlaceAdmin(GuardedModelAdmin, SimpleHistoryAdmin):
    list_display = ("code", "name", "level", "kind", "is_functional_zone")
    list_filter = ("level", "is_functional_zone")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)


@admin.register(Centre)
class CentreAdmin(SimpleHistoryAdmin):
    list_display = ("name", "level", "place")


@admin.register(RuleSetting)
class RuleSettingAdmin(SimpleHistoryAdmin):
    list_display = ("key", "value")
