from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import AppreciationYear
from .services import copy_next_year


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
