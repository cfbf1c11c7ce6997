from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class MantelzorgConfig(AppConfig):
    default = True
    name = "mantelzorg"
    verbose_name = "Mantelzorg"

    def ready(self):
        from core import roles

        from . import checks  # noqa: F401  (registers the theme check)

        post_migrate.connect(roles.ensure_roles, dispatch_uid="mantelzorg.ensure_roles")


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django admin for coordinators only, behind the same login and second factor."""

    default = False
    default_site = "mantelzorg.admin_site.StaffAdminSite"
