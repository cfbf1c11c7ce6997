"""Every URL of the waardering and the campaigns, under the `appreciation` namespace."""

from django.urls import include, path

app_name = "appreciation"
urlpatterns = [
    path("backoffice/waardering/", include("appreciation.waardering.urls_backoffice")),
    path("backoffice/waardering-invoer/", include("appreciation.waardering.urls_intake")),
    path("backoffice/betalingen/", include("appreciation.waardering.urls_payouts")),
    path("backoffice/campagnes/", include("appreciation.campaigns.urls_backoffice")),
    path("", include("appreciation.waardering.urls_public")),
    path("", include("appreciation.campaigns.urls_public")),
]
