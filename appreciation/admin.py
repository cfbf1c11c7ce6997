from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .models import AppreciationYear, Campaign
from .waardering.services import copy_next_year


@admin.register(AppreciationYear)
class AppreciationYearAdmin(admin.ModelAdmin):
    """Rules per year. A year with payouts is read-only; the next year is a copy."""

    list_display = ["year", "amount_adult_cents", "amount_young_cents", "window_opens",
                    "window_closes", "budget_cents", "payouts_made_at"]
    actions = ["copy_to_next_year"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.locked:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Kopieer naar het volgende jaar"))
    def copy_to_next_year(self, request, queryset):
        for year in queryset:
            new = copy_next_year(year)
            messages.success(request, _("Jaar %(year)s staat klaar.") % {"year": new.year})


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    """Campaign settings, edited by coordinators. A closed campaign is read-only: what
    people received must stay as it was. Stock and requests are handled on the campaign
    pages in the back office, not here."""

    list_display = ["name", "kind", "starts_on", "ends_on", "tickets_per_caregiver",
                    "stock_total", "stock_free", "closed_at"]
    list_filter = ["kind"]
    search_fields = ["name", "pool_name"]
    fieldsets = [
        (None, {"fields": ["kind", "name", "starts_on", "ends_on"]}),
        (_("Kaartjes"), {"fields": ["tickets_per_caregiver", "stock_total", "pool_name",
                                    "handout", "cancel_unclaimed_on_close"]}),
        (_("Voor wie"), {"fields": ["include_former", "requires_request"]}),
        (_("Teksten"), {"fields": ["letter_text", "letter_text_young", "invitation_subject",
                                    "invitation_text"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            free_codes=Count("codes", filter=Q(codes__request__isnull=True)))

    @admin.display(description=_("codes vrij"), ordering="free_codes")
    def stock_free(self, obj):
        return obj.free_codes

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.closed_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.closed_at is not None:
            return False
        return super().has_delete_permission(request, obj)
