"""Every URL of insight, under the `insight` namespace."""

from django.urls import include, path

app_name = "insight"
urlpatterns = [
    path("backoffice/opvolging/", include("insight.urls_backoffice")),
    path("backoffice/inzicht/", include("insight.urls_dashboard")),
    path("mijn-gegevens/", include("insight.urls_selfservice")),
]
