"""The site's URLs: the project's own pages (namespace `mantelzorg`, plus the root pages),
then each app's URLs under its own namespace (`<app>/urls.py`)."""

from django.contrib import admin
from django.urls import include, path

from . import views
from . import views_sso as sso_views
from . import views_staff as staff_views
from . import views_staff_members as staff_members

mantelzorg_patterns = ([
    path("backoffice/", views.dashboard, name="dashboard"),
    path("backoffice/inloggen/", staff_views.login_view, name="staff_login"),
    path("backoffice/inloggen/code/", staff_views.verify_view, name="staff_verify"),
    path("backoffice/tweestapsverificatie/", staff_views.setup_2fa_view,
         name="staff_setup_2fa"),
    path("backoffice/inloggen/organisatie/", sso_views.sso_start, name="staff_sso_start"),
    path("backoffice/inloggen/organisatie/terug", sso_views.sso_callback,
         name="staff_sso_callback"),
    path("backoffice/uitloggen/", sso_views.logout_view, name="staff_logout"),
    path("backoffice/welkom/<str:uidb64>/<str:token>/", staff_members.staff_welcome,
         name="staff_welcome"),
    path("backoffice/medewerkers/", staff_members.staff_members, name="staff_members"),
    path("backoffice/medewerkers/nieuw/", staff_members.staff_member_invite,
         name="staff_member_invite"),
    path("backoffice/medewerkers/<int:pk>/uitzetten/", staff_members.staff_member_deactivate,
         name="staff_member_deactivate"),
    path("backoffice/medewerkers/<int:pk>/tweestapsverificatie-resetten/",
         staff_members.staff_member_reset_2fa, name="staff_member_reset_2fa"),
    path("backoffice/medewerkers/<int:pk>/rol/", staff_members.staff_member_change_role,
         name="staff_member_change_role"),
], "mantelzorg")

urlpatterns = [
    path("", views.home, name="home"),
    path("toegankelijkheid", views.accessibility_statement, name="accessibility"),
    path("privacy", views.privacy_statement, name="privacy"),
    path("health", views.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("taal", views.choose_language, name="choose_language"),
    path("", include(mantelzorg_patterns)),
    path("", include("worker.urls")),
    path("", include("insight.urls")),
    path("", include("appreciation.urls")),
    path("", include("registrations.urls")),
    path("beheer/", admin.site.urls),
]

handler400 = "mantelzorg.errors.bad_request"
handler403 = "mantelzorg.errors.forbidden"
handler404 = "mantelzorg.errors.not_found"
handler500 = "mantelzorg.errors.server_error"
