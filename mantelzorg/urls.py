"""The site's URLs: the project's own pages (namespace `mantelzorg`, plus the root pages),
then each app's URLs under its own namespace (`<app>/urls.py`)."""

from django.contrib import admin
from django.contrib.auth.views import LogoutView
from django.urls import include, path

from . import views
from . import views_staff as staff_views

mantelzorg_patterns = ([
    path("backoffice/", views.dashboard, name="dashboard"),
    path("backoffice/inloggen/", staff_views.login_view, name="staff_login"),
    path("backoffice/inloggen/code/", staff_views.verify_view, name="staff_verify"),
    path("backoffice/tweestapsverificatie/", staff_views.setup_2fa_view,
         name="staff_setup_2fa"),
    path("backoffice/uitloggen/", LogoutView.as_view(next_page="mantelzorg:staff_login"),
         name="staff_logout"),
], "mantelzorg")

urlpatterns = [
    path("", views.home, name="home"),
    path("toegankelijkheid", views.accessibility_statement, name="accessibility"),
    path("privacy", views.privacy_statement, name="privacy"),
    path("health", views.health, name="health"),
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
