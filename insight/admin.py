from django.contrib import admin

from .models import InsightRules


@admin.register(InsightRules)
class InsightRulesAdmin(admin.ModelAdmin):
    """One row of settings: it can be changed, not added twice or deleted."""

    fieldsets = [
        ("Zelftest", {"fields": ["heavy_from_score", "call_back_within_days",
                                 "offer_check_every_months"]}),
        ("Nazorg na overlijden", {"fields": ["aftercare_days"]}),
    ]

    def has_add_permission(self, request):
        return not InsightRules.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        from django.shortcuts import redirect

        return redirect("admin:insight_insightrules_change", InsightRules.current().pk)
