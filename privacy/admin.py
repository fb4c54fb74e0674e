from django.contrib import admin

from members.admin import ViewOnlyAdmin

from .models import PrivacyAction, RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "keep", "unit", "enabled")
    list_editable = ("keep", "unit", "enabled")


@admin.register(PrivacyAction)
class PrivacyActionAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    """Read-only: the audit log is written by the privacy services alone."""

    list_display = ("at", "action", "actor")
    list_filter = ("action",)
