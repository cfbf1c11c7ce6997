from django.contrib import admin
from django.contrib.auth.views import LogoutView
from django.urls import include, path

from worker import views as worker_views

from . import staff_views, views

staff_patterns = ([
    path("inloggen/", staff_views.login_view, name="login"),
    path("inloggen/code/", staff_views.verify_view, name="verify"),
    path("tweestapsverificatie/", staff_views.setup_2fa_view, name="setup_2fa"),
    path("uitloggen/", LogoutView.as_view(next_page="staff:login"), name="logout"),
], "staff")

backoffice_patterns = ([
    path("", views.dashboard, name="dashboard"),
], "backoffice")

urlpatterns = [
    path("", views.home, name="home"),
    path("toegankelijkheid", views.accessibility_statement, name="accessibility"),
    path("privacy", views.privacy_statement, name="privacy"),
    path("health", views.health, name="health"),
    path("afmelden/<str:token>", worker_views.unsubscribe, name="unsubscribe"),
    path("backoffice/", include(staff_patterns)),
    path("backoffice/", include(backoffice_patterns)),
    path("backoffice/", include("worker.urls")),
    path("backoffice/mantelzorgers/", include("registrations.urls_backoffice")),
    path("backoffice/postcodes/", include("registrations.urls_reference")),
    path("backoffice/opvolging/", include("insight.urls_backoffice")),
    path("backoffice/waardering/", include("appreciation.urls_backoffice")),
    path("backoffice/waardering-invoer/", include("appreciation.urls_intake")),
    path("backoffice/betalingen/", include("appreciation.urls_payouts")),
    path("backoffice/campagnes/", include("appreciation.urls_campaigns_backoffice")),
    path("backoffice/inzicht/", include("insight.urls")),
    path("", include("appreciation.urls_public")),
    path("", include("appreciation.urls_campaigns_public")),
    path("mijn-gegevens/", include("insight.urls_selfservice")),
    path("", include("registrations.urls")),
    path("beheer/", admin.site.urls),
]

handler400 = "mantelzorg.errors.bad_request"
handler403 = "mantelzorg.errors.forbidden"
handler404 = "mantelzorg.errors.not_found"
handler500 = "mantelzorg.errors.server_error"
