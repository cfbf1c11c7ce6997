from django.contrib import admin

from .models import District, PostcodeRange, RegistrationRules


class PostcodeRangeInline(admin.TabularInline):
    model = PostcodeRange
    extra = 1


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code"]
    search_fields = ["name", "cbs_code"]
    inlines = [PostcodeRangeInline]


@admin.register(PostcodeRange)
class PostcodeRangeAdmin(admin.ModelAdmin):
    list_display = ["first", "last", "district"]
    list_filter = ["district"]
    search_fields = ["first", "last"]


@admin.register(RegistrationRules)
class RegistrationRulesAdmin(admin.ModelAdmin):
    """One row of rules: it can be changed, not added twice or deleted."""

    fieldsets = [
        ("Leeftijden", {"fields": ["young_max_age", "guardian_consent_below_age",
                                   "minimum_age"]}),
        ("Bewaren en wissen", {"fields": ["former_retention_months", "end_notice_days",
                                          "erasure_grace_days", "unconfirmed_expiry_days"]}),
        ("Links in e-mail", {"fields": ["link_valid_minutes"]}),
    ]

    def has_add_permission(self, request):
        return not RegistrationRules.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        from django.shortcuts import redirect

        return redirect("admin:registrations_registrationrules_change",
                        RegistrationRules.current().pk)
