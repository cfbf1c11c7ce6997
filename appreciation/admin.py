from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.amounts import EuroField
from core.formats import euros

from .campaigns.services import stock_changed
from .models import AppreciationYear, Campaign
from .waardering.services import copy_next_year

# Highest amount a coordinator can type: one waardering, and a year's budget.
MAX_AMOUNT_CENTS = 1_000_000  # € 10.000,00
MAX_BUDGET_CENTS = 10_000_000_000  # € 100.000.000,00


def euro_form_field(db_field, **kwargs):
    """Amounts are stored in cents but typed in euros ("75" is € 75,00, not € 0,75): every
    `…_cents` field of a model edited in Beheer gets this field."""
    is_budget = isinstance(db_field, models.PositiveBigIntegerField)
    return EuroField(
        label=capfirst(_("%(field)s in euro") % {"field": db_field.verbose_name}),
        required=not db_field.blank,
        max_cents=MAX_BUDGET_CENTS if is_budget else MAX_AMOUNT_CENTS,
        help_text=db_field.help_text or _("Bijvoorbeeld 75 of 75,00."))


class EuroAmountsAdmin(admin.ModelAdmin):
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name.endswith("_cents") and db_field.editable:
            return euro_form_field(db_field)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(AppreciationYear)
class AppreciationYearAdmin(EuroAmountsAdmin):
    """Rules per year. A year with payouts is read-only; the next year is a copy."""

    list_display = ["year", "amount_adult", "amount_young", "window_opens",
                    "window_closes", "budget", "payouts_made_at"]
    actions = ["copy_to_next_year"]

    @admin.display(description=_("bedrag volwassenen"), ordering="amount_adult_cents")
    def amount_adult(self, obj):
        return euros(obj.amount_adult_cents)

    @admin.display(description=_("bedrag jonge mantelzorgers"), ordering="amount_young_cents")
    def amount_young(self, obj):
        return euros(obj.amount_young_cents)

    @admin.display(description=_("budget"), ordering="budget_cents")
    def budget(self, obj):
        return euros(obj.budget_cents)

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
class CampaignAdmin(EuroAmountsAdmin):
    """Campaign settings, edited by coordinators. A closed campaign is read-only: what
    people received must stay as it was. Stock and requests are handled on the campaign
    pages in the back office, not here."""

    list_display = ["name", "kind", "starts_on", "ends_on", "tickets_per_caregiver",
                    "code_source", "limited_stock", "stock_total", "stock_free", "closed_at"]
    list_filter = ["kind"]
    search_fields = ["name", "pool_name"]
    fieldsets = [
        (None, {"fields": ["kind", "name", "starts_on", "ends_on"]}),
        (_("Kaartjes"), {"fields": ["tickets_per_caregiver", "code_source", "stock_total",
                                    "limited_stock", "pool_name", "handout",
                                    "cancel_unclaimed_on_close"]}),
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

    def save_model(self, request, obj, form, change):
        """More cards, or no longer limited: whoever waits is served at once."""
        super().save_model(request, obj, form, change)
        if change:
            stock_changed(obj, request.user)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.closed_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.closed_at is not None:
            return False
        return super().has_delete_permission(request, obj)
