from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from members.admin import ViewOnlyAdmin

from .models import KoladaKpi, MethodBreak, NkiImport, NkiResult, NkiYearCoverage, ReferenceValue, ServiceArea


@admin.register(ServiceArea)
class ServiceAreaAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "name_sv",
        "name_en",
        "is_total",
        "active_from",
        "active_until",
        "counts_in_total_from",
        "counts_in_total_until",
        "order",
    ]
    search_fields = ["code", "name_sv", "name_en", "aliases"]


@admin.register(MethodBreak)
class MethodBreakAdmin(SimpleHistoryAdmin):
    list_display = ["area", "year", "description_sv"]
    list_select_related = ["area"]


@admin.register(ReferenceValue)
class ReferenceValueAdmin(SimpleHistoryAdmin):
    list_display = ["area", "year", "source", "value", "note"]
    list_filter = ["source", "area"]
    list_select_related = ["area"]


@admin.register(KoladaKpi)
class KoladaKpiAdmin(SimpleHistoryAdmin):
    list_display = ["kpi", "area", "measure", "note"]
    list_select_related = ["area"]
    search_fields = ["kpi"]


@admin.register(NkiImport)
class NkiImportAdmin(admin.ModelAdmin):
    list_display = ["imported_at", "file_name", "kind", "imported_by", "rows", "created", "updated", "unchanged"]
    list_select_related = ["imported_by"]
    readonly_fields = [f.name for f in NkiImport._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(NkiResult)
class NkiResultAdmin(SimpleHistoryAdmin):
    list_display = ["kommun", "year", "area", "nki", "answers", "source"]
    list_filter = ["year", "area", "source"]
    search_fields = ["kommun__name", "kommun__code"]
    list_select_related = ["kommun", "area"]
    autocomplete_fields = ["kommun"]
    raw_id_fields = ["nki_import"]


@admin.register(NkiYearCoverage)
class NkiYearCoverageAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    """Read only: kept by every write of results (nki.services.coverage_refresh), never by hand."""

    list_display = ["year", "__str__"]
    readonly_fields = ["year", "kommun_ids", "area_ids", "area_sums"]
