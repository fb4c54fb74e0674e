from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Message, Unsubscribe


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to", "status", "attempts", "sent_at", "next_attempt_at"]
    list_filter = ["status", "kind", "language"]
    search_fields = ["to", "subject", "key"]
    readonly_fields = [f.name for f in Message._meta.fields]
    date_hierarchy = "created_at"
    actions = ["send_again"]

    def has_add_permission(self, request) -> bool:
        return False  # e-mails are written by queue_email(), never by hand

    @admin.action(description=_("Send the selected failed e-mails again"))
    def send_again(self, request, queryset) -> None:
        count = sum(services.message_resend(message=m, by=request.user) for m in queryset)
        self.message_user(
            request,
            ngettext("%(n)d e-mail queued again.", "%(n)d e-mails queued again.", count) % {"n": count},
            messages.SUCCESS if count else messages.WARNING,
        )


@admin.register(Unsubscribe)
class UnsubscribeAdmin(SimpleHistoryAdmin):
    list_display = ["email", "kind", "source", "created_at"]
    list_filter = ["kind", "source"]
    search_fields = ["email"]
