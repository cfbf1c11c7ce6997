"""Every URL of the registrations, under the `registrations` namespace."""

from django.urls import include, path

app_name = "registrations"
urlpatterns = [
    path("backoffice/mantelzorgers/", include("registrations.urls_backoffice")),
    path("backoffice/postcodes/", include("registrations.urls_reference")),
    path("backoffice/import/", include("registrations.imports.urls_backoffice")),
    path("", include("registrations.urls_public")),
]
