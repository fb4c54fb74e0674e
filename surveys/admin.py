from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Question, Survey


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = ["page", "order", "key", "text", "kind", "low_label", "high_label", "choices", "required"]


@admin.register(Survey)
class SurveyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "year", "audience", "opens_on", "closes_on", "closed_at"]
    list_filter = ["year", "audience"]
    readonly_fields = ["invitations_sent_at", "reminder_sent_at", "closed_at", "invited_count"]
    inlines = [QuestionInline]


# Invitations, responses and answers are not in the admin: who was invited must not be browsed
# beside what was answered. Results are read on the survey's results page (groups of five or more).
