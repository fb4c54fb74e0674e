from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import retirement, services
from .models import AgreementPeriod, Contact, Kommun, Lan, Membership, Population, User


class ViewOnlyAdmin:
    """Admin mixin: rows written only by the portal's own services (counters, summaries, audit
    logs) are shown, never added, changed or deleted by hand."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Lan)
class LanAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["period"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "title", "role", "email", "phone", "is_primary"]


@admin.register(Kommun)
class KommunAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "lan"]
    list_filter = ["lan"]
    search_fields = ["code", "name"]
    list_select_related = ["lan"]
    inlines = [MembershipInline, ContactInline]


@admin.register(AgreementPeriod)
class AgreementPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["kommun", "period", "starts_on", "ends_on"]
    list_filter = ["period", "kommun__lan"]
    search_fields = ["kommun__name", "kommun__code"]
    list_select_related = ["kommun", "period"]
    autocomplete_fields = ["kommun", "period"]
    date_hierarchy = "starts_on"


@admin.register(Population)
class PopulationAdmin(SimpleHistoryAdmin):
    list_display = ["kommun", "year", "population", "source"]
    list_filter = ["year"]
    search_fields = ["kommun__name", "kommun__code"]
    list_select_related = ["kommun"]
    autocomplete_fields = ["kommun"]


class KeepsRecordsAdmin:
    """Admin's delete refuses a contact or user that records name (members.retirement): the
    confirmation page lists it as protected, and the "Deactivate" action is the way instead."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        named = [
            _("%(obj)s: named in answers, dialog entries or the history; deactivate instead") % {"obj": obj}
            for obj in objs
            if retirement.is_referenced(obj)
        ]
        return deleted, counts, perms_needed, [*protected, *named]


@admin.register(Contact)
class ContactAdmin(KeepsRecordsAdmin, SimpleHistoryAdmin):
    list_display = ["name", "kommun", "role", "email", "phone", "is_primary", "is_active"]
    list_filter = [
        "is_active",
        "role",
        "holds_nki",
        "holds_investment",
        "holds_bygglov",
        "holds_miljo",
        "is_primary",
        "kommun__lan",
    ]
    actions = ["deactivate"]

    @admin.action(description=_("Deactivate the chosen contacts"))
    def deactivate(self, request, queryset):
        for contact in queryset.filter(is_active=True):
            retirement.contact_set_active(contact=contact, active=False)

    search_fields = ["name", "email", "kommun__name", "kommun__code"]
    list_select_related = ["kommun"]
    autocomplete_fields = ["kommun"]


@admin.register(User)
class UserAdmin(KeepsRecordsAdmin, DjangoUserAdmin, SimpleHistoryAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "kommun", "is_active", "is_staff", "last_login"]
    list_filter = ["role", "is_active", "is_staff", "is_superuser", "language"]
    search_fields = ["email", "first_name", "last_name", "kommun__name"]
    list_select_related = ["kommun"]
    autocomplete_fields = ["kommun"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "title", "phone", "language")}),
        (_("Portal role"), {"fields": ("role", "kommun", "invited_at", "invited_by")}),
        (
            _("Admin permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "role", "kommun", "password1", "password2")}),)
    readonly_fields = ["invited_at", "invited_by", "last_login", "date_joined"]
    actions = ["deactivate"]

    @admin.action(description=_("Deactivate the chosen users"))
    def deactivate(self, request, queryset):
        for user in queryset.filter(is_active=True):
            services.user_set_active(user=user, active=False)


# --- Profile and sites ---------------------------------------------------------------------------
from .models import KommunProfile, Sector, Site  # noqa: E402


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_sv", "name_en", "ordering", "is_active"]
    list_editable = ["ordering", "is_active"]
    search_fields = ["code", "name_sv", "name_en"]


@admin.register(KommunProfile)
class KommunProfileAdmin(SimpleHistoryAdmin):
    list_display = ["kommun", "appetite", "updated_at"]
    list_filter = ["appetite"]
    search_fields = ["kommun__name", "kommun__code"]
    list_select_related = ["kommun"]
    autocomplete_fields = ["kommun"]
    filter_horizontal = ["wanted_sectors", "strong_sectors"]


@admin.register(Site)
class SiteAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kommun", "area_ha", "ownership", "zoning", "power_mw", "last_confirmed"]
    list_filter = ["ownership", "zoning", "kommun__lan"]
    search_fields = ["name", "kommun__name", "kommun__code"]
    list_select_related = ["kommun"]
    autocomplete_fields = ["kommun"]
    date_hierarchy = "last_confirmed"


from .models import FactSheetLink, KommunFact, Premises  # noqa: E402


@admin.register(Premises)
class PremisesAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kommun", "kind", "floor_area_m2", "year_available", "last_confirmed"]
    list_filter = ["kind", "owner"]
    search_fields = ["name", "kommun__name"]
    list_select_related = ["kommun"]


@admin.register(KommunFact)
class KommunFactAdmin(SimpleHistoryAdmin):
    """Facts come from imports (SCB, Kolada) on the portal's fact pages; kept here to look up and correct."""

    list_display = ["kommun", "key", "year", "value", "source"]
    list_filter = ["key", "year"]
    search_fields = ["kommun__name", "source"]
    list_select_related = ["kommun"]


@admin.register(FactSheetLink)
class FactSheetLinkAdmin(admin.ModelAdmin):
    """Share links are made and revoked on the fact sheet; here to see who shared what."""

    list_display = ["kommun", "created_by", "created_at", "revoked_at"]
    list_select_related = ["kommun", "created_by"]
    readonly_fields = ["token"]

    def has_add_permission(self, request) -> bool:
        return False
