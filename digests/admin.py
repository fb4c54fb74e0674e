from django.contrib import admin

from .models import DigestRun


@admin.register(DigestRun)
class DigestRunAdmin(admin.ModelAdmin):
    """Read-only: runs are written by digests.services; staff see progress and resumptions."""

    list_display = ["kind", "period", "status", "done", "recipients", "queued", "resumed", "started_at", "heartbeat_at"]
    list_filter = ["status", "kind"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
