from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    DialogEntry,
    ExchangeGroup,
    FollowUp,
    GoodExample,
    KpiTarget,
    MaturityAnswer,
    MaturityAssessment,
    MaturityCriterion,
)


@admin.register(MaturityCriterion)
class MaturityCriterionAdmin(SimpleHistoryAdmin):
    list_display = ["track", "level", "dimension", "order", "text_sv", "evidence_key", "is_active"]
    list_filter = ["track", "level", "dimension", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["text_sv", "text_en"]


class MaturityAnswerInline(admin.TabularInline):
    model = MaturityAnswer
    extra = 0
    fields = ["criterion", "answer", "comment", "evidence_met", "evidence_text"]
    readonly_fields = ["criterion", "evidence_met", "evidence_text"]


@admin.register(MaturityAssessment)
class MaturityAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["kommun", "track", "level", "submitted_at", "submitted_by", "confirmed_at", "confirmed_by"]
    list_filter = ["track", "level"]
    search_fields = ["kommun__name", "kommun__code"]
    list_select_related = ["kommun", "submitted_by", "confirmed_by"]
    autocomplete_fields = ["kommun"]
    inlines = [MaturityAnswerInline]
    date_hierarchy = "submitted_at"


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0


@admin.register(DialogEntry)
class DialogEntryAdmin(SimpleHistoryAdmin):
    list_display = ["date", "kind", "title", "created_by"]
    list_filter = ["kind"]
    search_fields = ["title", "kommuner__name"]
    autocomplete_fields = ["kommuner", "contacts"]
    filter_horizontal = ["staff"]
    inlines = [FollowUpInline]
    date_hierarchy = "date"


@admin.register(KpiTarget)
class KpiTargetAdmin(SimpleHistoryAdmin):
    list_display = ["period", "order", "key", "label_sv", "target_value", "unit", "higher_is_better"]
    list_filter = ["period"]
    list_editable = ["order", "target_value"]
    search_fields = ["key", "label_sv", "label_en"]


@admin.register(FollowUp)
class FollowUpAdmin(SimpleHistoryAdmin):
    list_display = ["text", "entry", "owner", "due_on", "done_at"]
    list_filter = ["due_on"]
    search_fields = ["text", "entry__title"]
    list_select_related = ["entry", "owner"]
    autocomplete_fields = ["entry"]
    date_hierarchy = "due_on"


@admin.register(MaturityAnswer)
class MaturityAnswerAdmin(SimpleHistoryAdmin):
    """To look up; staff decide on answers on the assessment's page in the portal (its rules and
    history live there)."""

    list_display = ["assessment", "criterion", "answer", "evidence_met", "decision", "decided_by"]
    list_filter = ["answer", "decision", "assessment__track"]
    search_fields = ["assessment__kommun__name", "criterion__text_sv"]
    list_select_related = ["assessment__kommun", "criterion", "decided_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(GoodExample)
class GoodExampleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kommun", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = ["title", "what", "result", "theme"]
    filter_horizontal = ["areas", "criteria"]
    raw_id_fields = ["contact", "created_by", "reviewed_by"]
    list_select_related = ["kommun"]


@admin.register(ExchangeGroup)
class ExchangeGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    filter_horizontal = ["kommuner"]


from .activities.models import Activity  # noqa: E402


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "starts_on", "place", "leads"]
    list_filter = ["kind"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_on"
    filter_horizontal = ["kommuner"]
    raw_id_fields = ["inquiries"]
