"""Inquiries in Django admin: to look things up, read-only. The portal is where inquiries are
written, sent, answered and decided (its services keep the rules, the history and the e-mails),
so each row links to its page there."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from members.admin import ViewOnlyAdmin

from .models import Answer, Attachment, Dispatch, Inquiry, Outcome, ReferenceCounter


class ReadOnlyInPortalAdmin(ViewOnlyAdmin):
    """View only (no add, change or delete), with the portal page one click away."""

    def portal_url(self, obj) -> str:
        return obj.get_absolute_url()

    @admin.display(description=_("In the portal"))
    def portal_link(self, obj) -> str:
        return format_html('<a href="{}">{}</a>', self.portal_url(obj), _("Open in the portal"))

    def get_readonly_fields(self, request, obj=None):
        return ["portal_link", *super().get_readonly_fields(request, obj)]


@admin.register(Inquiry)
class InquiryAdmin(ReadOnlyInPortalAdmin, SimpleHistoryAdmin):
    list_display = [
        "reference",
        "code_name",
        "status",
        "source",
        "sector",
        "answer_deadline",
        "responsible",
        "portal_link",
    ]
    list_filter = ["status", "source", "sector"]
    search_fields = ["reference", "code_name"]
    list_select_related = ["sector", "responsible"]
    date_hierarchy = "created_at"


@admin.register(Dispatch)
class DispatchAdmin(ReadOnlyInPortalAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "kommun", "deadline", "match_class", "sent_at", "first_viewed_at", "portal_link"]
    list_filter = ["match_class", "kommun__lan"]
    search_fields = ["inquiry__reference", "inquiry__code_name", "kommun__name", "kommun__code"]
    list_select_related = ["inquiry", "kommun"]
    exclude = ["match_snapshot"]  # plain data for the portal's own reading (matching.ratings_from_snapshot)
    date_hierarchy = "sent_at"


@admin.register(Answer)
class AnswerAdmin(ReadOnlyInPortalAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "decision", "decline_reason", "answered_at", "answered_by", "portal_link"]
    list_filter = ["decision", "decline_reason"]
    search_fields = ["dispatch__inquiry__reference", "dispatch__kommun__name"]
    list_select_related = ["dispatch__inquiry", "dispatch__kommun", "answered_by"]
    date_hierarchy = "answered_at"

    def portal_url(self, obj) -> str:
        return obj.dispatch.get_absolute_url()


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyInPortalAdmin, admin.ModelAdmin):  # no history of its own
    list_display = ["original_name", "answer", "content_type", "size", "uploaded_at", "portal_link"]
    search_fields = ["original_name", "answer__dispatch__inquiry__reference", "answer__dispatch__kommun__name"]
    list_select_related = ["answer__dispatch__inquiry", "answer__dispatch__kommun"]
    exclude = ["file"]  # private: downloaded through the portal's access check only

    @admin.display(description=_("In the portal"))
    def portal_link(self, obj) -> str:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Download through the portal"))


@admin.register(Outcome)
class OutcomeAdmin(ReadOnlyInPortalAdmin, SimpleHistoryAdmin):
    list_display = ["inquiry", "decision", "kommun", "jobs", "investment_msek", "decided_on", "portal_link"]
    list_filter = ["decision"]
    search_fields = ["inquiry__reference", "inquiry__code_name", "kommun__name"]
    list_select_related = ["inquiry", "kommun"]
    date_hierarchy = "decided_on"

    def portal_url(self, obj) -> str:
        return obj.inquiry.get_absolute_url()


@admin.register(ReferenceCounter)
class ReferenceCounterAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    """The last reference number handed out per year (read-only: inquiries.services numbers them)."""

    list_display = ["year", "last"]
