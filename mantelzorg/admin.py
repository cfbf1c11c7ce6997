"""Beheer › Inloggen via de organisatie: the coordinator's staff SSO settings (one row).

Every change is in Django's admin log (who, when, what). The client secret is not here:
it stays in the environment (STAFF_SSO_CLIENT_SECRET).
"""

from django.contrib import admin
from django.db import models

from .models import StaffSignInSettings


@admin.register(StaffSignInSettings)
class StaffSignInSettingsAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["use_sso"], "description": (
            "Zolang dit uit staat, gelden de instellingen uit de omgeving (STAFF_SSO_*). "
            "Het client-geheim staat nooit hier: dat komt uit STAFF_SSO_CLIENT_SECRET.")}),
        ("Inlogdienst", {"fields": ["issuer", "client_id", "scopes"]}),
        ("Rollen", {"fields": ["groups_claim", "consulent_groups", "coordinator_groups"]}),
        ("Twee stappen bij de organisatie", {"fields": ["acr_values", "amr_values"]}),
    ]

    def has_add_permission(self, request):
        return not StaffSignInSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False
