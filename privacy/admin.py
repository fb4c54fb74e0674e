from django.contrib import admin

from .models import PrivacyAction, RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "keep", "unit", "enabled")
    list_editable = ("keep", "unit", "enabled")


@admin.register(PrivacyAction)
class PrivacyActionAdmin(admin.ModelAdmin):
    """Read-only: the audit log is written by the privacy services alone."""

    list_display = ("at", "action", "actor")
    list_filter = ("action",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
