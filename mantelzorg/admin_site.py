"""Django admin, restricted to coordinators who passed the staff login (and 2FA)."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core import roles
from core.staff_access import second_factor_ok


class StaffAdminSite(admin.AdminSite):
    site_header = "Servicepunt Mantelzorg: beheer"
    site_title = "Beheer"
    index_title = "Referentiegegevens"

    def has_permission(self, request):
        user = request.user
        return (
            user.is_active
            and user.is_staff
            and roles.is_coordinator(user)
            and second_factor_ok(request)
        )

    def login(self, request, extra_context=None):
        # One login for all staff pages: ours, with lockout and the second factor.
        if request.user.is_authenticated and second_factor_ok(request):
            raise PermissionDenied  # logged in properly, but not a coordinator
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))
